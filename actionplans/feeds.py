"""Every forum meeting as an iCalendar feed, for calendar applications to subscribe to.

One query whatever the number of meetings. Meetings are all-day events; a meeting known
only by its tentative window is a TENTATIVE event spanning the window.
"""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from actionplans.enums import MeetingStatus
from actionplans.models import Meeting
from mail.outbox import canonical_host

ONE_DAY = datetime.timedelta(days=1)


def dated_meetings() -> QuerySet[Meeting]:
    """Meetings with confirmed dates or a tentative window; the others cannot be placed."""
    return (
        Meeting.objects.filter(Q(starts_on__isnull=False) | Q(window_start__isnull=False))
        .select_related("forum")
        .only(
            "pk",
            "title",
            "theme",
            "status",
            "host_country",
            "place",
            "starts_on",
            "ends_on",
            "window_start",
            "window_end",
            "updated_at",
            "forum__slug",
        )
        .order_by("pk")
    )


def _status(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    if meeting.is_tentative or meeting.status == MeetingStatus.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def meeting_event(meeting: Meeting, *, uid_host: str, forum_url: str) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{uid_host}")
    event.add("dtstamp", meeting.updated_at)
    if meeting.is_tentative:
        summary = _("%(title)s (tentative: %(when)s)") % {
            "title": meeting.title,
            "when": meeting.when,
        }
        event.add("summary", summary)
        assert meeting.window_end is not None  # a window has both ends (meeting_window_complete)
        event.add("dtstart", meeting.window_start)
        event.add("dtend", meeting.window_end + ONE_DAY)
    else:
        event.add("summary", meeting.title)
        assert meeting.starts_on is not None  # dated_meetings(): not tentative, so dated
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", (meeting.ends_on or meeting.starts_on) + ONE_DAY)
    event.add("status", _status(meeting))
    # django-stubs types a CountryField as str; django-countries reads it as a Country.
    country = meeting.host_country.name  # type: ignore[attr-defined]
    location = ", ".join(part for part in (meeting.place, country) if part)
    if location:
        event.add("location", location)
    if meeting.theme:
        event.add("description", meeting.theme)
    event.add("url", forum_url)
    return event


@require_safe
def meetings_ics(request: HttpRequest) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.PORTAL_NAME}: {_('meetings')}")
    # UIDs are on the canonical host, so they stay the same however the feed is reached.
    uid_host = canonical_host()
    forum_urls: dict[str, str] = {}
    for meeting in dated_meetings():
        slug = meeting.forum.slug
        if slug not in forum_urls:
            forum_urls[slug] = request.build_absolute_uri(
                reverse("forums:detail", kwargs={"slug": slug})
            )
        calendar.add_component(
            meeting_event(meeting, uid_host=uid_host, forum_url=forum_urls[slug])
        )
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
