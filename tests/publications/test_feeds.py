import datetime
import time

import feedparser
import pytest

from publications.enums import PublicationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

NOT_APPROVED = [
    PublicationStatus.SUBMITTED,
    PublicationStatus.RETURNED,
    PublicationStatus.WITHDRAWN,
]


def _publication(status=PublicationStatus.APPROVED, **kwargs):
    if status == PublicationStatus.RETURNED:
        kwargs.setdefault("return_reason", "Needs an abstract.")
    if status == PublicationStatus.APPROVED and "published_on" in kwargs:
        # Approved at noon of its date, unless the test says otherwise.
        noon = datetime.datetime.combine(kwargs["published_on"], datetime.time(12), datetime.UTC)
        kwargs.setdefault("reviewed_at", noon)
    return f.PublicationFactory(status=status, **kwargs)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://forums.example.org"


def _not_approved(forum):
    """One publication in each state that is not public, all newer than anything else."""
    for status in NOT_APPROVED:
        _publication(
            status=status,
            forum=forum,
            title=f"Hidden {status}",
            published_on=datetime.date(2025, 1, 1),
        )


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.fixture
def outlook(cica, settings):
    settings.SITE_URL = "https://forums.example.org"
    publication = _publication(
        forum=cica.forum,
        slug="asia-outlook-2024",
        title="Asia Security Outlook & Risks <2024>",
        authors="Ivanov, Ivan\nKim, Min-jun",
        abstract="Five risks, one region.",
        published_on=datetime.date(2024, 5, 1),
    )
    publication.institutes.set([cica.institute])
    publication.themes.set(
        [
            f.ThemeFactory(name="Energy security", name_ru="Энергетическая безопасность"),
            f.ThemeFactory(name="Water", name_ru="Вода"),
        ]
    )
    return publication


def test_catalogue_feed_lists_approved_publications_newest_first(client, cica, kca, outlook):
    older = _publication(
        forum=kca.forum,
        slug="kca-brief-2023",
        title="KCA Brief",
        published_on=datetime.date(2023, 2, 1),
    )
    older.institutes.set([kca.institute])
    _not_approved(cica.forum)

    feed = _parse(client.get("/publications/feed.atom"))

    assert feed.feed.title == "New publications of the think tank forums"
    assert feed.feed.subtitle == "The newest publications approved for the catalogue."
    assert feed.feed.link == "https://forums.example.org/publications/"
    assert [e.title for e in feed.entries] == ["Asia Security Outlook & Risks <2024>", "KCA Brief"]
    assert [e.link for e in feed.entries] == [
        "https://forums.example.org/publications/asia-outlook-2024/",
        "https://forums.example.org/publications/kca-brief-2023/",
    ]
    assert [e.id for e in feed.entries] == [
        f"tag:forums.example.org,{outlook.created_at:%Y-%m-%d}:publications/{outlook.pk}",
        f"tag:forums.example.org,{older.created_at:%Y-%m-%d}:publications/{older.pk}",
    ]


def test_feed_entry_carries_authors_dates_summary_and_themes(client, outlook):
    feed = _parse(client.get("/publications/feed.atom"))

    (entry,) = feed.entries
    assert [a.name for a in entry.authors] == ["Ivanov, Ivan", "Kim, Min-jun"]
    assert entry.summary == "Five risks, one region."
    assert entry.summary_detail.type == "text/plain"
    assert [t.term for t in entry.tags] == ["Energy security", "Water"]
    assert entry.published_parsed == time.struct_time((2024, 5, 1, 0, 0, 0, 2, 122, 0))
    # Approved at noon of its date (``_publication``).
    assert entry.updated == "2024-05-01T12:00:00+00:00"


def test_feed_entry_without_personal_authors_names_the_institutes(client, cica):
    publication = _publication(forum=cica.forum, authors="")
    publication.institutes.set([cica.institute])

    feed = _parse(client.get("/publications/feed.atom"))

    assert [a.name for a in feed.entries[0].authors] == ["CICA Institute"]


def test_feed_in_russian_links_russian_pages_and_theme_names(client, outlook):
    feed = _parse(client.get("/ru/publications/feed.atom"))

    (entry,) = feed.entries
    assert entry.link == "https://forums.example.org/ru/publications/asia-outlook-2024/"
    assert [t.term for t in entry.tags] == ["Энергетическая безопасность", "Вода"]


def test_catalogue_feed_holds_the_newest_fifty(client, cica):
    first = datetime.date(2024, 1, 1)
    for day in range(51):
        _publication(
            forum=cica.forum,
            title=f"Brief {day}",
            published_on=first + datetime.timedelta(days=day),
        )

    feed = _parse(client.get("/publications/feed.atom"))

    assert [e.title for e in feed.entries] == [f"Brief {day}" for day in range(50, 0, -1)]


@pytest.mark.parametrize("status", NOT_APPROVED)
def test_feeds_never_show_a_publication_not_approved(client, cica, status):
    _publication(status=status, forum=cica.forum, title="Hidden draft")

    for url in ("/publications/feed.atom", "/publications/forum/cica-ttf/feed.atom"):
        feed = _parse(client.get(url))
        assert feed.entries == []
        assert b"Hidden draft" not in client.get(url).content


def test_forum_feed_lists_only_that_forums_approved_publications(client, cica, kca, outlook):
    _publication(forum=kca.forum, title="KCA Brief")
    _not_approved(cica.forum)

    feed = _parse(client.get("/publications/forum/cica-ttf/feed.atom"))

    assert feed.feed.title == "CICA Think Tank Forum: new publications"
    assert feed.feed.subtitle == "The newest publications of this forum approved for the catalogue."
    assert feed.feed.link == f"https://forums.example.org/publications/?forum={cica.forum.pk}"
    assert [e.title for e in feed.entries] == ["Asia Security Outlook & Risks <2024>"]


def test_forum_feed_of_an_unknown_forum_is_not_found(client, cica):
    response = client.get("/publications/forum/no-such-forum/feed.atom")

    assert response.status_code == 404


def _many(forum, institute, n):
    themes = [f.ThemeFactory(), f.ThemeFactory()]
    for _ in range(n):
        publication = _publication(forum=forum, authors="Ivanov, Ivan")
        publication.institutes.set([institute])
        publication.themes.set(themes)


@pytest.mark.parametrize("n", [1, 30])
def test_catalogue_feed_queries_do_not_grow_with_entries(
    client, cica, django_assert_num_queries, n
):
    _many(cica.forum, cica.institute, n)

    # One for the validators (core.http.conditional), three for the feed.
    with django_assert_num_queries(4):
        feed = _parse(client.get("/publications/feed.atom"))
    assert len(feed.entries) == n


@pytest.mark.parametrize("n", [1, 30])
def test_forum_feed_queries_do_not_grow_with_entries(client, cica, django_assert_num_queries, n):
    _many(cica.forum, cica.institute, n)

    # Two for the validators, four for the feed.
    with django_assert_num_queries(6):
        feed = _parse(client.get("/publications/forum/cica-ttf/feed.atom"))
    assert len(feed.entries) == n


def test_the_feed_is_authored_by_the_portal_even_when_no_name_is_set(client, settings, outlook):
    settings.PORTAL_NAME = ""

    feed = _parse(client.get("/publications/feed.atom"))

    assert feed.feed.author == "Think Tank Forums"
