import datetime

import pytest
from icalendar import Calendar

from actionplans.enums import MeetingStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/meetings.ics"
# Meetings of next year: in the feed whatever day the tests run.
YEAR = datetime.date.today().year + 1


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://forums.example.org"


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def _fields(event) -> dict[str, object]:
    return {
        "summary": str(event["summary"]),
        "dtstart": event.decoded("dtstart"),
        "dtend": event.decoded("dtend"),
        "status": str(event["status"]),
        "location": str(event.get("location", "")),
        "url": str(event["url"]),
        "description": str(event.get("description", "")),
    }


def test_confirmed_meeting_is_an_all_day_event_with_exclusive_end(client, cica):
    meeting = f.MeetingFactory(
        forum=cica.forum,
        title="Twelfth CICA Think Tank Forum",
        theme="Energy and water security in Asia",
        place="Astana",
        host_country="KZ",
        starts_on=datetime.date(YEAR, 9, 10),
        ends_on=datetime.date(YEAR, 9, 12),
    )

    events = _events(client.get(URL))

    event = events[f"meeting-{meeting.pk}@forums.example.org"]
    assert _fields(event) == {
        "summary": "Twelfth CICA Think Tank Forum",
        "dtstart": datetime.date(YEAR, 9, 10),
        "dtend": datetime.date(YEAR, 9, 13),
        "status": "CONFIRMED",
        "location": "Astana, Kazakhstan",
        "url": "https://forums.example.org/forums/cica-ttf/",
        "description": "Energy and water security in Asia",
    }
    assert event["dtstart"].params["VALUE"] == "DATE"
    assert event.decoded("dtstamp") == meeting.updated_at.replace(microsecond=0)


def test_one_day_meeting_ends_the_next_day(client, cica):
    meeting = f.MeetingFactory(
        forum=cica.forum, title="Roundtable", starts_on=datetime.date(YEAR, 6, 3), place="Seoul"
    )

    event = _events(client.get(URL))[f"meeting-{meeting.pk}@forums.example.org"]

    assert _fields(event) == {
        "summary": "Roundtable",
        "dtstart": datetime.date(YEAR, 6, 3),
        "dtend": datetime.date(YEAR, 6, 4),
        "status": "CONFIRMED",
        "location": "Seoul",
        "url": "https://forums.example.org/forums/cica-ttf/",
        "description": "",
    }


def test_meeting_with_only_a_window_is_tentative_over_the_window(client, kca):
    meeting = f.MeetingFactory(
        forum=kca.forum,
        title="Workshop on digital economy",
        host_country="KR",
        window_start=datetime.date(YEAR, 9, 1),
        window_end=datetime.date(YEAR, 10, 31),
    )

    event = _events(client.get(URL))[f"meeting-{meeting.pk}@forums.example.org"]

    assert _fields(event) == {
        "summary": f"Workshop on digital economy (tentative: September–October {YEAR})",
        "dtstart": datetime.date(YEAR, 9, 1),
        "dtend": datetime.date(YEAR, 11, 1),
        "status": "TENTATIVE",
        "location": "Republic of Korea",
        "url": "https://forums.example.org/forums/kca-ttf/",
        "description": "",
    }


@pytest.mark.parametrize(
    ("status", "ical_status"),
    [
        (MeetingStatus.PLANNED, "CONFIRMED"),
        (MeetingStatus.HELD, "CONFIRMED"),
        (MeetingStatus.POSTPONED, "TENTATIVE"),
        (MeetingStatus.CANCELLED, "CANCELLED"),
    ],
)
def test_event_status_follows_the_meeting(client, cica, status, ical_status):
    meeting = f.MeetingFactory(forum=cica.forum, status=status, starts_on=datetime.date(YEAR, 4, 2))

    event = _events(client.get(URL))[f"meeting-{meeting.pk}@forums.example.org"]

    assert str(event["status"]) == ical_status


def test_cancelled_tentative_meeting_is_cancelled(client, cica):
    meeting = f.MeetingFactory(
        forum=cica.forum,
        title="Training",
        status=MeetingStatus.CANCELLED,
        window_start=datetime.date(YEAR, 1, 1),
        window_end=datetime.date(YEAR, 12, 31),
    )

    event = _events(client.get(URL))[f"meeting-{meeting.pk}@forums.example.org"]

    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == f"Training (tentative: {YEAR})"


def test_meetings_without_dates_or_window_are_left_out(client, cica):
    dated = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(YEAR, 4, 2))
    f.MeetingFactory(forum=cica.forum, title="Someday")

    events = _events(client.get(URL))

    assert list(events) == [f"meeting-{dated.pk}@forums.example.org"]


@pytest.mark.parametrize("n", [1, 30])
def test_calendar_is_one_query_whatever_the_number_of_meetings(
    client, cica, kca, django_assert_num_queries, n
):
    for i in range(n):
        f.MeetingFactory(
            forum=cica.forum if i % 2 else kca.forum,
            starts_on=datetime.date(YEAR, 1, 1) + datetime.timedelta(days=i),
        )

    # The feed's validators (an aggregate), then its meetings.
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert len(_events(response)) == n
    with django_assert_num_queries(1):
        unchanged = client.get(URL, headers={"if-none-match": response["ETag"]})
    assert unchanged.status_code == 304


def test_the_feed_holds_the_last_twelve_months_and_everything_later(client, cica):
    today = datetime.date.today()
    days = datetime.timedelta
    kept = [
        f.MeetingFactory(forum=cica.forum, starts_on=today - days(300)),
        # Began before the window, ended in it.
        f.MeetingFactory(forum=cica.forum, starts_on=today - days(370), ends_on=today - days(360)),
        f.MeetingFactory(
            forum=cica.forum, window_start=today - days(400), window_end=today - days(200)
        ),
        f.MeetingFactory(forum=cica.forum, starts_on=today + days(800)),
    ]
    f.MeetingFactory(forum=cica.forum, starts_on=today - days(366))
    f.MeetingFactory(forum=cica.forum, starts_on=today - days(400), ends_on=today - days(398))
    f.MeetingFactory(forum=cica.forum, window_start=today - days(500), window_end=today - days(370))

    events = _events(client.get(URL))

    assert sorted(events) == sorted(f"meeting-{m.pk}@forums.example.org" for m in kept)


def test_the_feed_answers_conditional_requests_until_a_meeting_changes(client, cica, kca):
    meeting = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(YEAR, 3, 1))
    gone = f.MeetingFactory(forum=kca.forum, starts_on=datetime.date(YEAR, 4, 1))
    first = client.get(URL)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    unchanged = client.get(URL, headers={"if-none-match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert client.get(URL, headers={"if-modified-since": last_modified}).status_code == 304
    # Another language is another feed.
    assert client.get("/ru" + URL, headers={"if-none-match": etag}).status_code == 200

    gone.delete()
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 200
    etag = client.get(URL)["ETag"]
    meeting.title = "Renamed"
    meeting.save()
    changed = client.get(URL, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(changed.content).walk("VEVENT")] == [
        "Renamed"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("portal_name", "prodid", "calname"),
    [
        ("", "-//Think Tank Forums//Meetings//EN", "Think Tank Forums: meetings"),
        ("CICA Forums", "-//CICA Forums//Meetings//EN", "CICA Forums: meetings"),
    ],
)
def test_the_calendar_names_the_portal_even_when_no_name_is_set(
    client, settings, portal_name, prodid, calname
):
    settings.PORTAL_NAME = portal_name

    calendar = Calendar.from_ical(client.get(URL).content)

    assert (str(calendar["prodid"]), str(calendar["x-wr-calname"])) == (prodid, calname)
