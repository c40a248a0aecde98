"""After a change to the catalogue, its next page does not wait for the facets to be
counted again (half a second for a common word at 100,000 publications): it serves the
counts of the previous generation, asks a worker for one recount, and is not kept in the
page cache; the list of results itself is read as it is now (docs/adr/0008)."""

import base64
import json

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.celery import app as celery_app
from publications import selectors
from publications.enums import PublicationStatus
from publications.services import publication_approve
from publications.tasks import recount_catalogue_facets
from tests import factories as f
from tests.publications.test_catalogue import publish, titles
from tests.publications.test_catalogue_scale import REDIS_CACHE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
URL = reverse("publications:catalogue")
TASK = "publications.recount_catalogue_facets"


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = REDIS_CACHE
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def broker():
    """The real broker's default queue, empty at the start and at the end."""
    celery_app.control.purge()
    yield redis.Redis.from_url(settings.CELERY_BROKER_URL)
    celery_app.control.purge()


def _queued(broker) -> list[tuple[str, list]]:
    """The tasks waiting in the broker, with their arguments, oldest first."""
    found = []
    for raw in reversed(broker.lrange("celery", 0, -1)):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], args))
    return found


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


def _energy_reports(cica, n: int = 3) -> None:
    for k in range(n):
        publish(title=f"Energy report {k}", forum=cica.forum, institutes=[cica.institute])


def _approve_another(cica, superuser):
    draft = publish(
        title="Energy outlook",
        forum=cica.forum,
        institutes=[cica.institute],
        status=PublicationStatus.SUBMITTED,
    )
    publication_approve(publication=draft, by=superuser)


def test_after_a_change_the_next_page_serves_the_previous_counts_and_a_worker_recounts_them(
    client, cica, superuser, redis_cache, broker
):
    client.force_login(f.UserFactory())  # a computed page, never the page cache
    _energy_reports(cica)
    before, _ = _get(client, {"q": "energy"})
    _, warm = _get(client, {"q": "energy"})

    _approve_another(cica, superuser)
    stale, queries = _get(client, {"q": "energy"})
    again, queries_again = _get(client, {"q": "energy"})

    # As fast as a page whose counts are current: no counting, no naming of the values.
    assert queries == queries_again == warm
    for response in (stale, again):
        assert response.context["catalogue"].facets_are_stale
        assert _counts(response) == _counts(before)
        assert _counts(response)["forum"] == {cica.forum.name: 3}
        # The list itself is read as it is now.
        listed = ["Energy outlook", *(f"Energy report {k}" for k in range(3))]
        assert sorted(titles(response)) == listed
    # One recount asked, whatever the number of pages that served the old counts.
    assert _queued(broker) == [(TASK, ["q=energy", "en"])]

    recount_catalogue_facets.apply(args=["q=energy", "en"])  # what the worker runs

    response, _ = _get(client, {"q": "energy"})
    assert not response.context["catalogue"].facets_are_stale
    assert _counts(response)["forum"] == {cica.forum.name: 4}
    assert response.context["catalogue"].total == 4
    # The next change asks again.
    _approve_another(cica, superuser)
    _get(client, {"q": "energy"})
    assert [task for task, _args in _queued(broker)] == [TASK, TASK]


def test_a_page_with_stale_counts_is_never_kept_in_the_page_cache(
    client, cica, superuser, redis_cache, broker
):
    _energy_reports(cica)
    client.get(URL)
    assert client.get(URL).context is None  # anonymous: from the page cache

    _approve_another(cica, superuser)
    for _ in range(2):
        response = client.get(URL)
        assert response.context is not None  # rendered each time: not kept
        assert response.context["catalogue"].facets_are_stale
    assert redis_cache._cache.get_client().keys("*catalogue:page:*") != []  # the old one

    for task, args in _queued(broker):
        celery_app.tasks[task].apply(args=args)
    fresh = client.get(URL)
    assert fresh.context is not None and not fresh.context["catalogue"].facets_are_stale
    assert _counts(fresh)["forum"] == {cica.forum.name: 4}
    assert client.get(URL).context is None  # kept: its counts are current


def test_a_recount_that_does_not_come_is_done_by_the_next_page(
    client, cica, superuser, redis_cache, broker, monkeypatch
):
    """No worker, or a broker that is down: once the wait is over, a page counts for
    itself, as when nothing was counted yet."""
    monkeypatch.setattr(selectors, "RECOUNT_WAIT", 0)
    client.force_login(f.UserFactory())
    _energy_reports(cica)
    _get(client)
    _approve_another(cica, superuser)

    assert _get(client)[0].context["catalogue"].facets_are_stale
    response, _ = _get(client)
    assert not response.context["catalogue"].facets_are_stale
    assert _counts(response)["forum"] == {cica.forum.name: 4}


def test_with_the_cache_unreachable_every_page_counts_for_itself(
    client, cica, superuser, settings, broker
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    _energy_reports(cica)
    first, queries = _get(client, {"q": "energy"})
    _approve_another(cica, superuser)
    response, queries_after = _get(client, {"q": "energy"})

    assert _counts(first)["forum"] == {cica.forum.name: 3}
    assert _counts(response)["forum"] == {cica.forum.name: 4}
    assert not response.context["catalogue"].facets_are_stale
    # the generation (for the page, then for the facets), facets, forum and institute
    # names, the page, its institutes: everything computed, every time
    assert queries_after == queries == 7
    assert _queued(broker) == []
