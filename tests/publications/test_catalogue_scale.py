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
    client, cica, superuser, redis_cache
):
    institute = cica.institute
    for n in range(3):
        publish(title=f"Energy report {n}", forum=cica.forum, institutes=[institute])

    first, cold = _get(client)
    again, warm = _get(client)
    # generation, facets, forum / institute names (no theme), the page, its institutes
    assert cold == 6
    # generation, the page, its institutes: the facets and their HTML are cached
    assert warm == 3
    assert again.context["catalogue"].total == 3
    assert _counts(again) == _counts(first)
    assert redis_cache.get(again.context["catalogue"].facets_key) is not None

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
    response, _ = _get(client)
    assert response.context["catalogue"].total == 4
    assert _counts(response)["institute"][institute.short_name or institute.name] == 4

    # A rename outside any service (a plain UPDATE) changes the facet's label.
    type(institute).objects.filter(pk=institute.pk).update(short_name="RENAMED")
    response, _ = _get(client)
    assert "RENAMED" in _counts(response)["institute"]
    assert b"RENAMED" in response.content

    # A title changed by a bulk UPDATE is found by a search whose facets were cached.
    _get(client, {"q": "hydrology"})
    Publication.objects.filter(title="Energy report 0").update(title="Hydrology report")
    response, _ = _get(client, {"q": "hydrology"})
    assert titles(response) == ["Hydrology report"]
    assert response.context["catalogue"].total == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generation_changes_once_per_transaction_and_only_for_catalogue_data(cica):
    publish(title="Energy report", forum=cica.forum)
    start = _generation()
    f.ContactFactory(institute=cica.institute)
    assert _generation() == start

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
    # generation, facets, forum names, the page, its institutes: counted, as uncached
    assert queries == 5


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
