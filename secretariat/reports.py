"""The implementation report of an action plan: how far each activity has come, the
meetings held for it and the approved publications that fulfil it, with a progress chart.

The chart is an SVG string built here (no chart library, no script), so the same markup
shows inline in the admin page and in the PDF.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actionplans.enums import ActivityStatus, MeetingStatus
from actionplans.models import ActionPlan, Activity, Meeting
from documents import rendering
from publications.models import Publication
from publications.selectors import public_publications

STATUS_COLOURS: dict[str, str] = {
    ActivityStatus.PLANNED: "#8a96a3",
    ActivityStatus.IN_PROGRESS: "#2f6fb0",
    ActivityStatus.COMPLETED: "#2e8540",
    ActivityStatus.CANCELLED: "#b0492f",
}

REPORT_TEMPLATE = "secretariat/pdf/report.html"
CHART_WIDTH = 520
CHART_LABEL_WIDTH = 130
CHART_VALUE_WIDTH = 70
CHART_BAR_HEIGHT = 18
CHART_GAP = 8


@dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    meetings_held: list[Meeting]
    publications: list[Publication]
    # Past its time frame (or, without one, its plan's year), not completed or cancelled,
    # and nothing to show for it: no meeting held, no publication.
    overdue: bool = False


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    colour: str


@dataclass(frozen=True)
class ImplementationReport:
    plan: ActionPlan
    activities: list[ActivityProgress]
    counts: list[StatusCount]
    chart_svg: SafeString
    generated_on: datetime.date

    @property
    def total(self) -> int:
        return len(self.activities)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.activities if row.overdue)


def activity_overdue(activity: Activity, *, year: int, outputs: int, today: datetime.date) -> bool:
    """Whether an activity of a plan for ``year`` with ``outputs`` meetings held and
    publications is overdue on ``today`` (``ActivityProgress.overdue``)."""
    if activity.status not in (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS) or outputs:
        return False
    due = activity.ends_on or datetime.date(year, 12, 31)
    return due < today


def _status_counts(activities: Sequence[Activity]) -> list[StatusCount]:
    """Every status, in the order of the enum, with how many activities have it."""
    return [
        StatusCount(
            status=status.value,
            label=str(status.label),
            count=sum(1 for activity in activities if activity.status == status),
            colour=STATUS_COLOURS[status],
        )
        for status in ActivityStatus
    ]


def progress_chart_svg(*, counts: list[StatusCount]) -> SafeString:
    """One horizontal bar per status that has activities, as long as its share of all the
    activities, labelled with the status and the count. Every text is escaped."""
    shown = [count for count in counts if count.count]
    total = sum(count.count for count in shown)
    bar_area = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
    row = CHART_BAR_HEIGHT + CHART_GAP
    height = CHART_GAP + row * max(len(shown), 1)
    title = _("Activities by status")
    parts: list[str] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" width="{}" '
            'height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'font-family="Noto Sans, Noto Sans CJK KR, sans-serif" font-size="11">',
            CHART_WIDTH,
            height,
            CHART_WIDTH,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for index, count in enumerate(shown):
        y = CHART_GAP + index * row
        text_y = y + CHART_BAR_HEIGHT - 5
        width = round(bar_area * count.count / total, 1)
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="#222">{}</text>'
                '<rect class="bar" data-status="{}" x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"/>'
                '<text class="value" x="{}" y="{}" fill="#222">{} ({}%)</text>',
                text_y,
                count.label,
                count.status,
                CHART_LABEL_WIDTH,
                y,
                width,
                CHART_BAR_HEIGHT,
                count.colour,
                round(CHART_LABEL_WIDTH + width + 6, 1),
                text_y,
                count.count,
                round(100 * count.count / total),
            )
        )
    if not shown:
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="#555">{}</text>',
                CHART_GAP + CHART_BAR_HEIGHT - 5,
                _("The plan has no activities."),
            )
        )
    parts.append("</svg>")
    # Every part above was built by format_html, which escapes what it interpolates.
    return mark_safe("".join(parts))


def implementation_report(*, plan: ActionPlan) -> ImplementationReport:
    """Three queries whatever the plan's size: the activities, the meetings held for
    them, the approved publications that fulfil them."""
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(status=MeetingStatus.HELD).order_by(
                    "starts_on", "title"
                ),
                to_attr="held_meetings",
            ),
            Prefetch(
                "publications",
                queryset=public_publications().order_by("published_on", "title"),
                to_attr="approved_publications",
            ),
        )
    )
    counts = _status_counts(activities)
    today = timezone.localdate()
    rows = []
    for activity in activities:
        # Filled by the Prefetch(to_attr=…) calls above from those querysets.
        held = cast(list[Meeting], activity.held_meetings)
        publications = cast(list[Publication], activity.approved_publications)
        overdue = activity_overdue(
            activity, year=plan.year, outputs=len(held) + len(publications), today=today
        )
        rows.append(ActivityProgress(activity, held, publications, overdue=overdue))
    return ImplementationReport(
        plan=plan,
        activities=rows,
        counts=counts,
        chart_svg=progress_chart_svg(counts=counts),
        generated_on=today,
    )


def implementation_report_pdf(*, report: ImplementationReport, language: str) -> bytes:
    html = rendering.render_html(REPORT_TEMPLATE, {"report": report}, language=language)
    return rendering.html_to_pdf(html)
