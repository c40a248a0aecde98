"""Reads of what the public sees of a forum's year: planned and held meetings, adopted
action plans, and published joint statements.

Drafts (plans not adopted, statements not published) and cancelled meetings are never
returned by anything here.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_countries.fields import Country

from actionplans.enums import ActionPlanStatus, MeetingKind, MeetingStatus, StatementStatus
from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    Activity,
    ActivityTranslation,
    JointStatement,
    JointStatementTranslation,
    Meeting,
    Signatory,
    date_passed_q,
)
from forums.models import Forum, HostRotationCountry
from forums.rotation import rotation_proposals


@dataclass
class ForumMeetings:
    """A forum's meetings as its page lists them: ``planned`` (planned or postponed,
    soonest first, undated last), ``held`` (newest first) and ``passed`` (still planned
    though their dates are over: nobody recorded what became of them; latest first), each
    cut at its limit; ``more`` says whether any meeting was left out (the archive lists
    them all)."""

    planned: list[Meeting] = field(default_factory=list)
    held: list[Meeting] = field(default_factory=list)
    passed: list[Meeting] = field(default_factory=list)
    more: bool = False


def _soonest_first(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.order_by(Coalesce("starts_on", "window_start").asc(nulls_last=True), "title", "pk")


def meeting_upcoming(*, limit: int) -> list[Meeting]:
    """Planned meetings of every forum whose dates are not over, soonest first (confirmed
    date, else the start of the tentative window), with their forum. One query."""
    meetings = (
        Meeting.objects.filter(status=MeetingStatus.PLANNED)
        .exclude(date_passed_q(timezone.localdate()))
        .select_related("forum")
    )
    return list(_soonest_first(meetings)[:limit])


# What the public site lists of a forum's meetings: never a cancelled one.
LISTED_MEETING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.POSTPONED, MeetingStatus.HELD)


def meetings_listed() -> QuerySet[Meeting]:
    """Every meeting the public site lists (planned, postponed or held, of any forum):
    what a forum's page and archive show, and the public API."""
    return Meeting.objects.filter(status__in=LISTED_MEETING_STATUSES)


def _forum_listed_meetings(*, forum: Forum) -> QuerySet[Meeting]:
    return meetings_listed().filter(forum=forum).select_related("host_institute")


def forum_meetings(*, forum: Forum, planned_limit: int, held_limit: int) -> ForumMeetings:
    """The forum's soonest ``planned_limit`` planned or postponed meetings, its latest
    ``held_limit`` held ones and its latest ``planned_limit`` whose dates passed unrecorded,
    with their host institute. Three queries, each reading at most one row more than it
    shows, whatever the forum's history."""
    listed = _forum_listed_meetings(forum=forum)
    passed_q = date_passed_q(timezone.localdate())
    to_come = listed.filter(status__in=(MeetingStatus.PLANNED, MeetingStatus.POSTPONED)).exclude(
        passed_q
    )
    planned = list(_soonest_first(to_come)[: planned_limit + 1])
    passed = list(
        listed.filter(passed_q).order_by(
            Coalesce("ends_on", "starts_on", "window_end").desc(), "-title", "-pk"
        )[: planned_limit + 1]
    )
    # Held meetings always have a date (meeting_held_has_date): the (forum, date) index.
    held = list(
        listed.filter(status=MeetingStatus.HELD).order_by("-starts_on", "-title", "-pk")[
            : held_limit + 1
        ]
    )
    return ForumMeetings(
        planned=planned[:planned_limit],
        held=held[:held_limit],
        passed=passed[:planned_limit],
        more=len(planned) > planned_limit or len(held) > held_limit or len(passed) > planned_limit,
    )


def forum_meeting_archive(*, forum: Forum) -> QuerySet[Meeting]:
    """Every planned, postponed and held meeting of the forum, latest first (by its date,
    else the start of its window; undated ones, still to be scheduled, first), with its
    host institute: the forum's paginated list of meetings."""
    return _forum_listed_meetings(forum=forum).order_by(
        Coalesce("starts_on", "window_start").desc(nulls_first=True), "-title", "-pk"
    )


def _adopted_plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(status=ActionPlanStatus.ADOPTED)


def _plan_translations() -> "Prefetch[Any]":
    return Prefetch(
        "translations",
        queryset=ActionPlanTranslation.objects.order_by("language"),
        to_attr="translation_list",
    )


def action_plan_adopted_list(*, forum: Forum) -> QuerySet[ActionPlan]:
    """The forum's adopted action plans, newest year first, with their kind of document
    and language versions (not their activities: each plan has its own page). Two
    queries."""
    return (
        _adopted_plans()
        .filter(forum=forum)
        .select_related("forum", "category")
        .prefetch_related(_plan_translations())
        .order_by("-year")
    )


def action_plan_public_detail(**lookup: Any) -> ActionPlan:
    """An adopted plan found by ``lookup`` (its symbol, or its forum, kind and date), with
    its forum, kind, language versions, and its activities in number order with their
    themes and their paragraphs in other languages. Raises ``ActionPlan.DoesNotExist``
    for a plan not adopted. Five queries."""
    activities = Activity.objects.order_by("number").prefetch_related(
        "themes",
        Prefetch(
            "translations",
            queryset=ActivityTranslation.objects.order_by("language"),
            to_attr="translation_list",
        ),
    )
    return (
        _adopted_plans()
        .select_related("forum", "category")
        .prefetch_related(_plan_translations(), Prefetch("activities", queryset=activities))
        .get(**lookup)
    )


@dataclass(frozen=True)
class PlanParagraph:
    activity: Activity
    text: str
    # False where the activity has no text in this version's language (the original's
    # text stands in, marked so).
    in_language: bool


@dataclass(frozen=True)
class PlanVersion:
    """An action plan in one language: its original, an official version or the
    secretariat's translation."""

    language: str
    is_original: bool
    is_official: bool
    title: str
    preamble: str
    source: str
    paragraphs: list[PlanParagraph]

    @property
    def is_complete(self) -> bool:
        return all(paragraph.in_language for paragraph in self.paragraphs)


def plan_versions(*, plan: ActionPlan) -> dict[str, PlanVersion]:
    """The plan in each of its languages, original first. Reads only what
    ``action_plan_public_detail`` (or the PDF's queryset) prefetched: no query."""
    activities = list(plan.activities.all())
    versions = {
        plan.language: PlanVersion(
            language=plan.language,
            is_original=True,
            is_official=True,
            title=plan.title,
            preamble=plan.preamble,
            source=plan.source,
            paragraphs=[PlanParagraph(activity, activity.text, True) for activity in activities],
        )
    }
    for translation in getattr(plan, "translation_list", []):
        paragraphs = []
        for activity in activities:
            text = next(
                (
                    t.text
                    for t in getattr(activity, "translation_list", [])
                    if t.language == translation.language
                ),
                "",
            )
            paragraphs.append(PlanParagraph(activity, text or activity.text, bool(text)))
        versions[translation.language] = PlanVersion(
            language=translation.language,
            is_original=False,
            is_official=translation.is_official,
            title=translation.title,
            preamble=translation.preamble,
            source=translation.source,
            paragraphs=paragraphs,
        )
    return versions


def register_plans(*, forum: Forum | None = None) -> QuerySet[ActionPlan]:
    """Adopted plans as the register lists them, with their forum, kind and language
    versions. Two queries."""
    plans = _adopted_plans() if forum is None else _adopted_plans().filter(forum=forum)
    return plans.select_related("forum", "category").prefetch_related(_plan_translations())


def register_statements(*, forum: Forum | None = None) -> QuerySet[JointStatement]:
    """Published statements as the register lists them, with their forum, kind and
    language versions. Two queries."""
    statements = _published_statements()
    if forum is not None:
        statements = statements.filter(forum=forum)
    return statements.select_related("forum", "category").prefetch_related(
        _statement_translations()
    )


def signatures_in_order() -> QuerySet[Signatory]:
    """Signatures in the order a statement lists them, each with its institute: the
    queryset to prefetch a statement's ``signatures`` with (its pages and its PDF)."""
    return Signatory.objects.select_related("institute").order_by("position", "pk")


def _signatures() -> "Prefetch[Any]":
    """A statement's signatures in order, as ``signature_list``, each with its institute."""
    return Prefetch("signatures", queryset=signatures_in_order(), to_attr="signature_list")


def _statement_translations() -> "Prefetch[Any]":
    return Prefetch(
        "translations",
        queryset=JointStatementTranslation.objects.order_by("language"),
        to_attr="translation_list",
    )


def _published_statements() -> QuerySet[JointStatement]:
    return JointStatement.objects.filter(status=StatementStatus.PUBLISHED)


def statement_published_list(*, forum: Forum) -> QuerySet[JointStatement]:
    """The forum's published joint statements, newest first, with their signatories and
    meeting. Two queries."""
    return (
        _published_statements()
        .filter(forum=forum)
        .select_related("meeting", "forum", "category")
        .prefetch_related(_signatures())
        .order_by("-adopted_on", "title")
    )


def statement_latest(*, limit: int) -> list[JointStatement]:
    """The most recently published joint statements of every forum, with their forum.
    One query."""
    statements = (
        _published_statements()
        .select_related("forum")
        .order_by("-published_on", "-adopted_on", "title")
    )
    return list(statements[:limit])


def statement_public_detail(**lookup: Any) -> JointStatement:
    """A published joint statement (found by ``lookup``: its slug, its symbol, or its
    forum, kind and date) with its forum, meeting, kind, signatories in order and language
    versions. Raises ``JointStatement.DoesNotExist`` for an unknown one or one not
    published. Three queries."""
    return (
        _published_statements()
        .select_related("forum", "meeting", "category")
        .prefetch_related(_signatures(), _statement_translations())
        .get(**lookup)
    )


# --- Host rotation (docs/adr/0014) ------------------------------------------------------

# What takes a turn in a forum's host rotation: its sessions (not its roundtables,
# workshops or dialogues), held or still to come, once their host country is known.
ROTATING_KINDS = (MeetingKind.FORUM,)
ROTATING_STATUSES = (MeetingStatus.HELD, MeetingStatus.PLANNED, MeetingStatus.POSTPONED)


@dataclass
class RotationHost:
    """One meeting's turn: who hosted, whom the rule proposed at that place, and the
    reason staff gave for departing from it."""

    meeting: Meeting
    country: Country
    proposed: Country | None
    reason: str

    @property
    def year(self) -> int | None:
        day = self.meeting.starts_on or self.meeting.window_start
        return day.year if day else None

    @property
    def is_override(self) -> bool:
        return self.proposed is not None and self.country != self.proposed


@dataclass
class HostRotation:
    """A forum's rotation: the rule's groups of countries in order, the hosts so far
    (oldest first) and the host the rule proposes next."""

    groups: list[list[Country]]
    hosts: list[RotationHost]
    next_host: Country


def _rotation_order(meeting: Meeting) -> tuple[bool, datetime.date, float]:
    """Date order (confirmed date, else the start of the window; undated last), then the
    order of entry (an unsaved meeting after every saved one)."""
    day = meeting.starts_on or meeting.window_start
    return (day is None, day or datetime.date.min, meeting.pk or float("inf"))


def _rules(*, forum_ids: Iterable[int]) -> dict[int, list[list[str]]]:
    """Each forum's rule as groups of country codes, in order. One query."""
    rules: dict[int, dict[int, list[str]]] = {}
    rows = HostRotationCountry.objects.filter(forum__in=forum_ids).order_by(
        "forum", "group", "turn"
    )
    for forum_id, group, country in rows.values_list("forum", "group", "country"):
        rules.setdefault(forum_id, {}).setdefault(group, []).append(country)
    return {forum_id: list(groups.values()) for forum_id, groups in rules.items()}


def _rotating_meetings(*, forum_ids: Iterable[int]) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        forum__in=forum_ids, kind__in=ROTATING_KINDS, status__in=ROTATING_STATUSES
    ).exclude(host_country="")


def _rotation(*, groups: list[list[str]], meetings: list[Meeting]) -> HostRotation:
    """The rotation of a non-empty rule over ``meetings`` (which take a turn)."""
    meetings = sorted(meetings, key=_rotation_order)
    proposals = rotation_proposals(
        groups=groups, hosts=[str(meeting.host_country) for meeting in meetings]
    )
    next_host = proposals[-1]
    if next_host is None:
        raise ValueError("A rotation needs a rule with at least one country.")
    return HostRotation(
        groups=[[Country(code) for code in group] for group in groups],
        hosts=[
            RotationHost(
                meeting=meeting,
                country=Country(str(meeting.host_country)),
                proposed=Country(proposed) if proposed else None,
                reason=meeting.host_rotation_override_reason,
            )
            for meeting, proposed in zip(meetings, proposals, strict=False)
        ],
        next_host=Country(next_host),
    )


def host_rotations(*, forums: Iterable[Forum]) -> dict[int, HostRotation]:
    """The rotation of each of ``forums`` whose hosting principle is reciprocity and whose
    secretariat recorded a rule, by forum id; forums without either have none. At most two
    queries (none when no forum hosts by reciprocity, one when none has a rule)."""
    forum_ids = [forum.pk for forum in forums if forum.is_hosted_by_reciprocity]
    if not forum_ids:
        return {}
    rules = _rules(forum_ids=forum_ids)
    if not rules:
        return {}
    meetings: dict[int, list[Meeting]] = {forum_id: [] for forum_id in rules}
    for meeting in _rotating_meetings(forum_ids=list(rules)):
        meetings[meeting.forum_id].append(meeting)
    return {
        forum_id: _rotation(groups=groups, meetings=meetings[forum_id])
        for forum_id, groups in rules.items()
    }


def forum_host_rotation(*, forum: Forum) -> HostRotation | None:
    """The forum's rotation (``host_rotations``), or None. At most two queries."""
    return host_rotations(forums=[forum]).get(forum.pk)


def meeting_host_proposal(*, meeting: Meeting) -> Country | None:
    """The host the rule proposes for ``meeting`` (saved or not, as its fields now stand)
    at its place in date order among the forum's other meetings that take a turn; None
    when it takes no turn or its forum has no rotation. At most two queries."""
    if not meeting.forum_id or meeting.kind not in ROTATING_KINDS:
        return None
    if meeting.status not in ROTATING_STATUSES:
        return None
    forum = meeting.forum
    if not forum.is_hosted_by_reciprocity:
        return None
    groups = _rules(forum_ids=[forum.pk]).get(forum.pk)
    if not groups:
        return None
    others = _rotating_meetings(forum_ids=[forum.pk])
    if meeting.pk:
        others = others.exclude(pk=meeting.pk)
    before = [other for other in others if _rotation_order(other) < _rotation_order(meeting)]
    return _rotation(groups=groups, meetings=before).next_host
