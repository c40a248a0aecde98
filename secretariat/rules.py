"""Permission predicates of the secretariat's own pages (the ``rules`` package)."""

import rules

from core.rules import is_active_superuser
from core.scoping import staff_forum_ids


def contact_forum_ids(contact) -> set[int]:
    """Every forum whose records hold something of ``contact``: its institute's
    memberships (of any status), its focal-point roles, and the circulations sent to it
    (three small queries)."""
    from members.models import FocalPoint, Membership
    from secretariat.models import Delivery

    return (
        set(
            Membership.objects.filter(institute_id=contact.institute_id).values_list(
                "forum_id", flat=True
            )
        )
        | set(FocalPoint.objects.filter(contact=contact).values_list("forum_id", flat=True))
        | set(
            Delivery.objects.filter(contact=contact).values_list(
                "circulation__paper__forum_id", flat=True
            )
        )
    )


@rules.predicate
def holds_every_record_of_contact(user, contact) -> bool:
    """Whether ``user`` is staff of the secretariat(s) running every forum that holds
    something of ``contact``. Exporting or erasing a person reaches all of it, so a contact
    shared with another secretariat's forum is left to a superuser (the portal's operator),
    who answers for both: no secretariat reads or erases another's records."""
    if contact is None or contact.pk is None:
        return False
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return contact_forum_ids(contact) <= staff_forum_ids(user=user)


may_handle_personal_data = is_active_superuser | holds_every_record_of_contact

rules.add_perm("members.export_personal_data", may_handle_personal_data)
rules.add_perm("members.erase_personal_data", may_handle_personal_data)
