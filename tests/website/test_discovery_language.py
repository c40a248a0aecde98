"""The language a page is served in (a first visit follows the browser's Accept-Language,
a chosen language is never overridden), the hreflang alternates of every public page,
``lang`` on text in another language than the page, and published addresses that no Host
header can change."""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from actionplans.enums import StatementStatus
from core.files import public_copy_sync
from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import catalogue_index
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page

pytestmark = pytest.mark.django_db

SITE = "https://forums.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def site(cica, private_media):
    """A forum with a Russian name, a Russian and an English publication, a statement."""
    forum = cica.forum
    forum.name_ru = "Форум аналитических центров СВМДА"
    forum.save()
    russian = f.PublicationFactory(
        forum=forum,
        slug="vodnye-resursy",
        title="Водные ресурсы Центральной Азии",
        subtitle="Обзор",
        abstract="Доклад о водных ресурсах.",
        language="ru",
        status=PublicationStatus.APPROVED,
        published_on=datetime.date(2024, 2, 1),
    )
    english = f.PublicationFactory(
        forum=forum,
        slug="water-outlook",
        title="Water outlook",
        abstract="A report on water.",
        language="en",
        status=PublicationStatus.APPROVED,
        published_on=datetime.date(2024, 3, 1),
    )
    other = f.PublicationFactory(
        forum=forum,
        slug="mixed",
        title="Mixed",
        language="other",
        status=PublicationStatus.APPROVED,
        published_on=datetime.date(2024, 1, 1),
    )
    for publication in (russian, english, other):
        publication.institutes.set([cica.institute])
    catalogue_index(publications=[russian, english, other])
    english.file.save("outlook.pdf", ContentFile(b"%PDF-1.4\nbody\n%%EOF\n"))
    public_copy_sync(
        Publication, pk=english.pk, source="file", copy="public_file", public=lambda p: True
    )
    f.JointStatementFactory(
        forum=forum,
        slug="launch",
        adopted_on=datetime.date(2023, 11, 20),
        published_on=datetime.date(2023, 11, 21),
        status=StatementStatus.PUBLISHED,
    )
    return forum


# --- Accept-Language on a first visit -------------------------------------------------

REDIRECTED = [
    ("/", "ru", "/ru/"),
    ("/", "ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
    ("/publications/?q=water", "ru", "/ru/publications/?q=water"),
    ("/forums/cica-ttf/", "ru", "/ru/forums/cica-ttf/"),
    ("/publications/water-outlook/", "ru", "/ru/publications/water-outlook/"),
]


@pytest.mark.parametrize(("path", "accept", "target"), REDIRECTED)
def test_a_first_visit_from_a_russian_browser_goes_to_the_russian_page(
    client, site, path, accept, target
):
    response = client.get(path, headers={"accept-language": accept})

    assert (response.status_code, response["Location"]) == (302, target)
    assert response["Vary"] == "Accept-Language, Cookie"


STAYS = [
    # (path, Accept-Language or None, language cookie or None, the page's language)
    ("/", None, None, "en"),  # a crawler
    ("/", "en-US,en;q=0.9,ru;q=0.5", None, "en"),
    ("/", "de", None, "en"),  # a language the portal does not have
    ("/", "ru", "en", "en"),  # chose English
    ("/", "ru", "ru", "en"),  # chose a language: never redirected, whichever
    ("/publications/", "ru", "en", "en"),
    ("/ru/", "en", None, "ru"),  # a prefixed page is the language it names
    ("/ru/forums/cica-ttf/", "en", None, "ru"),
]


@pytest.mark.parametrize(("path", "accept", "cookie", "language"), STAYS)
def test_a_visitor_who_chose_or_asks_nothing_gets_the_page_asked_for(
    client, site, path, accept, cookie, language
):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"accept-language": accept} if accept else {}

    response = client.get(path, headers=headers)

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert _attrs(_page(response), "html", "lang") == [language]


def test_an_unprefixed_page_says_it_depends_on_the_language_and_the_cookie(client, site):
    response = client.get("/forums/cica-ttf/")

    assert {part.strip() for part in response["Vary"].split(",")} >= {"Accept-Language", "Cookie"}


NOT_NEGOTIATED = [
    ("get", "/publications/feed.atom", 200),
    ("get", "/publications/forum/cica-ttf/feed.atom", 200),
    ("get", "/meetings.ics", 200),
    ("get", "/publications/water-outlook/cite.bib", 200),
    ("get", "/publications/export.bib", 200),
    ("get", "/publications/export.csv?kind=book", 200),
    ("get", "/oai/?verb=Identify", 200),
    ("get", "/api/v1/forums/", 200),
    ("get", "/publications/water-outlook/pdf/", 302),  # to the file, not to /ru/
    ("get", "/robots.txt", 200),
    ("get", "/sitemap.xml", 200),
    ("get", "/admin/", 302),  # to the sign-in page, not to /ru/admin/
    ("head", "/", 200),
    ("post", "/accounts/login/", 200),
]


@pytest.mark.parametrize(("method", "path", "status"), NOT_NEGOTIATED)
def test_feeds_files_the_admin_and_other_than_get_are_never_sent_to_another_language(
    client, site, method, path, status
):
    response = getattr(client, method)(path, headers={"accept-language": "ru"})

    assert response.status_code == status
    assert not response.get("Location", "").startswith("/ru/")


def test_choosing_english_sets_the_cookie_and_stops_the_redirect(client, site):
    chosen = client.get(
        "/i18n/choose/en/?next=%2Fru%2Fforums%2Fcica-ttf%2F", headers={"accept-language": "ru"}
    )

    assert (chosen.status_code, chosen["Location"]) == (302, "/forums/cica-ttf/")
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-cache" in chosen["Cache-Control"]
    again = client.get("/forums/cica-ttf/", headers={"accept-language": "ru"})
    assert (again.status_code, again["Content-Language"]) == (200, "en")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/i18n/choose/ru/?next=%2Fpublications%2F%3Fq%3Dwater", "/ru/publications/?q=water"),
        ("/i18n/choose/ru/?next=https%3A%2F%2Fevil.example%2F", "/ru/"),
        ("/i18n/choose/ru/?next=%2F%2Fevil.example%2F", "/ru/"),
        ("/i18n/choose/en/", "/"),
    ],
)
def test_choosing_a_language_goes_on_only_to_a_page_of_the_portal(client, site, url, target):
    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, target)


def test_choosing_a_language_the_portal_does_not_have_is_not_found(client, site):
    response = client.get("/i18n/choose/de/?next=/")

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- hreflang alternates --------------------------------------------------------------

HREFLANG = [
    ("/", "/", "/ru/"),
    ("/ru/", "/", "/ru/"),
    ("/publications/", "/publications/", "/ru/publications/"),
    (
        "/publications/water-outlook/",
        "/publications/water-outlook/",
        "/ru/publications/water-outlook/",
    ),
    ("/ru/forums/cica-ttf/", "/forums/cica-ttf/", "/ru/forums/cica-ttf/"),
    ("/forums/", "/forums/", "/ru/forums/"),
    (
        "/institutes/cica-institute/",
        "/institutes/cica-institute/",
        "/ru/institutes/cica-institute/",
    ),
    ("/statements/launch/", "/statements/launch/", "/ru/statements/launch/"),
    ("/documents/", "/documents/", "/ru/documents/"),
]


@pytest.mark.parametrize(("path", "english", "russian"), HREFLANG)
def test_every_public_page_names_its_versions_in_each_language(
    client, site, path, english, russian
):
    page = _page(client.get(path))

    links = list(
        zip(
            _attrs(page, "head link[hreflang]", "hreflang"),
            _attrs(page, "head link[hreflang]", "href"),
            strict=True,
        )
    )
    assert links == [
        ("en", SITE + english),
        ("x-default", SITE + english),
        ("ru", SITE + russian),
    ]
    assert _attrs(page, "head link[hreflang]", "rel") == ["alternate"] * 3


def test_a_page_that_does_not_exist_names_no_versions(client, site):
    response = client.get("/forums/no-such-forum/")

    assert response.status_code == 404
    assert _attrs(_page(response), "head link[hreflang]", "href") == []


# --- lang on text in another language -------------------------------------------------


def _lang_of(page, selector) -> list[tuple[str, str | None]]:
    from tests.html import text

    return [(text(e.etree_element), e.etree_element.get("lang")) for e in page.query_all(selector)]


def test_the_catalogue_marks_titles_and_abstracts_in_another_language(client, site):
    english = _page(client.get("/publications/"))
    russian = _page(client.get("/ru/publications/"))

    assert _lang_of(english, ".card-list h3") == [
        ("Water outlook", None),
        ("Водные ресурсы Центральной Азии", "ru"),
        ("Mixed", None),
    ]
    assert _lang_of(russian, ".card-list h3") == [
        ("Water outlook", "en"),
        ("Водные ресурсы Центральной Азии", None),
        ("Mixed", None),
    ]
    assert _attrs(english, ".card-list p.subtitle", "lang") == ["ru"]


def test_the_publication_page_marks_its_title_subtitle_and_abstract(client, site):
    page = _page(client.get("/publications/vodnye-resursy/"))

    assert _attrs(page, "h1", "lang") == ["ru"]
    assert _attrs(page, ".page-header p.lead", "lang") == ["ru"]
    assert _attrs(page, ".prose", "lang") == ["ru"]
    assert _attrs(_page(client.get("/ru/publications/vodnye-resursy/")), "h1", "lang") == [None]


def test_the_home_and_institute_pages_mark_titles_in_another_language(client, site):
    titles = {"Water outlook", "Водные ресурсы Центральной Азии", "Mixed"}
    for path in ("/", "/institutes/cica-institute/"):
        page = _page(client.get(path))
        cards = [card for card in _lang_of(page, "li.card h3.card-title") if card[0] in titles]
        assert cards == [
            ("Water outlook", None),
            ("Водные ресурсы Центральной Азии", "ru"),
            ("Mixed", None),
        ], path


def test_forum_names_carry_the_language_they_are_shown_in(client, site, kca):
    english = _page(client.get("/forums/"))
    russian = _page(client.get("/ru/forums/"))

    assert _lang_of(english, "h2.card-title a") == [
        ("CICA Think Tank Forum", None),
        ("KCA Think Tank Forum", None),
    ]
    # The KCA forum has no Russian name: its English one is marked on a Russian page.
    assert _lang_of(russian, "h2.card-title a") == [
        ("Форум аналитических центров СВМДА", None),
        ("KCA Think Tank Forum", "en"),
    ]


# --- published addresses and the Host header ------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/publications/water-outlook/", "/ru/publications/water-outlook/", "/statements/launch/", "/"],
)
def test_a_forged_host_changes_no_published_address(client, site, path):
    genuine = client.get(path)
    forged = client.get(path, headers={"host": "localhost"})

    assert forged.status_code == 200
    assert forged.content == genuine.content
    assert b"localhost" not in forged.content
    assert b"testserver" not in forged.content


def test_the_publication_page_publishes_its_addresses_on_site_url(client, site):
    page = _page(client.get("/publications/water-outlook/", headers={"host": "localhost"}))

    assert _attrs(page, "link[rel=canonical]", "href") == [SITE + "/publications/water-outlook/"]
    assert _attrs(page, "meta[property='og:url']", "content") == [
        SITE + "/publications/water-outlook/"
    ]
    assert _attrs(page, "meta[name=citation_pdf_url]", "content") == [
        SITE + "/publications/water-outlook/pdf/"
    ]


def test_exports_robots_and_sitemap_publish_addresses_on_site_url(client, site):
    headers = {"host": "localhost"}

    bib = client.get("/publications/water-outlook/cite.bib", headers=headers).content.decode()
    robots = client.get("/robots.txt", headers=headers).content.decode()
    sitemap = client.get("/sitemap.xml", headers=headers).content.decode()

    assert f"{SITE}/publications/water-outlook/" in bib
    assert robots.endswith(f"Sitemap: {SITE}/sitemap.xml\n")
    assert f"<loc>{SITE}/sitemap.xml?section=pages</loc>" in sitemap
    assert "localhost" not in bib + robots + sitemap
