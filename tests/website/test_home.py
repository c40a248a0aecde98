"""The home page: the forums, their planned meetings, the newest approved publications and
the latest published joint statements."""

import datetime

import pytest
from django.urls import reverse

from actionplans.enums import MeetingStatus, StatementStatus
from members.enums import MembershipStatus
from publications.enums import PublicationStatus
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db
D = datetime.date


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return _page(response)


def _section(page, heading_id: str):
    return next(page.query_all(f"section[aria-labelledby={heading_id}]"))


def test_home_lists_the_forums_with_framework_and_member_count(client):
    forum = f.ForumFactory(
        name="Korea–Central Asia Think Tank Forum",
        slug="kca",
        framework=f.FrameworkFactory(name="Korea–Central Asia Cooperation Forum"),
        description="A cooperative network between major research institutes.",
    )
    f.MembershipFactory(forum=forum)
    f.MembershipFactory(forum=forum, status=MembershipStatus.RECOMMENDED, decided_on=None)
    f.ForumFactory(
        name="CICA Think Tank Forum", slug="cica", framework=f.FrameworkFactory(name="CICA")
    )

    forums = _section(_home(client), "home-forums")

    assert _texts(forums, ".card-title") == [
        "CICA Think Tank Forum",
        "Korea–Central Asia Think Tank Forum",
    ]
    assert _attrs(forums, ".card-title a", "href") == ["/forums/cica/", "/forums/kca/"]
    assert _texts(forums, ".meta") == [
        "CICA · 0 member institutes",
        "Korea–Central Asia Cooperation Forum · 1 member institute",
    ]
    assert _texts(forums, ".card p:not(.meta)") == [
        "A cooperative network between major research institutes."
    ]


def test_home_lists_planned_meetings_soonest_first_with_tentative_windows(client, set_today):
    set_today(D(2024, 1, 10))
    forum = f.ForumFactory(name="CICA Think Tank Forum", slug="cica")
    f.MeetingFactory(
        forum=forum,
        title="Twelfth CICA Think Tank Forum",
        slug="twelfth",
        window_start=D(2024, 9, 1),
        window_end=D(2024, 10, 31),
    )
    f.MeetingFactory(
        forum=forum,
        title="Water workshop",
        slug="water",
        starts_on=D(2024, 5, 14),
        place="Dushanbe",
    )
    f.MeetingFactory(forum=forum, title="Undated dialogue", slug="dialogue")
    f.MeetingFactory(
        forum=forum, title="Held roundtable", status=MeetingStatus.HELD, starts_on=D(2024, 1, 9)
    )
    f.MeetingFactory(forum=forum, title="Cancelled workshop", status=MeetingStatus.CANCELLED)
    f.MeetingFactory(forum=forum, title="Postponed workshop", status=MeetingStatus.POSTPONED)

    meetings = _section(_home(client), "home-meetings")

    assert _texts(meetings, ".card-title") == [
        "Water workshop",
        "Twelfth CICA Think Tank Forum",
        "Undated dialogue",
    ]
    assert _texts(meetings, ".meta") == [
        "14 May 2024 · Dushanbe",
        "CICA Think Tank Forum",
        "September–October 2024 tentative",
        "CICA Think Tank Forum",
        "Dates to be announced",
        "CICA Think Tank Forum",
    ]
    assert _texts(meetings, ".badge-tentative") == ["tentative"]
    assert _attrs(meetings, ".card-title a", "href") == [
        "/forums/cica/#meeting-water",
        "/forums/cica/#meeting-twelfth",
        "/forums/cica/#meeting-dialogue",
    ]


def test_home_lists_at_most_five_meetings(client, set_today):
    set_today(D(2024, 1, 10))
    for day in range(1, 8):
        f.MeetingFactory(title=f"Workshop {day}", starts_on=D(2024, 3, day))

    meetings = _section(_home(client), "home-meetings")

    assert _texts(meetings, ".card-title") == [f"Workshop {day}" for day in range(1, 6)]


def test_home_lists_only_approved_publications_newest_first(client):
    kaziss = f.InstituteFactory(
        name="Kazakhstan Institute for Strategic Studies", short_name="KazISS"
    )
    korea = f.InstituteFactory(name="Korea Foundation")
    older = f.PublicationFactory(
        title="Asia Security Outlook 2023",
        published_on=D(2023, 12, 1),
        status=PublicationStatus.APPROVED,
    )
    older.institutes.add(kaziss, korea)
    newer = f.PublicationFactory(
        title="Energy in Central Asia",
        published_on=D(2024, 5, 2),
        status=PublicationStatus.APPROVED,
    )
    newer.institutes.add(korea)
    for status in (PublicationStatus.SUBMITTED, PublicationStatus.RETURNED):
        f.PublicationFactory(
            title=f"A {status} report",
            published_on=D(2024, 6, 1),
            status=status,
            return_reason="Missing PDF" if status == PublicationStatus.RETURNED else "",
        ).institutes.add(kaziss)

    publications = _section(_home(client), "home-publications")

    assert _texts(publications, ".card-title") == [
        "Energy in Central Asia",
        "Asia Security Outlook 2023",
    ]
    assert _texts(publications, ".meta") == [
        "Korea Foundation · 2 May 2024",
        "KazISS, Korea Foundation · 1 December 2023",
    ]
    assert _attrs(publications, ".card-title a", "href") == [
        f"/publications/{newer.slug}/",
        f"/publications/{older.slug}/",
    ]


def test_home_lists_at_most_six_publications(client):
    for day in range(1, 9):
        f.PublicationFactory(
            title=f"Report {day}", published_on=D(2024, 1, day), status=PublicationStatus.APPROVED
        )

    publications = _section(_home(client), "home-publications")

    assert _texts(publications, ".card-title") == [f"Report {day}" for day in range(8, 2, -1)]


def test_home_lists_only_published_joint_statements_latest_first(client):
    forum = f.ForumFactory(name="Korea–Central Asia Think Tank Forum")
    for title, adopted, published in [
        ("Statement of 2023", D(2023, 11, 20), D(2023, 11, 21)),
        ("Statement of 2024", D(2024, 10, 2), D(2024, 10, 3)),
        ("Statement of 2022", D(2022, 5, 1), D(2022, 5, 2)),
        ("Statement of 2021", D(2021, 5, 1), D(2021, 5, 2)),
    ]:
        f.JointStatementFactory(
            forum=forum,
            title=title,
            place="Seoul",
            adopted_on=adopted,
            published_on=published,
            status=StatementStatus.PUBLISHED,
        )
    f.JointStatementFactory(
        forum=forum, title="Adopted only", adopted_on=D(2025, 1, 1), status=StatementStatus.ADOPTED
    )
    f.JointStatementFactory(forum=forum, title="A draft")

    statements = _section(_home(client), "home-statements")

    assert _texts(statements, ".card-title") == [
        "Statement of 2024",
        "Statement of 2023",
        "Statement of 2022",
    ]
    assert _texts(statements, ".meta") == [
        "Seoul, 2 October 2024 · Korea–Central Asia Think Tank Forum",
        "Seoul, 20 November 2023 · Korea–Central Asia Think Tank Forum",
        "Seoul, 1 May 2022 · Korea–Central Asia Think Tank Forum",
    ]


def test_empty_home_says_there_is_nothing_yet(client):
    assert _texts(_home(client), ".empty-state") == [
        "No forums yet.",
        "No meetings are planned at the moment.",
        "No joint statements have been published yet.",
        "No publications in the catalogue yet.",
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_home_queries_do_not_grow_with_rows(client, django_assert_num_queries, n):
    for i in range(n):
        membership = f.MembershipFactory()
        f.MeetingFactory(forum=membership.forum, starts_on=D(2024, 1, 1 + i % 28))
        f.PublicationFactory(
            forum=membership.forum, status=PublicationStatus.APPROVED
        ).institutes.add(membership.institute, f.InstituteFactory())
        f.JointStatementFactory(
            forum=membership.forum,
            adopted_on=D(2024, 1, 1),
            published_on=D(2024, 1, 2),
            status=StatementStatus.PUBLISHED,
        )

    # forums (with member counts), meetings, publications, their institutes, statements
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))

    page = _page(response)
    assert len(_texts(page, "[aria-labelledby=home-forums] .card")) == n
    assert len(_texts(page, "[aria-labelledby=home-publications] .card")) == min(n, 6)
