"""Forum meetings as an iCalendar feed, for calendar applications to subscribe to.

The feed holds the meetings still to come and those of the last twelve months
(``PAST_DAYS``), not the whole history: a calendar that subscribed long ago keeps the
older events it already has. Two queries whatever the number of meetings, one for an
unchanged feed (ETag and Last-Modified, answered 304). Meetings are all-day events; a
meeting known only by its tentative window is a TENTATIVE event spanning the window.
"""

import datetime
import hashlib

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from actionplans.enums import MeetingStatus
from actionplans.models import Meeting
from core.site import portal_name, portal_name_untranslated
from core.urls import absolute_url, canonical_host

ONE_DAY = datetime.timedelta(days=1)
# How far back the feed goes: meetings that ended within this many days, and all later.
PAST_DAYS = 365


def feed_start(*, today: datetime.date) -> datetime.date:
    """The first day a meeting must reach to be in the feed."""
    return today - datetime.timedelta(days=PAST_DAYS)


def _in_window(*, since: datetime.date) -> QuerySet[Meeting]:
    """Meetings placed in time (confirmed dates, or else a tentative window) that end on or
    after ``since``; the others cannot be placed, or are older than the feed."""
    dated = Q(starts_on__isnull=False) & (Q(starts_on__gte=since) | Q(ends_on__gte=since))
    tentative = Q(starts_on__isnull=True, window_start__isnull=False, window_end__gte=since)
    return Meeting.objects.filter(dated | tentative)


def dated_meetings(*, since: datetime.date) -> QuerySet[Meeting]:
    """The feed's meetings (``_in_window``), with what an event shows. One query."""
    return (
        _in_window(since=since)
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
        if meeting.is_date_passed:
            template = _("%(title)s (date passed, not recorded: %(when)s)")
        else:
            template = _("%(title)s (tentative: %(when)s)")
        summary = template % {"title": meeting.title, "when": meeting.when}
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
    # A tentative window (a month, a year) is when the meeting may fall, not time it takes:
    # a calendar shows it without marking the reader busy for all of it.
    event.add("transp", "TRANSPARENT" if meeting.is_tentative else "OPAQUE")
    # django-stubs types a CountryField as str; django-countries reads it as a Country.
    country = meeting.host_country.name  # type: ignore[attr-defined]
    location = ", ".join(part for part in (meeting.place, country) if part)
    if location:
        event.add("location", location)
    if meeting.theme:
        event.add("description", meeting.theme)
    event.add("url", forum_url)
    return event


def _feed_validators(
    request: HttpRequest, *, today: datetime.date
) -> tuple[str, datetime.datetime]:
    """The feed's ETag and Last-Modified from one aggregate, without reading its rows.

    The ETag changes with any meeting of the window added, changed or deleted (its count
    and latest change), a forum renamed, the day (meetings leave the window), the language,
    the portal's address (SITE_URL, whatever host asked) and name, and the deployed code;
    Last-Modified is at least the start of the day, since the window moves at midnight."""
    facts = _in_window(since=feed_start(today=today)).aggregate(
        n=Count("pk"), changed=Max("updated_at"), forums=Max("forum__updated_at")
    )
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    last_modified = max(d for d in (facts["changed"], facts["forums"], midnight) if d)
    key = "|".join(
        str(part)
        for part in (
            facts["n"],
            facts["changed"],
            facts["forums"],
            today,
            get_language(),
            settings.SITE_URL,
            portal_name(),
            settings.RELEASE,
        )
    )
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', last_modified


@require_safe
def meetings_ics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    etag, last_modified = _feed_validators(request, today=today)
    timestamp = int(last_modified.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if unchanged is not None:
        return unchanged
    calendar = Calendar()
    calendar.add("prodid", f"-//{portal_name_untranslated()}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{portal_name()}: {_('meetings')}")
    # UIDs are on the canonical host, so they stay the same however the feed is reached.
    uid_host = canonical_host()
    forum_urls: dict[str, str] = {}
    for meeting in dated_meetings(since=feed_start(today=today)):
        slug = meeting.forum.slug
        if slug not in forum_urls:
            forum_urls[slug] = absolute_url(reverse("forums:detail", kwargs={"slug": slug}))
        calendar.add_component(
            meeting_event(meeting, uid_host=uid_host, forum_url=forum_urls[slug])
        )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    return response
