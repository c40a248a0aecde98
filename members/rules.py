"""Permission predicates of the register of institutes and their people."""

import rules

from core.rules import is_active_superuser
from core.scoping import staff_forum_ids


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
