"""The new-publications feeds as readers get them: in the order publications were
approved, with approval times, answering conditional requests cheaply, and with every
address on SITE_URL whatever host they were fetched from."""

import datetime

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar

from publications.enums import PublicationStatus
from publications.services import publication_approve
from tests import factories as f

pytestmark = pytest.mark.django_db

FEEDS = ["/publications/feed.atom", "/publications/forum/cica-ttf/feed.atom"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://forums.example.org"


def _approved(forum, *, title, published_on, reviewed_at, **kwargs):
    return f.PublicationFactory(
        forum=forum,
        title=title,
        published_on=published_on,
        status=PublicationStatus.APPROVED,
        reviewed_at=reviewed_at,
        **kwargs,
    )


def _parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, tzinfo=datetime.UTC)


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_list_publications_in_the_order_they_were_approved(client, cica, url):
    _approved(
        cica.forum, title="Dated 2024", published_on=datetime.date(2024, 9, 1), reviewed_at=_at(1)
    )
    _approved(
        cica.forum, title="Dated 2019", published_on=datetime.date(2019, 4, 1), reviewed_at=_at(3)
    )
    _approved(
        cica.forum, title="Dated 2023", published_on=datetime.date(2023, 1, 1), reviewed_at=_at(2)
    )

    feed = _parse(client.get(url))

    assert [e.title for e in feed.entries] == ["Dated 2019", "Dated 2023", "Dated 2024"]
    assert [e.updated for e in feed.entries] == [
        "2025-03-03T12:00:00+00:00",
        "2025-03-02T12:00:00+00:00",
        "2025-03-01T12:00:00+00:00",
    ]
    assert [e.published for e in feed.entries] == [
        "2019-04-01T00:00:00+00:00",
        "2023-01-01T00:00:00+00:00",
        "2024-09-01T00:00:00+00:00",
    ]


@pytest.mark.parametrize("url", FEEDS)
def test_a_publication_dated_long_ago_heads_the_feed_once_approved(
    client, cica, superuser, monkeypatch, url
):
    _approved(
        cica.forum,
        title="Approved last week",
        published_on=datetime.date(2025, 2, 1),
        reviewed_at=_at(1),
    )
    old = f.PublicationFactory(
        forum=cica.forum,
        title="A 2019 report, submitted today",
        published_on=datetime.date(2019, 6, 1),
        status=PublicationStatus.SUBMITTED,
        submitted_by=f.UserFactory(),
    )
    monkeypatch.setattr(timezone, "now", lambda: _at(8, 9))

    publication_approve(publication=old, by=superuser)
    feed = _parse(client.get(url))

    assert [(e.title, e.updated) for e in feed.entries] == [
        ("A 2019 report, submitted today", "2025-03-08T09:00:00+00:00"),
        ("Approved last week", "2025-03-01T12:00:00+00:00"),
    ]


@pytest.mark.parametrize(
    "status", [PublicationStatus.SUBMITTED, PublicationStatus.RETURNED, PublicationStatus.WITHDRAWN]
)
@pytest.mark.parametrize("url", FEEDS)
def test_a_publication_reviewed_but_not_approved_never_appears(client, cica, url, status):
    f.PublicationFactory(
        forum=cica.forum,
        title="Not public",
        status=status,
        reviewed_at=_at(9),
        return_reason="Needs an abstract." if status == PublicationStatus.RETURNED else "",
    )

    response = client.get(url)

    assert _parse(response).entries == []
    assert b"Not public" not in response.content


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_are_authored_by_the_portal_even_when_no_name_is_set(client, settings, cica, url):
    settings.PORTAL_NAME = ""

    feed = _parse(client.get(url))

    assert feed.feed.author == "Think Tank Forums"


@pytest.mark.parametrize(("url", "n_queries"), [(FEEDS[0], 3), (FEEDS[1], 4)])
@pytest.mark.parametrize("n", [1, 30])
def test_feed_queries_do_not_grow_with_entries(
    client, cica, django_assert_num_queries, url, n_queries, n
):
    themes = [f.ThemeFactory(), f.ThemeFactory()]
    for day in range(n):
        publication = _approved(
            cica.forum,
            title=f"Brief {day}",
            published_on=datetime.date(2024, 1, 1),
            reviewed_at=_at(1 + day % 28),
        )
        publication.institutes.set([cica.institute])
        publication.themes.set(themes)

    # The validators' one or two queries, then the feed's three or four.
    with django_assert_num_queries(n_queries + 1 + (url == FEEDS[1])):
        feed = _parse(client.get(url))
    assert len(feed.entries) == n


@pytest.mark.parametrize(("url", "n_queries"), [(FEEDS[0], 1), (FEEDS[1], 2)])
def test_an_unchanged_feed_is_answered_304_from_its_validators_alone(
    client, cica, django_assert_num_queries, url, n_queries
):
    _approved(cica.forum, title="Brief", published_on=datetime.date(2024, 1, 1), reviewed_at=_at(1))
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and len(etag) == 34

    with django_assert_num_queries(n_queries):
        by_etag = client.get(url, headers={"if-none-match": etag})
    with django_assert_num_queries(n_queries):
        by_date = client.get(url, headers={"if-modified-since": last_modified})

    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", etag)
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert by_date["Last-Modified"] == last_modified
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_the_feed_of_an_unknown_forum_is_still_not_found(client, cica):
    assert client.get("/publications/forum/no-such-forum/feed.atom").status_code == 404


def test_the_validators_differ_per_language_and_per_forum(client, cica, kca):
    etags = {
        url: client.get(url)["ETag"]
        for url in [
            "/publications/feed.atom",
            "/ru/publications/feed.atom",
            "/publications/forum/cica-ttf/feed.atom",
            "/publications/forum/kca-ttf/feed.atom",
        ]
    }

    assert len(set(etags.values())) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_changes_the_feeds_validators(client, cica, superuser):
    draft = f.PublicationFactory(
        forum=cica.forum,
        title="Fresh",
        status=PublicationStatus.SUBMITTED,
        submitted_by=f.UserFactory(),
    )
    before = {url: client.get(url)["ETag"] for url in FEEDS}

    publication_approve(publication=draft, by=superuser)

    for url in FEEDS:
        response = client.get(url, headers={"if-none-match": before[url]})
        assert response.status_code == 200
        assert response["ETag"] != before[url]
        assert [e.title for e in _parse(response).entries] == ["Fresh"]


@pytest.mark.parametrize("url", FEEDS)
def test_a_forged_host_changes_nothing_in_a_feed(client, cica, url):
    publication = _approved(
        cica.forum,
        title="Brief",
        slug="brief",
        published_on=datetime.date(2024, 1, 1),
        reviewed_at=_at(1),
    )

    genuine = client.get(url)
    forged = client.get(url, headers={"host": "localhost"})

    assert forged.content == genuine.content
    assert forged["ETag"] == genuine["ETag"]
    entry = _parse(forged).entries[0]
    assert entry.link == "https://forums.example.org/publications/brief/"
    assert (
        entry.id
        == f"tag:forums.example.org,{publication.created_at:%Y-%m-%d}:publications/{publication.pk}"
    )
    assert b"localhost" not in forged.content
    assert b"testserver" not in forged.content


def test_entries_carry_their_publications_language(client, cica):
    _approved(
        cica.forum,
        title="Доклад",
        language="ru",
        published_on=datetime.date(2024, 1, 1),
        reviewed_at=_at(2),
    )
    _approved(
        cica.forum,
        title="Other",
        language="other",
        published_on=datetime.date(2024, 1, 1),
        reviewed_at=_at(1),
    )

    response = client.get(FEEDS[0])

    assert b'<entry xml:lang="ru">' in response.content
    assert response.content.count(b"<entry>") == 1  # the "other" language: no xml:lang
    assert [e.title for e in _parse(response).entries] == ["Доклад", "Other"]


# --- the meetings calendar ------------------------------------------------------------

YEAR = datetime.date.today().year + 1


def test_the_calendar_names_the_portal_and_links_site_url_whatever_the_host(client, settings, cica):
    settings.PORTAL_NAME = ""
    meeting = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(YEAR, 3, 1))

    genuine = client.get("/meetings.ics")
    forged = client.get("/meetings.ics", headers={"host": "localhost"})

    assert forged.content == genuine.content
    assert forged["ETag"] == genuine["ETag"]
    calendar = Calendar.from_ical(forged.content)
    assert str(calendar["prodid"]) == "-//Think Tank Forums//Meetings//EN"
    assert str(calendar["x-wr-calname"]) == "Think Tank Forums: meetings"
    (event,) = calendar.walk("VEVENT")
    assert str(event["url"]) == "https://forums.example.org/forums/cica-ttf/"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@forums.example.org"


def test_an_unchanged_calendar_is_answered_304_from_one_query(
    client, cica, django_assert_num_queries
):
    f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(YEAR, 3, 1))
    first = client.get("/meetings.ics")

    with django_assert_num_queries(1):
        by_etag = client.get("/meetings.ics", headers={"if-none-match": first["ETag"]})
    with django_assert_num_queries(1):
        by_date = client.get("/meetings.ics", headers={"if-modified-since": first["Last-Modified"]})

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert (by_date.status_code, by_date.content) == (304, b"")


def test_renaming_the_portal_changes_the_calendars_validators(client, settings, cica):
    before = client.get("/meetings.ics")["ETag"]

    settings.PORTAL_NAME = "CICA Forums"

    assert client.get("/meetings.ics", headers={"if-none-match": before}).status_code == 200
