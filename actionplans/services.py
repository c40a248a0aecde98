"""Writes to action plans beyond a plain admin save: members volunteering to moderate a
workshop series' theme, and the secretariat's decision on it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.enums import ActionPlanStatus, ActivityKind, ModerationStatus
from actionplans.models import Activity, ActivityModerator
from forums.models import Theme
from members.enums import MembershipStatus
from members.models import Institute, Membership


def moderation_volunteer(
    *, activity: Activity, institute: Institute, theme: Theme, by
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
    if not Membership.objects.filter(
        institute=institute, forum_id=activity.plan.forum_id, status=MembershipStatus.ADMITTED
    ).exists():
        raise ValidationError(_("Your institute is not a member of this forum."), code="forum")
    with transaction.atomic():
        moderation, _created = ActivityModerator.objects.get_or_create(
            activity=activity,
            institute=institute,
            theme=theme,
            defaults={"status": ModerationStatus.VOLUNTEERED, "created_by": by, "updated_by": by},
        )
    return moderation


def moderation_decide(*, moderation: ActivityModerator, status: str, by) -> ActivityModerator:
    """The secretariat confirms or declines a moderation: sets ``status`` and decides it
    today. Nothing is sent."""
    if status not in (ModerationStatus.CONFIRMED, ModerationStatus.DECLINED):
        raise ValidationError(_("A moderation is either confirmed or declined."), code="status")
    with transaction.atomic():
        moderation = ActivityModerator.objects.select_for_update().get(pk=moderation.pk)
        moderation.status = status
        moderation.decided_on = timezone.localdate()
        moderation.updated_by = by
        moderation.full_clean()
        moderation.save()
    return moderation
