"""Reads of the member workspace: each starts from the signed-in contact's institute, so
another institute's object is never found whatever id is asked for."""

from collections.abc import Collection

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from actionplans.enums import ActionPlanStatus, ActivityKind, MeetingStatus
from actionplans.models import Activity, ActivityModerator, Meeting, date_passed_q
from members.models import Contact, Recommendation
from members.selectors import (
    workspace_admitted_forums,
)
from publications.enums import PublicationStatus
from publications.models import Publication
from secretariat.models import Answer, Delivery
from secretariat.selectors import institute_circulations

LATEST_SUBMISSIONS = 5
UPCOMING_MEETINGS = 10
AWAITING_ON_DASHBOARD = 10
# Rows per page of every list of the workspace.
MEMBER_PAGE_SIZE = 25

# --- Reads that cross apps (selectors of the workspace) --------------------------------


def workspace_publications(*, contact: Contact) -> QuerySet[Publication]:
    """The contact's institute's publications (any status), newest first, with forum."""
    return (
        Publication.objects.filter(institutes=contact.institute_id)
        .select_related("forum")
        .order_by("-created_at", "-id")
    )


def workspace_publication(*, contact: Contact, pk: int) -> Publication:
    """One of the institute's publications; ``Publication.DoesNotExist`` for any other."""
    return workspace_publications(contact=contact).get(pk=pk)


def workspace_publication_counts(*, contact: Contact) -> dict[str, int]:
    """{status: count} of the institute's publications, every status present. One query."""
    counts = dict(
        Publication.objects.filter(institutes=contact.institute_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: counts.get(status, 0) for status in PublicationStatus.values}


def workspace_upcoming_meetings(*, contact: Contact, limit: int) -> list[Meeting]:
    """Planned meetings of the forums the institute is admitted to whose dates (or
    tentative window) are not over."""
    return list(
        Meeting.objects.filter(
            forum__in=workspace_admitted_forums(contact=contact),
            status=MeetingStatus.PLANNED,
        )
        .exclude(date_passed_q(timezone.localdate()))
        .select_related("forum")
        .order_by("starts_on", "window_start", "title")[:limit]
    )


def workspace_awaiting_answer(*, contact: Contact) -> QuerySet[Delivery]:
    """Documents circulated to the institute that nobody of it has answered yet: one
    delivery per circulation (the institute's first), the newest circulation first, with
    the circulation and its paper. A queryset the caller cuts or pages: the database
    keeps one row per circulation, so a page reads only its own rows."""
    answered = Answer.objects.filter(
        delivery__circulation=OuterRef("circulation"),
        delivery__institute_id=contact.institute_id,
    )
    return institute_circulations(institute_id=contact.institute_id).filter(~Exists(answered))


def workspace_workshop_activities(*, contact: Contact) -> QuerySet[Activity]:
    """Workshop series of adopted action plans of the forums the institute is admitted to,
    with their plan, forum and themes."""
    return (
        Activity.objects.filter(
            kind=ActivityKind.WORKSHOP_SERIES,
            plan__status=ActionPlanStatus.ADOPTED,
            plan__forum__in=workspace_admitted_forums(contact=contact),
        )
        .select_related("plan__forum")
        .prefetch_related("themes")
        .order_by("plan__forum__name", "-plan__year", "number")
    )


def workspace_moderations(
    *, contact: Contact, activity_ids: Collection[int]
) -> dict[tuple[int, int], ActivityModerator]:
    """{(activity id, theme id): moderation} of the institute's volunteering for these
    activities (a page of them). One query."""
    return {
        (row.activity_id, row.theme_id): row
        for row in ActivityModerator.objects.filter(
            institute_id=contact.institute_id, activity_id__in=activity_ids
        )
    }


def workspace_recommendations(*, contact: Contact) -> QuerySet[Recommendation]:
    """The recommendations the institute made, newest first, with their forum."""
    return (
        Recommendation.objects.filter(recommended_by_id=contact.institute_id)
        .select_related("forum")
        .order_by("-created_at", "-id")
    )


# --- Access ------------------------------------------------------------------------------
