"""Writes to action plans beyond a plain admin save: members volunteering to moderate a
workshop series' theme and the secretariat's decision on it; adopting plans; adopting and
publishing joint statements. Every status changes here (``core.workflow``)."""

from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.enums import ActionPlanStatus, ActivityKind, ModerationStatus, StatementStatus
from actionplans.models import ActionPlan, Activity, ActivityModerator, JointStatement
from core.files import rendered_public_copy
from core.models import RenderedDocument
from core.workflow import transition
from forums.models import Theme
from members.models import Institute
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
    ``status`` and decides it today. Nothing is sent. Raises ``TransitionNotAllowed`` for a
    move the workflow does not allow (such as back to "volunteered")."""
    return transition(moderation, to=status, by=by, decided_on=timezone.localdate())


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
