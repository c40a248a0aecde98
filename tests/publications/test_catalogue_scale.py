"""What keeps the catalogue fast at scale, and correct while doing it: pages fetched by
id from either end of the order, relevance over a bounded window, and facets cached in
Redis under the catalogue's generation, which PostgreSQL triggers change at every commit
that touches what the catalogue shows (docs/adr/0008)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications import selectors
from publications.enums import PublicationStatus
from publications.models import CatalogueGeneration, Publication
from publications.services import publication_approve
from tests import factories as f
from tests.publications.test_catalogue import publish, titles

URL = reverse("publications:catalogue")
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/12",
        "KEY_PREFIX": "test-catalogue",
    }
}


def _expected(ordering: tuple[str, ...], **filters) -> list[str]:
    rows = Publication.objects.filter(status=PublicationStatus.APPROVED, **filters)
    return list(rows.order_by(*ordering).values_list("title", flat=True))


def _all_pages(client, params: dict, per_page: int = 10) -> list[str]:
    seen, page = [], 1
    while True:
        response = client.get(URL, {**params, "per_page": per_page, "page": page})
        if response.status_code == 404:
            return seen
        assert response.status_code == 200
        seen += titles(response)
        page += 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "ordering"),
    [
        ("newest", ("-published_on", "-id")),
        ("oldest", ("published_on", "id")),
        ("title", ("title", "id")),
    ],
)
def test_every_page_from_either_end_is_the_stored_order(client, cica, sort, ordering):
    """Pages in the second half are fetched backwards from the end; stitched together
    they are exactly the order, with no row lost or repeated (47 rows: a short last page;
    ties of date and title broken by id)."""
    day = datetime.date(2020, 1, 1)
    for n in range(47):
        publish(
            title=f"Report {n % 9}",
            forum=cica.forum,
            published_on=day + datetime.timedelta(days=n % 5),
            kind="article" if n % 3 else "book",
        )
    assert _all_pages(client, {"sort": sort}) == _expected(ordering)
    assert _all_pages(client, {"sort": sort, "kind": "article"}) == _expected(
        ordering, kind="article"
    )


@pytest.mark.django_db
def test_relevance_ranks_the_newest_window_then_lists_older_matches_by_date(
    client, cica, monkeypatch
):
    monkeypatch.setattr(selectors, "RELEVANCE_WINDOW", 10)
    day = datetime.date(2020, 1, 1)
    rows = [
        publish(
            title="Water" if n in (3, 17) else f"Report {n}",
            abstract="water" if n not in (3, 17) else "",
            forum=cica.forum,
            published_on=day + datetime.timedelta(days=n),
        )
        for n in range(25)
    ]
    newest = sorted(rows, key=lambda p: p.published_on, reverse=True)
    # The title match inside the window (n=17) ranks first; the one outside it (n=3)
    # keeps its place by date.
    window = [p.title for p in newest[:10]]
    assert window[0] != "Water" and "Water" in window
    pages = _all_pages(client, {"q": "water"})
    assert pages[0] == "Water"
    assert sorted(pages[:10]) == sorted(window)
    assert pages[10:] == [p.title for p in newest[10:]]


def test_the_window_never_splits_a_page():
    assert all(selectors.RELEVANCE_WINDOW % n == 0 for n in selectors.PER_PAGE_CHOICES)


def _generation() -> int:
    return CatalogueGeneration.objects.get(pk=1).value


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = REDIS_CACHE
    cache.clear()
    yield cache
    cache.clear()


def _get(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return response, len(queries)


def _counts(response) -> dict[str, dict[str, int]]:
    return {
        facet.name: {choice.label: choice.count for choice in facet.choices}
        for facet in response.context["catalogue"].facets
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facets_come_from_the_cache_until_the_catalogue_changes(
    client, cica, superuser, redis_cache, eager_celery
):
    """After a change the next page serves the previous counts and asks for a recount,
    which runs at once here (eagerly): the page after it shows the change."""
    # Signed in: the whole-page cache stays out of it, the facets' cache does not.
    client.force_login(f.UserFactory())
    institute = cica.institute
    for n in range(3):
        publish(title=f"Energy report {n}", forum=cica.forum, institutes=[institute])

    first, cold = _get(client)
    again, warm = _get(client)
    # Cached: the facet counts and the forum and institute names (no theme to name).
    assert cold - warm == 3
    assert again.context["catalogue"].total == 3
    assert _counts(again) == _counts(first)
    assert redis_cache.get(f"{again.context['catalogue'].facets_key}:html") is not None

    # A submission approved through the service: counted on the next page.
    draft = publish(
        title="Energy report 3",
        forum=cica.forum,
        institutes=[institute],
        status=PublicationStatus.SUBMITTED,
    )
    before = _generation()
    publication_approve(publication=draft, by=superuser)
    assert _generation() > before
    stale, _ = _get(client)
    assert stale.context["catalogue"].facets_are_stale
    response, _ = _get(client)
    assert not response.context["catalogue"].facets_are_stale
    assert response.context["catalogue"].total == 4
    assert _counts(response)["institute"][institute.short_name or institute.name] == 4

    # A rename outside any service (a plain UPDATE) changes the facet's label.
    type(institute).objects.filter(pk=institute.pk).update(short_name="RENAMED")
    _get(client)
    response, _ = _get(client)
    assert "RENAMED" in _counts(response)["institute"]
    assert b"RENAMED" in response.content

    # A title changed by a bulk UPDATE is found by a search whose facets were cached,
    # even while they are (no match at all) recounted.
    _get(client, {"q": "hydrology"})
    Publication.objects.filter(title="Energy report 0").update(title="Hydrology report")
    response, _ = _get(client, {"q": "hydrology"})
    assert response.context["catalogue"].facets_are_stale
    assert titles(response) == ["Hydrology report"]
    assert response.context["catalogue"].total == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_changes_once_per_transaction_and_only_for_catalogue_data(cica):
    publish(title="Energy report", forum=cica.forum)
    start = _generation()
    f.ContactFactory(institute=cica.institute)
    # An institute's columns the catalogue does not show: its cache stays valid.
    type(cica.institute).objects.filter(pk=cica.institute.pk).update(address="New address")
    assert _generation() == start
    type(cica.institute).objects.filter(pk=cica.institute.pk).update(short_name="NEW")
    assert _generation() > start
    start = _generation()

    with transaction.atomic():
        for n in range(5):
            publish(title=f"Report {n}", forum=cica.forum)
        # Not yet: other sessions still see the old data, so the old generation.
        assert _generation() == start
    after = _generation()
    assert after > start

    # Writes of a rolled-back transaction change nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(title="Never", forum=cica.forum)
        raise RuntimeError
    assert _generation() == after


@pytest.mark.django_db
def test_nothing_is_cached_inside_a_transaction(client, cica, redis_cache):
    """A request inside a transaction sees its own uncommitted writes: what it counts must
    not reach the cache, where other sessions would read it."""
    publish(title="Energy report", forum=cica.forum)
    response, _ = _get(client)
    assert response.context["catalogue"].facets_key == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cache_that_cannot_answer_is_a_miss_not_an_error(client, cica, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    publish(title="Energy report", forum=cica.forum)
    response, queries = _get(client, {"q": "energy"})
    assert titles(response) == ["Energy report"]
    # the generation (for the page, then for the facets), facets, forum names, the page,
    # its institutes: everything computed, as without a cache
    assert queries == 6


@pytest.mark.django_db
def test_related_publications_score_shared_values_among_the_newest_candidates(cica, monkeypatch):
    monkeypatch.setattr(selectors, "RELATED_CANDIDATES", 3)
    energy, water = f.ThemeFactory(name="Energy"), f.ThemeFactory(name="Water")
    day = datetime.date(2020, 1, 1)
    base = publish(title="Base", forum=cica.forum, themes=[energy, water], published_on=day)
    old_both = publish(
        title="Old, both themes", forum=cica.forum, themes=[energy, water], published_on=day
    )
    for n in range(4):
        publish(title=f"Energy {n}", forum=cica.forum, themes=[energy], published_on=day)
    both = publish(title="Both themes", forum=cica.forum, themes=[energy, water], published_on=day)
    related = [p.title for p in selectors.publication_related(publication=base)]
    # The candidates: the three newest sharing "energy" (Both themes, Energy 3, Energy 2)
    # and both sharing "water" (Both themes, Old, both themes). Two shared values rank
    # first; the rest share one and follow by date, then newest entry first. "Energy 0"
    # and "Energy 1" share as much but are not among the newest three: not considered.
    assert related == [both.title, "Energy 3", "Energy 2", old_both.title]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_visitors_get_whole_pages_from_the_cache_until_anything_changes(
    client, cica, superuser, redis_cache
):
    publication = publish(title="Energy report", forum=cica.forum, institutes=[cica.institute])
    detail = publication.get_absolute_url()

    first, cold = _get(client, {"q": "energy"})
    again, warm = _get(client, {"q": "energy"})
    assert (cold, warm) == (7, 1)  # the second: only the generation
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Language"] == "en"
    assert "Cookie" in again["Vary"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]

    # Each language and each address is its own page.
    russian = client.get("/ru" + URL, {"q": "energy"})
    assert russian["Content-Language"] == "ru" and russian.content != first.content

    # Pages print their addresses from SITE_URL: another host name is the same page.
    assert b"http://testserver/" in client.get(detail).content
    other_host = client.get(detail, headers={"host": "localhost"})
    assert b"http://localhost/" not in other_host.content
    assert other_host.content == client.get(detail).content

    # A change anywhere in the catalogue: the next visitor sees it.
    Publication.objects.filter(pk=publication.pk).update(title="Energy outlook")
    assert b"Energy outlook" in client.get(URL, {"q": "energy"}).content
    assert b"Energy outlook" in client.get(detail).content
    with CaptureQueriesContext(connection) as queries:
        assert b"Energy outlook" in client.get(detail).content
    assert len(queries) == 1

    # Signed in: never the anonymous page, never stored for others.
    client.force_login(superuser)
    signed_in = client.get(detail)
    assert b"Sign out" in signed_in.content
    client.logout()
    client.cookies.clear()
    assert b"Sign out" not in client.get(detail).content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_error_answers_are_not_kept(client, cica, redis_cache):
    publish(title="Energy report", forum=cica.forum)
    for _ in range(3):
        invalid, missing = client.get(URL, {"year_min": "abc"}), client.get(URL, {"page": "99"})
        assert (invalid.status_code, missing.status_code) == (400, 404)
        # rendered every time (a cached answer renders no template)
        assert invalid.context is not None and missing.context is not None
    assert client.get(URL).context is not None
    assert client.get(URL).context is None  # while a good page is answered from the cache


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_head_requests_are_answered_like_get_without_a_body(client, cica, redis_cache):
    """Link checkers and uptime monitors ask with HEAD."""
    publication = publish(title="Energy report", forum=cica.forum)
    for path in (URL, publication.get_absolute_url(), URL, publication.get_absolute_url()):
        response = client.head(path)
        assert response.status_code == 200
        assert response.content == b""
        assert response["Content-Type"].startswith("text/html")
    assert client.post(URL).status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unknown_parameters_are_dropped_by_a_redirect_and_never_fill_the_cache(
    client, cica, redis_cache
):
    publication = publish(title="Energy report", forum=cica.forum)
    detail = publication.get_absolute_url()

    answers = [client.get(URL, {"q": "energy", f"x{n}": "1"}) for n in range(50)]
    answers += [client.get(detail, {"utm_source": f"mail{n}"}) for n in range(50)]

    assert {(a.status_code, a["Location"]) for a in answers} == {
        (301, f"{URL}?q=energy"),
        (301, detail),
    }
    assert redis_cache._cache.get_client().keys("*catalogue:page:*") == []
    assert client.get(URL, {"q": "energy", "sort": "oldest", "page": "1"}).status_code == 200
    assert len(redis_cache._cache.get_client().keys("*catalogue:page:*")) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_one_spelling_of_a_page_that_exists_is_kept(client, cica, redis_cache):
    """The cache holds pages, not addresses: parameters in another order share an entry;
    a sort or page size the catalogue falls back from, a page written "01", a search in
    odd spacing or one that found nothing are answered (200) but never stored."""
    publish(title="Energy report", forum=cica.forum)
    redis = redis_cache._cache.get_client()

    spellings = [
        "?q=energy&sort=oldest&page=1",
        "?page=1&sort=oldest&q=energy",
        "?sort=oldest&q=energy&page=1&q=energy",
    ]
    not_kept = [f"?q=energy&sort=nonsense{n}" for n in range(5)]
    not_kept += ["?q=energy&per_page=13", "?q=energy&page=01", "?q=energy++", "?q=%20energy"]
    not_kept += [f"?q=zzzqx{n}" for n in range(5)]
    not_kept += ["?sort=relevance"]  # no words to rank by: the newest first

    answers = [client.get(URL + query) for query in spellings + not_kept]

    assert [a.status_code for a in answers] == [200] * 18
    assert len(redis.keys("*catalogue:page:*")) == 1
    assert client.get(URL + "?page=1&q=energy&sort=oldest").context is None  # from the cache
