"""Permission predicates of the register of institutes and their people."""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.rules import is_active_superuser
from core.scoping import staff_forum_ids
from members.models import Membership


@rules.predicate
def routes_only_own_forums(user, contact) -> bool:
    """Whether every forum ``contact`` is a focal point of is run by ``user``'s
    secretariat. A contact's address (and whether it is active) decides where those forums'
    circulations go, so only their secretariats may change it, even when the institute is
    shared with another secretariat's forum."""
    if contact is None or contact.pk is None:
        return True
    forums = set(contact.focal_points.values_list("forum_id", flat=True))
    return forums <= staff_forum_ids(user=user)


may_reroute_contact = is_active_superuser | routes_only_own_forums


# --- Membership: the one rule of "an admitted member of this forum" --------------------

NOT_A_MEMBER = _("Your institute is not an admitted member of this forum.")


def admitted_forum_ids(institute) -> set[int]:
    """The forums ``institute`` is an admitted member of. One query."""
    return set(
        Membership.objects.admitted().filter(institute=institute).values_list("forum_id", flat=True)
    )


@rules.predicate
def is_admitted_member(institute, forum) -> bool:
    """Whether ``institute`` is an admitted member of ``forum`` (a forum or its id)."""
    forum_id = getattr(forum, "pk", forum)
    return forum_id in admitted_forum_ids(institute)


def admitted_member_check(institute, forum, *, field: str | None = None) -> None:
    """Refuses (ValidationError, code ``not_a_member``, on ``field`` if given) an action
    for a forum that ``institute`` is not an admitted member of."""
    if not is_admitted_member(institute, forum):
        error = ValidationError(NOT_A_MEMBER, code="not_a_member")
        raise ValidationError({field: error}) if field else error
