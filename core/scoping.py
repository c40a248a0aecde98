"""Which rows a secretariat staff user may see: the tenancy rule of the admin.

Every scoped model names the ORM path from itself to its ``Forum`` in ``forum_scope``
(``"forum"``, ``"plan__forum"``, ``"pk"`` for the forum itself). Staff see the rows whose
forum their secretariat runs; superusers see everything; anybody else sees nothing.
Models whose rows can exist before they belong to any forum (an institute not yet admitted,
a framework without forums) set ``forum_scope_shows_unowned`` so that staff can reach them.
See docs/adr/0002-staff-scoped-to-their-secretariats-forums.md.
"""

from django.db.models import Model, Q, QuerySet


def staff_forum_ids(*, user) -> frozenset[int]:
    """The ids of the forums run by the secretariats ``user`` belongs to (one query, cached)."""
    cached = getattr(user, "_staff_forum_ids", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active and user.is_staff):
        ids: frozenset[int] = frozenset()
    else:
        ids = frozenset(
            user.secretariats.filter(forums__isnull=False).values_list("forums", flat=True)
        )
    user._staff_forum_ids = ids
    return ids


def _is_multivalued(model: type[Model], path: str) -> bool:
    opts = model._meta
    for part in path.split("__"):
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        opts = field.related_model._meta
    return False


def forum_scope_q(model: type[Model], *, forum_ids) -> Q:
    """A condition (joins only where they cannot multiply rows) for rows of these forums."""
    path = getattr(model, "forum_scope", None)
    if path is None:
        raise TypeError(f"{model.__name__} is not scoped to a forum (no forum_scope).")
    if path == "pk":
        return Q(pk__in=forum_ids)
    manager = model._default_manager
    if _is_multivalued(model, path):
        condition = Q(pk__in=manager.filter(**{f"{path}__in": forum_ids}).values("pk"))
    else:
        condition = Q(**{f"{path}__in": forum_ids})
    if getattr(model, "forum_scope_shows_unowned", False):
        owned = manager.filter(**{f"{path}__isnull": False}).values("pk")
        condition |= ~Q(pk__in=owned)
    return condition


def scope_for_staff(queryset: QuerySet, *, user) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see in the secretariat admin."""
    model = queryset.model
    if not (user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)):
        return queryset.none()
    if user.is_superuser or getattr(model, "forum_scope", None) is None:
        return queryset
    forum_ids = staff_forum_ids(user=user)
    if not forum_ids and not getattr(model, "forum_scope_shows_unowned", False):
        return queryset.none()
    return queryset.filter(forum_scope_q(model, forum_ids=forum_ids))


def is_in_staff_scope(obj: Model, *, user) -> bool:
    if obj.pk is None:
        return False
    return scope_for_staff(type(obj)._default_manager.filter(pk=obj.pk), user=user).exists()
