"""Writes to action plans beyond a plain admin save: members volunteering to moderate a
workshop series' theme and the secretariat's decision on it; adopting plans; adopting and
publishing joint statements. Every status changes here (``core.workflow``)."""

from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.enums import ActionPlanStatus, ActivityKind, ModerationStatus, StatementStatus
from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    Activity,
    ActivityModerator,
    ActivityTranslation,
    JointStatement,
)
from core.files import rendered_public_copy
from core.models import RenderedDocument
from core.urls import absolute_url
from core.workflow import transition
from documents.services import document_changed
from forums.models import Theme
from members.models import Institute
from members.notices import member_notice_queue
from members.rules import admitted_member_check


def moderation_volunteer(
    *, activity: Activity, institute: Institute, theme: Theme, by: User
) -> ActivityModerator:
    """Records that ``institute`` volunteers to moderate ``theme`` of ``activity`` (a
    workshop series of an adopted plan of a forum that admits the institute, the theme one
    of the activity's). Idempotent: an existing row for the same activity, institute and
    theme is returned unchanged, whatever its status. Raises ValidationError otherwise."""
    if (
        activity.kind != ActivityKind.WORKSHOP_SERIES
        or activity.plan.status != ActionPlanStatus.ADOPTED
    ):
        raise ValidationError(_("This activity takes no volunteers."), code="activity")
    if not activity.themes.filter(pk=theme.pk).exists():
        raise ValidationError(_("This theme is not one of the activity's."), code="theme")
    admitted_member_check(institute, activity.plan.forum_id)
    with transaction.atomic():
        moderation, _created = ActivityModerator.objects.get_or_create(
            activity=activity,
            institute=institute,
            theme=theme,
            defaults={"status": ModerationStatus.VOLUNTEERED, "created_by": by, "updated_by": by},
        )
    return moderation


def moderation_decide(*, moderation: ActivityModerator, status: str, by: User) -> ActivityModerator:
    """The secretariat confirms or declines a moderation (or changes its decision): sets
    ``status`` and decides it today, and queues a notice of the decision to the member who
    volunteered, in their language. Raises ``TransitionNotAllowed`` for a move the workflow
    does not allow (such as back to "volunteered")."""
    with transaction.atomic():
        moderation = transition(moderation, to=status, by=by, decided_on=timezone.localdate())
        member_notice_queue(
            user=moderation.created_by,
            template="actionplans/email/moderation_decided",
            context={
                "moderation": moderation,
                "activity": moderation.activity,
                "confirmed": moderation.status == ModerationStatus.CONFIRMED,
                "link": absolute_url(reverse("workspace:workshop_list")),
            },
        )
    return moderation


def moderation_confirm(*, activitymoderator: ActivityModerator, by: User) -> ActivityModerator:
    return moderation_decide(moderation=activitymoderator, status=ModerationStatus.CONFIRMED, by=by)


def moderation_decline(*, activitymoderator: ActivityModerator, by: User) -> ActivityModerator:
    return moderation_decide(moderation=activitymoderator, status=ModerationStatus.DECLINED, by=by)


# --- Adopting plans, adopting and publishing statements ---------------------------------
# What these change shows on the public site and in nothing the PDF renders, so no new
# version is made; the public pages read the status, and the public copy of the PDF
# follows it (core.files.rendered_public_copy).


D = TypeVar("D", bound=RenderedDocument)


def _public(document: D) -> D:
    """The document after a move of its status, its public PDF following it."""
    rendered_public_copy(document)
    return document


def plan_adopt(*, actionplan: ActionPlan, by: User | None) -> ActionPlan:
    """The plan was adopted: it needs its date of adoption (ValidationError without); its
    PDF becomes public."""
    return _public(transition(actionplan, to=ActionPlanStatus.ADOPTED, by=by))


def plan_reopen(*, actionplan: ActionPlan, by: User | None) -> ActionPlan:
    """An adopted plan back to draft, to be corrected; it (and its PDF) leaves the public
    pages."""
    return _public(transition(actionplan, to=ActionPlanStatus.DRAFT, by=by))


def statement_adopt(*, jointstatement: JointStatement, by: User | None) -> JointStatement:
    """The statement was adopted at its meeting: it needs its date (ValidationError
    without)."""
    return _public(
        transition(
            jointstatement, to=StatementStatus.ADOPTED, by=by, only_from=[StatementStatus.DRAFT]
        )
    )


def statement_publish(*, jointstatement: JointStatement, by: User | None) -> JointStatement:
    """Puts an adopted statement on the public site, published today unless its date of
    publication is already set."""
    published_on = jointstatement.published_on or timezone.localdate()
    return _public(
        transition(jointstatement, to=StatementStatus.PUBLISHED, by=by, published_on=published_on)
    )


def statement_unpublish(*, jointstatement: JointStatement, by: User | None) -> JointStatement:
    """Takes a published statement off the public site; it stays adopted."""
    return _public(
        transition(
            jointstatement,
            to=StatementStatus.ADOPTED,
            by=by,
            only_from=[StatementStatus.PUBLISHED],
        )
    )


def statement_reopen(*, jointstatement: JointStatement, by: User | None) -> JointStatement:
    """An adopted, unpublished statement back to draft."""
    return _public(transition(jointstatement, to=StatementStatus.DRAFT, by=by))


# --- Language versions ---------------------------------------------------------------------


def plan_version_save(
    *,
    plan: ActionPlan,
    language: str,
    title: str,
    preamble: str,
    is_official: bool,
    source: str,
    texts: dict[int, str],
    by: User | None,
) -> ActionPlanTranslation:
    """Stores the plan in ``language`` (not its original's): its title, preamble and
    each activity's paragraph (``texts`` by activity id; an empty text removes that
    paragraph's version). One transaction; the PDF is rendered again after commit.
    Raises ValidationError for the original language or an activity of another plan."""
    activities = {activity.pk: activity for activity in plan.activities.all()}
    if unknown := set(texts) - set(activities):
        raise ValidationError(_("Activity %(ids)s is not in this plan.") % {"ids": unknown})
    with transaction.atomic():
        version = ActionPlanTranslation.objects.filter(plan=plan, language=language).first()
        if version is None:
            version = ActionPlanTranslation(plan=plan, language=language, created_by=by)
        version.title = title
        version.preamble = preamble
        version.is_official = is_official
        version.source = source
        version.updated_by = by
        version.full_clean()
        version.save()
        existing = {
            row.activity_id: row
            for row in ActivityTranslation.objects.filter(
                activity__plan=plan, language=language
            ).select_for_update()
        }
        for activity_id, text in texts.items():
            text = text.strip()
            row = existing.get(activity_id)
            if not text:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = ActivityTranslation(
                    activity=activities[activity_id], language=language, created_by=by
                )
            elif row.text == text:
                continue
            row.text = text
            row.updated_by = by
            row.save()
        document_changed(document=plan)
    return version
