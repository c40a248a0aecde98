"""Writes to institutes, contacts and memberships beyond a plain form save."""

from django.db import transaction
from django.utils import timezone

from members.models import Membership, MembershipStatusChange


def membership_save(*, membership: Membership, by, note: str = "") -> Membership:
    """Saves a membership and, when it is new or its status changed, appends a step to its
    status history (dated by the decision date where there is one, else today)."""
    with transaction.atomic():
        previous = None
        if membership.pk:
            previous = (
                Membership.objects.select_for_update()
                .filter(pk=membership.pk)
                .values_list("status", flat=True)
                .first()
            )
        membership.full_clean()
        membership.save()
        if previous != membership.status:
            MembershipStatusChange.objects.create(
                membership=membership,
                status=membership.status,
                changed_on=membership.decided_on or timezone.localdate(),
                note=note or membership.decision,
                created_by=by,
                updated_by=by,
            )
    return membership
