"""The public pages that are put together from several apps' reads: the home page, the
forum pages (members, meetings, plans, statements) and the institute pages (memberships,
publications). They live in the project package, above the apps, so that no app has to
import one that builds on it."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from actionplans.selectors import (
    action_plan_adopted_list,
    forum_host_rotation,
    forum_meeting_archive,
    forum_meetings,
    meeting_upcoming,
    statement_latest,
    statement_published_list,
)
from forums.models import Forum
from forums.selectors import forum_public_detail
from members.models import Institute
from members.selectors import (
    forum_list_public,
    forum_members_by_country,
    institute_list_public,
    institute_public_detail,
)
from publications.selectors import publication_newest
from secretariat.annual_report import annual_report, annual_report_document, annual_report_years
from website.selectors import public_institutes

HOME_MEETINGS = 5
HOME_PUBLICATIONS = 6
HOME_STATEMENTS = 3
INSTITUTE_PUBLICATIONS = 20
# A forum's page lists this many planned and held meetings; its archive lists every
# meeting, a page at a time.
FORUM_PLANNED_MEETINGS = 20
FORUM_HELD_MEETINGS = 10
ARCHIVE_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    """The forums, what they plan next, and what they published last. A fixed number of
    queries, however many rows there are."""
    return render(
        request,
        "home.html",
        {
            "forums": forum_list_public(),
            "meetings": meeting_upcoming(limit=HOME_MEETINGS),
            "publications": publication_newest(limit=HOME_PUBLICATIONS),
            "statements": statement_latest(limit=HOME_STATEMENTS),
        },
    )


def forum_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forums/forum_list.html", {"forums": forum_list_public()})


def _forum_or_404(slug: str) -> Forum:
    try:
        return forum_public_detail(slug=slug)
    except Forum.DoesNotExist:
        raise Http404 from None


def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's facts, members, plans and statements, its next and latest meetings (the
    rest are in its archive) and, where it hosts by reciprocity, its host rotation: a
    fixed number of queries and a bounded page, however
    long the forum's history."""
    forum = _forum_or_404(slug)
    meetings = forum_meetings(
        forum=forum, planned_limit=FORUM_PLANNED_MEETINGS, held_limit=FORUM_HELD_MEETINGS
    )
    statements = list(statement_published_list(forum=forum))
    # The founding document links to the statement of that title, where it is published.
    founding_statement = next(
        (s for s in statements if forum.founding_document and s.title == forum.founding_document),
        None,
    )
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "member_groups": forum_members_by_country(forum=forum),
            "meetings": meetings,
            "action_plans": action_plan_adopted_list(forum=forum),
            "statements": statements,
            "founding_statement": founding_statement,
            "host_rotation": forum_host_rotation(forum=forum),
            "annual_report_years": annual_report_years(forum=forum),
        },
    )


def forum_annual_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A forum's annual report of ``year``, for the years it has one
    (``annual_report_years``; any other is not found), with its PDF in the page's language
    once a worker has rendered it: the page never renders nor creates it (docs/adr/0016).
    A fixed number of queries, however much the forum did that year."""
    forum = _forum_or_404(slug)
    years = annual_report_years(forum=forum)
    if year not in years:
        raise Http404("No annual report of this forum for that year.")
    document = annual_report_document(forum=forum, year=year, language=get_language())
    pdf_url = ""
    if document is not None and document.has_current_pdf and document.public_pdf:
        pdf_url = document.public_pdf.url
    return render(
        request,
        "secretariat/annual/page.html",
        {
            "forum": forum,
            "years": years,
            "report": annual_report(forum=forum, year=year),
            "pdf_url": pdf_url,
        },
    )


def forum_meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every meeting of a forum, latest first, a page at a time (``?page=``; a number out
    of range shows the nearest page). Four queries whatever the page."""
    forum = _forum_or_404(slug)
    page = Paginator(forum_meeting_archive(forum=forum), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "forums/meeting_list.html", {"forum": forum, "page": page})


def institute_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/institute_list.html",
        {"country_groups": institute_list_public(institutes=public_institutes())},
    )


def institute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An institute's profile, if it is public (``public_institutes``); otherwise it is
    not found."""
    try:
        institute = institute_public_detail(institutes=public_institutes(), slug=slug)
    except Institute.DoesNotExist:
        raise Http404 from None
    publications = publication_newest(institute=institute, limit=INSTITUTE_PUBLICATIONS)
    return render(
        request,
        "members/institute_detail.html",
        {"institute": institute, "publications": publications},
    )
