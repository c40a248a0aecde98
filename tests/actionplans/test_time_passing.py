"""Meetings and plans that keep their own calendar: a meeting still "planned" after its
dates is shown as not recorded (and leaves the upcoming lists), staff can list those, an
activity past its time frame with nothing to show is overdue in the implementation
report, a tentative window is free time in iCalendar; and dates and countries read as
the documents write them."""

import datetime

import pytest
from django.utils import translation
from icalendar import Calendar

from actionplans.enums import ActivityStatus, MeetingStatus
from actionplans.models import Meeting, date_passed_q, format_window
from secretariat.reports import implementation_report
from tests import factories as f
from tests.html import page as _page
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 1, 15)


@pytest.fixture
def today(set_today):
    return set_today(TODAY)


CASES = [
    # (status, starts_on, ends_on, window_start, window_end, passed on 15 January 2025)
    (MeetingStatus.PLANNED, D(2025, 1, 14), None, None, None, True),
    (MeetingStatus.PLANNED, D(2025, 1, 15), None, None, None, False),
    (MeetingStatus.PLANNED, D(2025, 1, 10), D(2025, 1, 15), None, None, False),
    (MeetingStatus.PLANNED, D(2025, 1, 10), D(2025, 1, 14), None, None, True),
    (MeetingStatus.PLANNED, None, None, D(2024, 1, 1), D(2024, 12, 31), True),
    (MeetingStatus.PLANNED, None, None, D(2025, 1, 1), D(2025, 12, 31), False),
    (MeetingStatus.PLANNED, None, None, None, None, False),
    (MeetingStatus.POSTPONED, D(2024, 3, 5), None, None, None, False),
    (MeetingStatus.CANCELLED, D(2024, 3, 5), None, None, None, False),
    (MeetingStatus.HELD, D(2024, 3, 5), None, None, None, False),
]


def test_a_meeting_is_past_unrecorded_only_if_still_planned_after_its_last_day():
    forum = f.ForumFactory()
    expected = {}
    for n, (status, starts, ends, w_start, w_end, passed) in enumerate(CASES):
        meeting = f.MeetingFactory(
            forum=forum,
            title=f"Case {n}",
            status=status,
            starts_on=starts,
            ends_on=ends,
            window_start=w_start,
            window_end=w_end,
        )
        assert meeting.date_passed(TODAY) is passed, CASES[n]
        expected[meeting.pk] = passed

    in_sql = set(Meeting.objects.filter(date_passed_q(TODAY)).values_list("pk", flat=True))
    assert in_sql == {pk for pk, passed in expected.items() if passed}


@pytest.fixture
def meetings(today):
    forum = f.ForumFactory(name="Forum of Passing Time", slug="time-forum")
    f.MeetingFactory(
        forum=forum,
        title="Eleventh Forum",
        window_start=D(2024, 9, 1),
        window_end=D(2024, 10, 31),
    )
    f.MeetingFactory(forum=forum, title="Winter Workshop", starts_on=D(2025, 1, 20))
    f.MeetingFactory(
        forum=forum,
        title="Twelfth Forum",
        window_start=D(2025, 1, 1),
        window_end=D(2025, 12, 31),
    )
    f.MeetingFactory(
        forum=forum, title="Held Roundtable", status=MeetingStatus.HELD, starts_on=D(2024, 5, 5)
    )
    return forum


def test_forum_page_lists_passed_meetings_apart_and_links_the_calendar(client, meetings):
    page = _page(client.get("/forums/time-forum/"))

    planned, held, passed = page.query_all("#meetings ~ .card-list")
    assert _texts(planned, ".card-title") == ["Twelfth Forum", "Winter Workshop"]
    assert _texts(planned, ".badge") == ["tentative"]
    assert _texts(held, ".card-title") == ["Held Roundtable"]
    assert _texts(passed, ".card-title") == ["Eleventh Forum"]
    assert _texts(passed, ".card .meta:first-of-type") == [
        "September–October 2024 date passed — not recorded"
    ]
    calendar_link = page.query_all('a[type="text/calendar"]')
    assert [a.etree_element.get("href") for a in calendar_link] == ["/meetings.ics"]


def test_home_page_and_member_dashboard_leave_passed_meetings_out(client, meetings):
    home = client.get("/").content.decode()
    assert "Eleventh Forum" not in home
    assert "Winter Workshop" in home

    from workspace.selectors import workspace_upcoming_meetings

    contact = f.ContactFactory()
    f.MembershipFactory(forum=meetings, institute=contact.institute)
    assert [m.title for m in workspace_upcoming_meetings(contact=contact, limit=10)] == [
        "Winter Workshop",
        "Twelfth Forum",
    ]


def test_staff_list_the_meetings_to_record(client, meetings, log_in_as, superuser):
    log_in_as("superuser")

    response = client.get("/admin/actionplans/meeting/", {"date_passed": "yes"})

    assert [m.title for m in response.context["cl"].result_list] == ["Eleventh Forum"]
    assert b"date passed \xe2\x80\x94 record what happened" in response.content


def test_tentative_windows_are_free_time_in_the_calendar(client, meetings):
    calendar = Calendar.from_ical(client.get("/meetings.ics").content)
    transparency = {str(e["summary"]): str(e["transp"]) for e in calendar.walk("VEVENT")}

    assert transparency == {
        # Its window is over and nobody recorded it: the calendar says so.
        "Eleventh Forum (date passed, not recorded: September–October 2024)": "TRANSPARENT",
        "Twelfth Forum (tentative: 2025)": "TRANSPARENT",
        "Winter Workshop": "OPAQUE",
        "Held Roundtable": "OPAQUE",
    }


def test_activities_past_their_time_frame_without_outputs_are_overdue(today):
    plan = f.ActionPlanFactory(year=2024)
    rows = {
        "past year, nothing": {},
        "past its own end": {"starts_on": D(2025, 1, 1), "ends_on": D(2025, 1, 10)},
        "frame not over": {"starts_on": D(2025, 1, 1), "ends_on": D(2025, 3, 31)},
        "completed": {"status": ActivityStatus.COMPLETED},
        "cancelled": {"status": ActivityStatus.CANCELLED},
        "in progress, nothing": {"status": ActivityStatus.IN_PROGRESS},
        "with a meeting held": {},
    }
    activities = {
        title: f.ActivityFactory(plan=plan, title=title, **fields) for title, fields in rows.items()
    }
    f.MeetingFactory(
        forum=plan.forum,
        activity=activities["with a meeting held"],
        status=MeetingStatus.HELD,
        starts_on=D(2024, 6, 1),
    )

    report = implementation_report(plan=plan)

    assert {row.activity.title: row.overdue for row in report.activities} == {
        "past year, nothing": True,
        "past its own end": True,
        "frame not over": False,
        "completed": False,
        "cancelled": False,
        "in progress, nothing": True,
        "with a meeting held": False,
    }
    assert report.overdue == 3


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", D(2024, 9, 1), D(2024, 10, 31), "September–October 2024"),
        ("ru", D(2024, 9, 1), D(2024, 10, 31), "сентябрь–октябрь 2024 г."),
        ("ru", D(2024, 9, 1), D(2024, 9, 30), "сентябрь 2024 г."),
        ("ru", D(2024, 1, 1), D(2024, 12, 31), "2024 г."),
        ("ru", D(2024, 1, 1), D(2025, 12, 31), "2024–2025 гг."),
        ("ru", D(2024, 11, 1), D(2025, 2, 28), "ноябрь 2024 г. – февраль 2025 г."),
        ("en", D(2024, 11, 1), D(2025, 2, 28), "November 2024 – February 2025"),
        ("en", D(2024, 9, 3), D(2024, 9, 5), "3 September 2024 – 5 September 2024"),
        ("ru", D(2024, 9, 3), D(2024, 9, 5), "3 сентября 2024 г. – 5 сентября 2024 г."),
    ],
)
def test_windows_read_as_documents_write_them(language, start, end, expected):
    with translation.override(language):
        assert format_window(start, end) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/forums/kca-ttf/", ["20 November 2023", "Roundtable · Seoul · Republic of Korea"]),
        ("/ru/forums/kca-ttf/", ["20 ноября 2023 г.", "Круглый стол · Seoul · Республика Корея"]),
    ],
)
def test_dates_and_countries_are_diplomatic(client, path, expected):
    forum = f.ForumFactory(name="Korea–Central Asia Think Tank Forum", slug="kca-ttf")
    f.MeetingFactory(
        forum=forum,
        title="Launch Roundtable",
        kind="roundtable",
        status=MeetingStatus.HELD,
        starts_on=D(2023, 11, 20),
        place="Seoul",
        host_country="KR",
    )
    page = _page(client.get(path))
    (held,) = page.query_all("#meetings ~ .card-list")

    assert _texts(held, ".meta") == expected


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", {"KR": "Republic of Korea", "KG": "Kyrgyz Republic"}),
        ("ru", {"KR": "Республика Корея", "KG": "Кыргызская Республика"}),
    ],
)
def test_official_country_names(language, names):
    from django_countries import countries

    with translation.override(language):
        assert {code: str(countries.name(code)) for code in names} == names
