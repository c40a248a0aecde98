"""The portal's first real data: the two forums exactly as their source documents describe
them.

Sources: the Joint Statement on Launching the Korea–Central Asia Think Tank Forum (Seoul,
20 November 2023, as published by the Embassy of Kazakhstan to Korea) and the Annual Action
Plan of the CICA Think Tank Forum for 2024 (SOC/2024-II/DEC/2, Astana, 27 June 2024).
What the documents leave unknown is not mentioned here at all: it is empty when a row is
created, and a later run leaves alone whatever the secretariat has filled in since. Quoted
texts (the statement, the activities) are verbatim, with the documents' own "Korea-Central
Asia" hyphen; the names the portal gives use the en dash.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from actionplans.models import (
    ActionPlan,
    Activity,
    JointStatement,
    Meeting,
    MeetingSpeaker,
    Signatory,
)
from actionplans.services import plan_adopt, statement_adopt, statement_publish
from core.models import AuditedModel
from documents.models import DocumentCategory
from documents.services import document_changed
from forums.models import Forum, Framework, FrameworkMemberState, Secretariat, Theme
from members.models import Institute
from secretariat.seeding.data import (
    ACTION_PLAN,
    ACTIVITIES,
    BUSAN_COOPERATION_FORUM,
    CICA_FORUM,
    CICA_FRAMEWORK,
    CICA_SECRETARIAT,
    FIRST_KCA_FORUM,
    INSTITUTES,
    KCA_FORUM,
    KCA_FRAMEWORK,
    KCA_MEMBER_STATES,
    KCA_PARTICIPANTS,
    KCA_SECRETARIAT,
    LAUNCH_DATE,
    ROUNDTABLE,
    ROUNDTABLE_SPEAKERS,
    STATEMENT_PARAGRAPHS,
    STATEMENT_SOURCE,
    STATEMENT_TITLE,
    THEMES,
    TWELFTH_CICA_FORUM,
    TWELFTH_CICA_FORUM_ACTIVITY,
    TWELFTH_CICA_FORUM_THEMES,
)

M = TypeVar("M", bound=AuditedModel)  # every seeded row records who changed it


# --- The loader ----------------------------------------------------------------------------


@dataclass
class SeedReport:
    """What one run wrote, counted per model (and per many-to-many relation)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    @property
    def changed_anything(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        def part(label: str, counts: Counter[str]) -> str:
            total = sum(counts.values())
            if not total:
                return f"0 {label}"
            detail = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
            return f"{total} {label} ({detail})"

        return f"Seeded forums: {part('created', self.created)}, {part('updated', self.updated)}."


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.Field) and model_field.is_relation:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _upsert(
    model: type[M],
    *,
    key: dict[str, Any],
    values: dict[str, Any],
    create_values: dict[str, Any] | None = None,
    report: SeedReport,
) -> M:
    """Like ``update_or_create(defaults=values, create_defaults=...)``, but saves an existing
    row only when one of ``values`` differs, so a repeated run writes nothing (no new
    ``updated_at``, no history row). ``create_values`` are set on creation only: they are
    the fields the secretariat moves on from later (a meeting's status)."""
    label = model.__name__
    obj = model._default_manager.select_for_update().filter(**key).first()
    if obj is None:
        obj = model(**key, **values, **(create_values or {}), created_by=None, updated_by=None)
        obj.full_clean()
        obj.save()
        report.created[label] += 1
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.updated_by = None
        obj.full_clean()
        obj.save()
        report.updated[label] += 1
    return obj


def _add_links(
    obj: models.Model, *, name: str, targets: Sequence[models.Model], report: SeedReport
) -> None:
    """Adds the many-to-many links the documents give that are missing; links the
    secretariat added since are kept."""
    manager = getattr(obj, name)
    present = set(manager.values_list("pk", flat=True))
    if missing := [target for target in targets if target.pk not in present]:
        manager.add(*missing)
        report.created[f"{type(obj).__name__}.{name}"] += len(missing)


def _seed_themes(*, report: SeedReport) -> dict[str, Theme]:
    """English names only: a Russian name would be a translation, the secretariat's."""
    return {
        theme["slug"]: _upsert(
            Theme, key={"slug": theme["slug"]}, values={"name": theme["name"]}, report=report
        )
        for theme in THEMES
    }


def _seed_framework(
    *, data: dict[str, str], member_states: tuple[str, ...], report: SeedReport
) -> Framework:
    framework = _upsert(
        Framework,
        key={"slug": data["slug"]},
        values={name: value for name, value in data.items() if name != "slug"},
        report=report,
    )
    for country in member_states:
        _upsert(
            FrameworkMemberState,
            key={"framework": framework, "country": country},
            values={},
            report=report,
        )
    return framework


def _seed_institutes(*, report: SeedReport) -> dict[str, Institute]:
    return {
        data["slug"]: _upsert(
            Institute,
            key={"slug": data["slug"]},
            values={name: value for name, value in data.items() if name != "slug"},
            report=report,
        )
        for data in INSTITUTES
    }


def _seed_secretariat(
    *, data: dict[str, str], institutes: dict[str, Institute], report: SeedReport
) -> Secretariat:
    values: dict[str, Any] = {"name": data["name"]}
    if "operator" in data:
        values["operator"] = institutes[data["operator"]]
    return _upsert(Secretariat, key={"slug": data["slug"]}, values=values, report=report)


def _seed_forum(
    *,
    data: dict[str, Any],
    framework: Framework,
    secretariat: Secretariat,
    report: SeedReport,
) -> Forum:
    return _upsert(
        Forum,
        key={"slug": data["slug"]},
        values={
            **{name: value for name, value in data.items() if name != "slug"},
            "framework": framework,
            "secretariat": secretariat,
        },
        report=report,
    )


def _seed_meeting(
    *, data: dict[str, Any], forum: Forum, activity: Activity | None, report: SeedReport
) -> Meeting:
    values = {**data["facts"], "forum": forum}
    if activity is not None:
        values["activity"] = activity
    return _upsert(
        Meeting,
        key={"slug": data["slug"]},
        values=values,
        create_values=data["plan"],
        report=report,
    )


def _seed_speakers(
    *, meeting: Meeting, speakers: tuple[dict[str, str], ...], report: SeedReport
) -> None:
    for position, speaker in enumerate(speakers, start=1):
        _upsert(
            MeetingSpeaker,
            key={"meeting": meeting, "name": speaker["name"]},
            values={"role": speaker["role"], "position": position},
            report=report,
        )


def _seed_action_plan(
    *, forum: Forum, themes: dict[str, Theme], report: SeedReport
) -> dict[int, Activity]:
    before = report.total()
    is_new = not ActionPlan.objects.filter(forum=forum, year=ACTION_PLAN["year"]).exists()
    plan = _upsert(
        ActionPlan,
        key={"forum": forum, "year": ACTION_PLAN["year"]},
        values={name: value for name, value in ACTION_PLAN.items() if name != "year"},
        # Filed under the portal's own kind (a migration made it); the secretariat may
        # file it elsewhere.
        create_values={"category": DocumentCategory.objects.filter(slug="action-plan").first()},
        report=report,
    )
    if is_new:  # the decision adopted it; later the secretariat's to reopen
        plan = plan_adopt(actionplan=plan, by=None)
    activities = {}
    for data in ACTIVITIES:
        activity = _upsert(
            Activity,
            key={"plan": plan, "number": data["number"]},
            values={
                name: value for name, value in data.items() if name not in ("number", "themes")
            },
            report=report,
        )
        _add_links(
            activity,
            name="themes",
            targets=[themes[slug] for slug in data["themes"]],
            report=report,
        )
        activities[activity.number] = activity
    if report.total() != before:
        document_changed(document=plan)  # its PDF is made (again) from the new text
    return activities


def _seed_joint_statement(
    *, forum: Forum, meeting: Meeting, signatories: list[Institute], report: SeedReport
) -> JointStatement:
    before = report.total()
    slug = "joint-statement-launching-korea-central-asia-think-tank-forum"
    is_new = not JointStatement.objects.filter(slug=slug).exists()
    statement = _upsert(
        JointStatement,
        key={"slug": slug},
        values={
            "forum": forum,
            "meeting": meeting,
            "title": STATEMENT_TITLE,
            "place": "Seoul",
            "adopted_on": LAUNCH_DATE,
            "language": "en",
            "text": "\n\n".join(STATEMENT_PARAGRAPHS),
            "source": STATEMENT_SOURCE,
        },
        # Published on the portal the day it is loaded: the statement gives no date of
        # publication of its own (the source's date is in ``source``).
        create_values={
            "published_on": timezone.localdate(),
            "category": DocumentCategory.objects.filter(slug="joint-statement").first(),
        },
        report=report,
    )
    if is_new:  # adopted at the roundtable, then published, through their services
        statement = statement_publish(
            jointstatement=statement_adopt(jointstatement=statement, by=None), by=None
        )
    for position, institute in enumerate(signatories, start=1):
        _upsert(
            Signatory,
            key={"statement": statement, "institute": institute},
            values={"position": position},
            report=report,
        )
    if report.total() != before:
        document_changed(document=statement)
    return statement


def seed_forums() -> SeedReport:
    """Loads the Korea–Central Asia Think Tank Forum and the CICA Think Tank Forum with
    everything their documents say, in one transaction.

    Idempotent: rows are found by their natural keys (slug, (forum, year), (plan, number),
    …) and saved only where a seeded value differs, so a second run writes nothing. What the
    secretariat carries on from later (a meeting's status and dates, a statement's status)
    is set only when the row is created. No memberships: the statement names the
    participants of a roundtable that agreed to launch the forum, not members admitted."""
    report = SeedReport()
    with transaction.atomic():
        themes = _seed_themes(report=report)
        kca_framework = _seed_framework(
            data=KCA_FRAMEWORK, member_states=KCA_MEMBER_STATES, report=report
        )
        cica_framework = _seed_framework(data=CICA_FRAMEWORK, member_states=(), report=report)
        institutes = _seed_institutes(report=report)
        kca_participants = [institutes[slug] for slug in KCA_PARTICIPANTS]

        kca_forum = _seed_forum(
            data=KCA_FORUM,
            framework=kca_framework,
            secretariat=_seed_secretariat(
                data=KCA_SECRETARIAT, institutes=institutes, report=report
            ),
            report=report,
        )
        _seed_meeting(data=BUSAN_COOPERATION_FORUM, forum=kca_forum, activity=None, report=report)
        roundtable = _seed_meeting(data=ROUNDTABLE, forum=kca_forum, activity=None, report=report)
        _add_links(roundtable, name="participants", targets=kca_participants, report=report)
        _seed_speakers(meeting=roundtable, speakers=ROUNDTABLE_SPEAKERS, report=report)
        _seed_meeting(data=FIRST_KCA_FORUM, forum=kca_forum, activity=None, report=report)
        _seed_joint_statement(
            forum=kca_forum, meeting=roundtable, signatories=kca_participants, report=report
        )

        cica_forum = _seed_forum(
            data=CICA_FORUM,
            framework=cica_framework,
            secretariat=_seed_secretariat(
                data=CICA_SECRETARIAT, institutes=institutes, report=report
            ),
            report=report,
        )
        activities = _seed_action_plan(forum=cica_forum, themes=themes, report=report)
        twelfth = _seed_meeting(
            data=TWELFTH_CICA_FORUM,
            forum=cica_forum,
            activity=activities[TWELFTH_CICA_FORUM_ACTIVITY],
            report=report,
        )
        _add_links(
            twelfth,
            name="themes",
            targets=[themes[slug] for slug in TWELFTH_CICA_FORUM_THEMES],
            report=report,
        )
    return report
