"""A joint statement's public page: published statements only."""

import datetime

import pytest
from django.urls import reverse

from actionplans.enums import MeetingKind, MeetingStatus, StatementStatus
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db
D = datetime.date


def _statement(**kwargs):
    forum = f.ForumFactory(
        name="Korea–Central Asia Think Tank Forum", short_name="KCA TTF", slug="kca-ttf"
    )
    meeting = f.MeetingFactory(
        forum=forum,
        title="Korea–Central Asia Think Tank Roundtable Conference",
        slug="roundtable-2023",
        kind=MeetingKind.ROUNDTABLE,
        status=MeetingStatus.HELD,
        starts_on=D(2023, 11, 20),
    )
    values = {
        "forum": forum,
        "meeting": meeting,
        "title": "Joint Statement on Launching the Korea–Central Asia Think Tank Forum",
        "slug": "launch",
        "place": "Seoul",
        "adopted_on": D(2023, 11, 20),
        "published_on": D(2023, 11, 21),
        "status": StatementStatus.PUBLISHED,
        "text": (
            "On November 20, 2023, the roundtable was held in Seoul.\n\n"
            "The representatives agreed to launch the forum with the following orientation:\n"
            "– The forum will convene on an annual basis."
        ),
    }
    return f.JointStatementFactory(**{**values, **kwargs})


def _get(client, slug="launch"):
    return client.get(reverse("actionplans:statement_detail", args=[slug]))


def test_published_statement_page_shows_the_statement(client):
    statement = _statement()
    for position, (name, country) in enumerate(
        [("Korea Foundation", "KR"), ("KazISS", "KZ"), ("IICA", "UZ")], start=1
    ):
        # Created in reverse so that only the position can put them in order.
        f.SignatoryFactory(
            statement=statement,
            institute=f.InstituteFactory(name=name, country=country),
            position=4 - position,
        )

    response = _get(client)
    page = _page(response)

    assert response.status_code == 200
    assert _texts(page, "h1") == [
        "Joint Statement on Launching the Korea–Central Asia Think Tank Forum"
    ]
    assert _texts(page, ".page-header .meta") == ["Seoul, 20 November 2023"]
    assert _texts(page, "main .prose p") == [
        "On November 20, 2023, the roundtable was held in Seoul.",
        "The representatives agreed to launch the forum with the following orientation: "
        "– The forum will convene on an annual basis.",
    ]
    # The statement has no signature block: it names who took part.
    assert _texts(page, "#signatories") == ["Participating institutions"]
    assert _texts(page, ".signatories li") == [
        "IICA (Uzbekistan)",
        "KazISS (Kazakhstan)",
        "Korea Foundation (Republic of Korea)",
    ]
    assert _texts(page, ".definition-list dd") == [
        "Korea–Central Asia Think Tank Forum",
        "Korea–Central Asia Think Tank Roundtable Conference",
        "Seoul",
        "20 November 2023",
        "Joint statement",
        "English",
    ]
    assert _attrs(page, ".definition-list a", "href") == [
        "/forums/kca-ttf/",
        "/forums/kca-ttf/#meeting-roundtable-2023",
    ]
    assert _texts(page, ".breadcrumbs li") == [
        "Home",
        "Forums",
        "KCA TTF",
        "Documents",
        "Joint statement",
    ]
    assert _texts(page, "a.button") == []


@pytest.mark.parametrize("status", [StatementStatus.DRAFT, StatementStatus.ADOPTED])
def test_statement_not_published_is_not_found(client, status):
    _statement(status=status, published_on=None)

    response = _get(client)

    assert response.status_code == 404
    assert "Joint Statement on Launching" not in response.content.decode()


def test_unknown_statement_is_not_found(client):
    _statement()

    assert _get(client, "no-such-statement").status_code == 404


def test_statement_page_in_russian(client):
    _statement()

    response = client.get("/ru/statements/launch/")

    assert response.status_code == 200
    assert _page(response).etree_element.get("lang") == "ru"


@pytest.mark.parametrize("n", [1, 30])
def test_statement_page_queries_do_not_grow_with_signatories(client, django_assert_num_queries, n):
    statement = _statement()
    for _ in range(n):
        f.SignatoryFactory(statement=statement)

    # the statement (with forum, meeting and kind), its signatories (with institutes), its
    # language versions
    with django_assert_num_queries(3):
        response = _get(client)

    assert len(_texts(_page(response), ".signatories li")) == n
