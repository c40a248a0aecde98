"""Permission predicates (the ``rules`` package) shared by every app.

``<app>.manage_<model>`` is registered for every audited model: it holds for superusers and
for the staff of the secretariat that runs the object's forum. The admin checks it on
every object it opens, changes or deletes, in addition to Django's model permissions.
"""

import rules

from core.scoping import is_in_staff_scope


@rules.predicate
def is_staff_of_owning_secretariat(user, obj) -> bool:
    if obj is None or not user.is_authenticated or not user.is_staff:
        return False
    return is_in_staff_scope(obj, user=user)


@rules.predicate
def is_active_superuser(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


can_manage = is_active_superuser | is_staff_of_owning_secretariat
