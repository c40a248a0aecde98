"""A forum's annual report: what the forum did in one calendar year, read from its public
data. The meetings it held and the joint statements they published, the activities of the
year's adopted action plan with their status and outputs, the approved publications filed
under the forum in the catalogue (counted by theme), and the decisions on its membership.

Only what the public may read goes in (held meetings, published statements, an adopted
plan, approved publications, membership decisions; never a draft, nor another forum's
rows), so the same content makes the public page and the PDF (``AnnualReport``). The
charts are the implementation report's (``secretariat.reports``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from actionplans.enums import ActionPlanStatus, MeetingStatus, StatementStatus
from actionplans.models import MIN_YEAR, ActionPlan, Activity, JointStatement, Meeting
from forums.models import Forum, Theme
from members.enums import MembershipStatus
from members.models import Institute, MembershipStatusChange
from publications.models import Publication
from publications.selectors import public_institutes_prefetch, public_publications
from secretariat.models import AnnualReport
from secretariat.reports import (
    Bar,
    ImplementationReport,
    activity_progress,
    bar_chart_svg,
    progress_chart_svg,
    status_counts,
    with_outputs,
)

# The report lists this many of the year's publications (newest first); it counts them all
# and links the catalogue for the rest.
PUBLICATIONS_LISTED = 100
THEME_COLOUR = "#2f6fb0"
THEME_LABEL_WIDTH = 200
# The decisions on membership the report names; a declined recommendation is only counted
# (the institution never became a member, and the public site does not show it).
NAMED_CHANGES = (MembershipStatus.ADMITTED, MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN)
REPORTED_CHANGES = (*NAMED_CHANGES, MembershipStatus.DECLINED)


@dataclass(frozen=True)
class MeetingHeld:
    meeting: Meeting
    statements: list[JointStatement]


@dataclass(frozen=True)
class ThemeCount:
    key: str  # the theme's slug; "" for publications without a theme
    label: str
    count: int


@dataclass(frozen=True)
class MembershipChange:
    institute: Institute
    status: str
    label: str
    changed_on: datetime.date
    is_founding_member: bool


@dataclass(frozen=True)
class AnnualReportContent:
    forum: Forum
    year: int
    # The year is not over: the report shows what was recorded so far.
    is_current: bool
    meetings: list[MeetingHeld]
    # The year's adopted action plan as its implementation report shows it, if any.
    plan: ImplementationReport | None
    publication_total: int
    publications: list[Publication]
    theme_counts: list[ThemeCount]
    theme_chart_svg: SafeString
    membership_changes: list[MembershipChange]
    declined: int

    @property
    def statement_total(self) -> int:
        return sum(len(row.statements) for row in self.meetings)

    @property
    def publications_not_listed(self) -> int:
        return self.publication_total - len(self.publications)


def annual_report_years(*, forum: Forum) -> list[int]:
    """The years a report of ``forum`` can be read for, newest first: from its first year
    with public data (its founding, a meeting held, an adopted plan, a membership decision)
    to the current year; none for a forum without any. One query."""
    first_meeting = Meeting.objects.filter(
        forum=OuterRef("pk"), status=MeetingStatus.HELD
    ).order_by("starts_on")
    first_plan = ActionPlan.objects.filter(
        forum=OuterRef("pk"), status=ActionPlanStatus.ADOPTED
    ).order_by("year")
    first_change = MembershipStatusChange.objects.filter(
        membership__forum=OuterRef("pk"), status__in=REPORTED_CHANGES
    ).order_by("changed_on")
    meeting_on, plan_year, change_on = (
        Forum.objects.filter(pk=forum.pk)
        .values_list(
            Subquery(first_meeting.values("starts_on")[:1]),
            Subquery(first_plan.values("year")[:1]),
            Subquery(first_change.values("changed_on")[:1]),
        )
        .get()
    )
    years = [
        year
        for year in (
            forum.founded_on.year if forum.founded_on else None,
            meeting_on.year if meeting_on else None,
            plan_year,
            change_on.year if change_on else None,
        )
        if year is not None
    ]
    if not years:
        return []
    current = timezone.localdate().year
    return list(range(current, max(min(years), MIN_YEAR) - 1, -1))


def _meetings(forum: Forum, year: int) -> list[MeetingHeld]:
    statements = JointStatement.objects.filter(status=StatementStatus.PUBLISHED).order_by(
        "adopted_on", "title"
    )
    meetings = (
        Meeting.objects.filter(forum=forum, status=MeetingStatus.HELD, starts_on__year=year)
        .select_related("host_institute")
        .prefetch_related(
            Prefetch("joint_statements", queryset=statements, to_attr="published_statements")
        )
        .order_by("starts_on", "title", "pk")
    )
    # ``published_statements`` is filled by the Prefetch(to_attr=…) above.
    return [MeetingHeld(meeting, meeting.published_statements) for meeting in meetings]


def _themes(publications, *, no_theme: str) -> list[ThemeCount]:
    """How many of ``publications`` have each theme, most first (a publication with two
    themes counts for both; those with none under ``no_theme``, last). One query."""
    rows = (
        publications.values("themes__slug", "themes__name", "themes__name_ru")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "themes__name")
    )
    counts, without = [], None
    for row in rows:
        if row["themes__slug"] is None:
            without = ThemeCount("", no_theme, row["count"])
            continue
        # The theme's name in the active language (``Theme.label``).
        theme = Theme(name=row["themes__name"], name_ru=row["themes__name_ru"] or "")
        counts.append(ThemeCount(row["themes__slug"], theme.label, row["count"]))
    return [*counts, *([without] if without else [])]


def _membership_changes(forum: Forum, year: int) -> tuple[list[MembershipChange], int]:
    changes = (
        MembershipStatusChange.objects.filter(
            membership__forum=forum, changed_on__year=year, status__in=REPORTED_CHANGES
        )
        .select_related("membership__institute")
        .order_by("changed_on", "membership__institute__name", "pk")
    )
    named, declined = [], 0
    for change in changes:
        if change.status == MembershipStatus.DECLINED:
            declined += 1
            continue
        named.append(
            MembershipChange(
                institute=change.membership.institute,
                status=change.status,
                label=str(change.get_status_display()),
                changed_on=change.changed_on,
                is_founding_member=change.membership.is_founding_member,
            )
        )
    return named, declined


def _theme_chart(counts: Sequence[ThemeCount]) -> SafeString:
    return bar_chart_svg(
        bars=[Bar(count.key, count.label, count.count, THEME_COLOUR) for count in counts],
        title=_("Publications by theme"),
        empty=_("No publications this year."),
        attribute="theme",
        scale=max((count.count for count in counts), default=1),
        label_width=THEME_LABEL_WIDTH,
        css_class="theme-chart",
    )


def annual_report(*, forum: Forum, year: int) -> AnnualReportContent:
    """The report of ``forum`` for ``year``, its labels in the active language. Twelve
    queries whatever the forum's size: meetings and their statements (2), the plan (1)
    and its activities with their outputs (3), the publications counted (1), by theme (1),
    listed with their institutes and themes (3), the membership decisions (1)."""
    today = timezone.localdate()
    plan = (
        ActionPlan.objects.filter(forum=forum, year=year, status=ActionPlanStatus.ADOPTED)
        .order_by("pk")
        .first()
    )
    plan_report = None
    if plan is not None:
        activities = list(with_outputs(Activity.objects.filter(plan=plan).order_by("number")))
        counts = status_counts(activities)
        plan_report = ImplementationReport(
            plan=plan,
            activities=activity_progress(activities, year=year, today=today),
            counts=counts,
            chart_svg=progress_chart_svg(counts=counts),
            generated_on=today,
        )
    published = public_publications().filter(forum=forum, published_on__year=year)
    themes = _themes(published, no_theme=pgettext("publications", "No theme"))
    listed = list(
        published.prefetch_related(
            public_institutes_prefetch(),
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
        ).order_by("-published_on", "title", "pk")[:PUBLICATIONS_LISTED]
    )
    changes, declined = _membership_changes(forum, year)
    return AnnualReportContent(
        forum=forum,
        year=year,
        is_current=year >= today.year,
        meetings=_meetings(forum, year),
        plan=plan_report,
        publication_total=published.count(),
        publications=listed,
        theme_counts=themes,
        theme_chart_svg=_theme_chart(themes),
        membership_changes=changes,
        declined=declined,
    )


def annual_report_document(*, forum: Forum, year: int, language: str) -> AnnualReport | None:
    """The row of the report's PDF in ``language``, if one was made. One query."""
    return AnnualReport.objects.filter(forum=forum, year=year, language=language).first()
