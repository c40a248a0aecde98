"""The implementation report of an action plan: how far each activity has come, the
meetings held for it and the approved publications that fulfil it, with a progress chart.

The chart is an SVG string built here (no chart library, no script), so the same markup
shows inline in the admin page and in the PDF.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import Prefetch, QuerySet
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


def status_counts(activities: Sequence[Activity]) -> list[StatusCount]:
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


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, the value it stands for and its colour; ``key``
    names it for a stylesheet or a test (``data-<attribute>``)."""

    key: str
    label: str
    value: int
    colour: str


def bar_chart_svg(
    *,
    bars: list[Bar],
    title: str,
    empty: str,
    attribute: str,
    scale: int,
    shares: bool = False,
    label_width: int = CHART_LABEL_WIDTH,
    css_class: str = "progress-chart",
) -> SafeString:
    """One horizontal bar per bar with a value, ``value / scale`` of the bar area long,
    labelled with its label and its value (and, with ``shares``, its percentage of
    ``scale``). ``empty`` is shown when no bar has a value. Every text is escaped."""
    shown = [bar for bar in bars if bar.value]
    bar_area = CHART_WIDTH - label_width - CHART_VALUE_WIDTH
    row = CHART_BAR_HEIGHT + CHART_GAP
    height = CHART_GAP + row * max(len(shown), 1)
    parts: list[str] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{}" width="{}" '
            'height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'font-family="Noto Sans, Noto Sans CJK KR, sans-serif" font-size="11">',
            css_class,
            CHART_WIDTH,
            height,
            CHART_WIDTH,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for index, bar in enumerate(shown):
        y = CHART_GAP + index * row
        text_y = y + CHART_BAR_HEIGHT - 5
        width = round(bar_area * bar.value / max(scale, 1), 1)
        value = (
            format_html("{} ({}%)", bar.value, round(100 * bar.value / scale))
            if shares
            else str(bar.value)
        )
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="#222">{}</text>'
                '<rect class="bar" data-{}="{}" x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"/>'
                '<text class="value" x="{}" y="{}" fill="#222">{}</text>',
                text_y,
                bar.label,
                attribute,
                bar.key,
                label_width,
                y,
                width,
                CHART_BAR_HEIGHT,
                bar.colour,
                round(label_width + width + 6, 1),
                text_y,
                value,
            )
        )
    if not shown:
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="#555">{}</text>',
                CHART_GAP + CHART_BAR_HEIGHT - 5,
                empty,
            )
        )
    parts.append("</svg>")
    # Every part above was built by format_html, which escapes what it interpolates.
    return mark_safe("".join(parts))


def progress_chart_svg(*, counts: list[StatusCount]) -> SafeString:
    """One horizontal bar per status that has activities, as long as its share of all the
    activities, labelled with the status and the count (and its percentage)."""
    return bar_chart_svg(
        bars=[Bar(c.status, c.label, c.count, c.colour) for c in counts],
        title=_("Activities by status"),
        empty=_("The plan has no activities."),
        attribute="status",
        scale=sum(count.count for count in counts),
        shares=True,
    )


def with_outputs(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """``activities`` with what fulfils them: the meetings held for them and the approved
    publications (``held_meetings``, ``approved_publications``). Two queries more."""
    return activities.prefetch_related(
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


def activity_progress(
    activities: Sequence[Activity], *, year: int, today: datetime.date
) -> list[ActivityProgress]:
    """Each activity of a plan for ``year`` (loaded ``with_outputs``) with its outputs and
    whether it is overdue on ``today``."""
    rows = []
    for activity in activities:
        # Filled by the Prefetch(to_attr=…) calls of ``with_outputs``, which mypy cannot
        # see through a plain sequence of activities.
        held = cast(list[Meeting], activity.held_meetings)  # type: ignore[attr-defined]
        publications = cast(list[Publication], activity.approved_publications)  # type: ignore[attr-defined]
        overdue = activity_overdue(
            activity, year=year, outputs=len(held) + len(publications), today=today
        )
        rows.append(ActivityProgress(activity, held, publications, overdue=overdue))
    return rows


def implementation_report(*, plan: ActionPlan) -> ImplementationReport:
    """Three queries whatever the plan's size: the activities, the meetings held for
    them, the approved publications that fulfil them."""
    activities = list(with_outputs(Activity.objects.filter(plan=plan).order_by("number")))
    counts = status_counts(activities)
    today = timezone.localdate()
    return ImplementationReport(
        plan=plan,
        activities=activity_progress(activities, year=plan.year, today=today),
        counts=counts,
        chart_svg=progress_chart_svg(counts=counts),
        generated_on=today,
    )


def implementation_report_pdf(*, report: ImplementationReport, language: str) -> bytes:
    html = rendering.render_html(REPORT_TEMPLATE, {"report": report}, language=language)
    return rendering.html_to_pdf(html)
