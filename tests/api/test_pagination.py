"""Keyset pages: every row once, in order, across pages (rows sharing a date included);
the next link keeps the filters; the database is asked by key, never with OFFSET; bad
cursors and page sizes are a 400 with the reason."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.conftest import SITE, publish

pytestmark = pytest.mark.django_db


def _cursor(values) -> str:
    text = json.dumps(values, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture
def seven(cica):
    """Seven approved publications, three of them on one day."""
    days = [
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 1),
        datetime.date(2023, 1, 5),
        datetime.date(2022, 7, 9),
        datetime.date(2021, 2, 2),
        datetime.date(2020, 6, 6),
    ]
    return [
        publish(
            title=f"Report {n}",
            slug=f"report-{n}",
            forum=cica.forum,
            kind="policy_brief" if n % 2 else "analytical_report",
            published_on=day,
            institutes=[cica.institute],
        )
        for n, day in enumerate(days)
    ]


def _walk(api, url, params=None):
    pages, response = [], api.get(url, params)
    while True:
        assert response.status_code == 200
        body = response.json()
        pages.append([row["slug"] for row in body["results"]])
        if body["next"] is None:
            return pages, response
        assert body["next"].startswith(f"{SITE}/api/v1/")
        response = api.get(body["next"].removeprefix(SITE))


def test_pages_list_every_row_once_newest_first(api, seven):
    pages, _last = _walk(api, "/api/v1/publications/", {"page_size": 2})

    assert pages == [
        ["report-2", "report-1"],
        ["report-0", "report-3"],
        ["report-4", "report-5"],
        ["report-6"],
    ]


def test_the_next_link_keeps_the_filters_and_the_page_size(api, seven):
    first = api.get("/api/v1/publications/", {"kind": "policy_brief", "page_size": 2}).json()

    assert [row["slug"] for row in first["results"]] == ["report-1", "report-3"]
    assert first["next"] == (
        f"{SITE}/api/v1/publications/?cursor={_cursor(['2023-01-05', seven[3].pk])}"
        "&kind=policy_brief&page_size=2"
    )
    pages, _last = _walk(api, "/api/v1/publications/", {"kind": "policy_brief", "page_size": 2})
    assert pages == [["report-1", "report-3"], ["report-5"]]


def test_a_page_is_read_by_key_without_offset(api, seven):
    cursor = _cursor(["2024-03-01", seven[1].pk])

    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/publications/", {"cursor": cursor, "page_size": 2})

    assert [row["slug"] for row in response.json()["results"]] == ["report-0", "report-3"]
    page_query = queries.captured_queries[0]["sql"]
    assert "OFFSET" not in page_query
    assert '"publications_publication"."published_on" <= ' in page_query
    assert "LIMIT 3" in page_query


def test_the_default_and_largest_page_sizes_come_from_the_settings(api, cica, settings):
    settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE = 3, 4
    for n in range(5):
        f.MeetingFactory(forum=cica.forum, slug=f"m-{n}", starts_on=datetime.date(2024, 1, n + 1))

    assert len(api.get("/api/v1/meetings/").json()["results"]) == 3
    assert len(api.get("/api/v1/meetings/", {"page_size": 4}).json()["results"]) == 4
    assert api.get("/api/v1/meetings/", {"page_size": 5}).json() == {
        "page_size": ["A whole number from 1 to 4."]
    }


def test_meetings_without_dates_come_first_then_the_latest(api, cica):
    for slug, day in [("old", datetime.date(2020, 1, 1)), ("undated", None)]:
        f.MeetingFactory(forum=cica.forum, slug=slug, starts_on=day)
    f.MeetingFactory(
        forum=cica.forum,
        slug="window",
        window_start=datetime.date(2026, 9, 1),
        window_end=datetime.date(2026, 10, 31),
    )

    pages, _last = _walk(api, "/api/v1/meetings/", {"page_size": 1})

    assert pages == [["undated"], ["window"], ["old"]]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _cursor(["2024-03-01"]),
        _cursor(["yesterday", 1]),
        _cursor(["2024-03-01", "1"]),
        _cursor(["2024-03-01", 2**63]),
        _cursor(["2024-03-01", True]),
        _cursor({"published_on": "2024-03-01"}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_cursor_that_is_not_ours_is_refused_with_the_reason(api, seven, cursor):
    response = api.get("/api/v1/publications/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Not a cursor of this list: use its “next” link."]}


def test_a_text_cursor_with_a_nul_is_refused(api, world):
    response = api.get("/api/v1/forums/", {"cursor": _cursor(["a\u0000b", 1])})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Not a cursor of this list: use its “next” link."]}


@pytest.mark.parametrize("size", ["0", "101", "-1", "ten", "1.5", ""])
def test_a_page_size_out_of_range_is_refused_with_the_reason(api, world, size):
    response = api.get("/api/v1/publications/", {"page_size": size})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["A whole number from 1 to 100."]}
