import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from actionplans.enums import ActionPlanStatus, StatementStatus
from members.enums import MembershipStatus
from publications.enums import PublicationStatus
from publications.models import Publication
from tests import factories as f
from website.sitemaps import PublicationSitemap

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
HOST = "https://forums.example.org"
SECTIONS = ["pages", "forums", "institutes", "publications", "documents"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = HOST


def _xml(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def _index(client) -> list[str]:
    root = _xml(client.get("/sitemap.xml"))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]


def _locs(client, url) -> list[str]:
    root = _xml(client.get(url))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def _all_locs(client) -> set[str]:
    locs = []
    for section_url in _index(client):
        locs += _locs(client, section_url.removeprefix(HOST))
    assert len(locs) == len(set(locs))
    return set(locs)


def _both_languages(*paths) -> set[str]:
    return {f"{HOST}{path}" for path in paths} | {f"{HOST}/ru{path}" for path in paths}


def _publication(status, **kwargs):
    if status == PublicationStatus.RETURNED:
        kwargs.setdefault("return_reason", "Needs an abstract.")
    return f.PublicationFactory(status=status, **kwargs)


@pytest.fixture
def public_and_private(cica, kca):
    """Something of every kind the sitemap lists, and its non-public twins."""
    f.MembershipFactory(
        institute=f.InstituteFactory(slug="recommended-only"),
        forum=cica.forum,
        status=MembershipStatus.RECOMMENDED,
        decided_on=None,
    )
    f.MembershipFactory(
        institute=f.InstituteFactory(slug="declined"),
        forum=kca.forum,
        status=MembershipStatus.DECLINED,
    )
    f.InstituteFactory(slug="no-membership")
    _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="approved-outlook")
    for status in (
        PublicationStatus.SUBMITTED,
        PublicationStatus.RETURNED,
        PublicationStatus.WITHDRAWN,
    ):
        _publication(status, forum=cica.forum, slug=f"hidden-{status}")
    f.JointStatementFactory(
        forum=cica.forum,
        slug="astana-statement",
        status=StatementStatus.PUBLISHED,
        adopted_on=datetime.date(2024, 9, 12),
        published_on=datetime.date(2024, 9, 20),
    )
    f.JointStatementFactory(forum=cica.forum, slug="draft-statement")
    f.ActionPlanFactory(
        forum=kca.forum,
        year=2024,
        document_symbol="KCA/2024/1",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=datetime.date(2024, 3, 1),
    )
    f.ActionPlanFactory(forum=kca.forum, year=2025, document_symbol="KCA/2025/1")
    f.JointStatementFactory(
        forum=kca.forum,
        slug="adopted-statement",
        status=StatementStatus.ADOPTED,
        adopted_on=datetime.date(2024, 9, 12),
    )


def test_robots_txt_allows_all_but_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /admin/\n"
        "Disallow: /accounts/\n"
        "Disallow: /members/\n"
        "Disallow: /i18n/\n"
        "Disallow: /ru/accounts/\n"
        "Disallow: /ru/members/\n"
        "\n"
        "Sitemap: https://forums.example.org/sitemap.xml\n"
    )


def test_sitemap_index_lists_every_section(client, public_and_private):
    assert _index(client) == [f"{HOST}/sitemap.xml?section={section}" for section in SECTIONS]


def test_sitemap_lists_exactly_the_public_pages_in_both_languages(client, public_and_private):
    assert _all_locs(client) == _both_languages(
        "/",
        "/publications/",
        "/forums/cica-ttf/",
        "/forums/kca-ttf/",
        "/institutes/cica-institute/",
        "/institutes/kca-institute/",
        "/publications/approved-outlook/",
        "/documents/",
        "/forums/cica-ttf/documents/",
        "/forums/kca-ttf/documents/",
        "/documents/KCA/2024/1/",
        "/forums/cica-ttf/documents/joint-statement/2024-09-12/",
    )


def test_sitemap_gives_each_page_its_language_alternates(client, cica):
    root = _xml(client.get("/sitemap.xml?section=forums"))

    (url,) = [
        u
        for u in root.findall("sm:url", NS)
        if u.find("sm:loc", NS).text.endswith("/ru/forums/cica-ttf/")
    ]
    assert {(link.get("hreflang"), link.get("href")) for link in url.findall("xhtml:link", NS)} == {
        ("en", f"{HOST}/forums/cica-ttf/"),
        ("ru", f"{HOST}/ru/forums/cica-ttf/"),
        ("x-default", f"{HOST}/forums/cica-ttf/"),
    }


def test_publication_sitemap_gives_the_last_change(client, cica):
    publication = _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="brief")

    root = _xml(client.get("/sitemap.xml?section=publications"))

    assert [u.find("sm:lastmod", NS).text for u in root.findall("sm:url", NS)] == [
        f"{publication.updated_at:%Y-%m-%d}"
    ] * 2


@pytest.mark.parametrize(
    "status",
    [PublicationStatus.SUBMITTED, PublicationStatus.RETURNED, PublicationStatus.WITHDRAWN],
)
def test_sitemap_never_lists_a_publication_not_approved(client, cica, status):
    _publication(status, forum=cica.forum, slug="not-public")

    assert _locs(client, "/sitemap.xml?section=publications") == []
    assert b"not-public" not in client.get("/sitemap.xml?section=publications").content


def test_long_sections_are_paginated_in_the_index(client, cica, monkeypatch):
    monkeypatch.setattr(PublicationSitemap, "limit", 4)
    for day in range(1, 4):
        _publication(
            PublicationStatus.APPROVED,
            forum=cica.forum,
            slug=f"brief-{day}",
            published_on=datetime.date(2024, 5, day),
        )

    index = _index(client)

    assert [url for url in index if "publications" in url] == [
        f"{HOST}/sitemap.xml?section=publications",
        f"{HOST}/sitemap.xml?section=publications&p=2",
    ]
    assert _locs(client, "/sitemap.xml?section=publications") == [
        f"{HOST}/publications/brief-3/",
        f"{HOST}/ru/publications/brief-3/",
        f"{HOST}/publications/brief-2/",
        f"{HOST}/ru/publications/brief-2/",
    ]
    assert _locs(client, "/sitemap.xml?section=publications&p=2") == [
        f"{HOST}/publications/brief-1/",
        f"{HOST}/ru/publications/brief-1/",
    ]
    assert client.get("/sitemap.xml?section=publications&p=3").status_code == 404


def test_unknown_sitemap_section_is_not_found(client):
    assert client.get("/sitemap.xml?section=members").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_sitemap_queries_do_not_grow_with_rows(client, cica, django_assert_num_queries, n):
    for i in range(n):
        _publication(PublicationStatus.APPROVED, forum=cica.forum, slug=f"brief-{i}")

    # One aggregate per section that reads the database (the fixed pages do not).
    with django_assert_num_queries(4):
        _index(client)
    with django_assert_num_queries(1):
        assert len(_locs(client, "/sitemap.xml?section=publications")) == 2 * n
    with django_assert_num_queries(1):
        assert len(_locs(client, "/sitemap.xml?section=forums")) == 2


@pytest.mark.parametrize("n", [1, 30])
def test_a_sitemap_page_reads_only_its_own_rows(client, cica, monkeypatch, n):
    monkeypatch.setattr(PublicationSitemap, "limit", 20)
    for i in range(n):
        _publication(PublicationStatus.APPROVED, forum=cica.forum, slug=f"brief-{i}")

    with CaptureQueriesContext(connection) as queries:
        locs = _locs(client, "/sitemap.xml?section=publications")

    assert len(locs) == 2 * min(n, 10)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert sql.endswith("LIMIT 10")
    assert '"body"' not in sql and '"abstract"' not in sql


@pytest.mark.parametrize("page", ["0", "x", "-1", "2"])
def test_a_sitemap_page_that_does_not_exist_is_not_found(client, cica, page):
    _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="brief")

    assert client.get(f"/sitemap.xml?section=publications&p={page}").status_code == 404


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap.xml?section=publications"])
def test_sitemaps_answer_conditional_requests(client, cica, url):
    publication = _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="brief")
    first = client.get(url)
    etag = first["ETag"]

    unchanged = client.get(url, headers={"if-none-match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")

    # A new slug (the section's addresses) and date (the index's last change).
    Publication.objects.filter(pk=publication.pk).update(
        slug="renamed", updated_at=publication.updated_at + datetime.timedelta(days=1)
    )
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_sitemap_section_says_when_it_last_changed(client, cica):
    publication = _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="brief")
    url = "/sitemap.xml?section=publications"

    response = client.get(url)

    assert response["Last-Modified"] == http_date(int(publication.updated_at.timestamp()))
    since = {"if-modified-since": response["Last-Modified"]}
    assert client.get(url, headers=since).status_code == 304
    Publication.objects.filter(pk=publication.pk).update(
        updated_at=publication.updated_at + datetime.timedelta(seconds=5)
    )
    assert client.get(url, headers=since).status_code == 200


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": "test-sitemap",
        }
    }
    cache.clear()
    yield cache
    cache.clear()


def _queries(client, url) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, len(queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_catalogue_sections_are_kept_until_the_catalogue_changes(client, cica, redis_cache):
    publication = _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="brief")
    section = "/sitemap.xml?section=publications"

    first, cold = _queries(client, section)
    again, warm = _queries(client, section)
    assert (cold, warm) == (2, 1)  # the second: only the generation
    assert again == first
    # The index: forums and publications from the cache, institutes and documents counted.
    index, cold = _queries(client, "/sitemap.xml")
    assert _queries(client, "/sitemap.xml") == (index, 3)
    assert cold == 5

    Publication.objects.filter(pk=publication.pk).update(slug="renamed")
    changed, _n = _queries(client, section)
    assert b"/publications/renamed/" in changed
    assert b"/publications/brief/" not in changed
    # Another host changes nothing: the addresses are on SITE_URL.
    other = client.get(section, headers={"host": "localhost"}).content
    assert other == changed


def test_sitemap_leaves_out_synthetic_demo_data(client, cica):
    _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="demo-item", is_synthetic=True)
    _publication(PublicationStatus.APPROVED, forum=cica.forum, slug="real-item")

    locs = _locs(client, "/sitemap.xml?section=publications")

    assert [loc.rsplit("/", 2)[-2] for loc in locs] == ["real-item", "real-item"]
