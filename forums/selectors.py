"""Reads of the public forum pages: the list of forums and one forum's own facts.

What a forum page shows from other apps (members, meetings, plans, statements) is read by
those apps' selectors; the view puts them together.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from forums.models import Forum, FrameworkMemberState
from members.enums import MembershipStatus


def forum_list_public() -> QuerySet[Forum]:
    """Every forum with its framework and secretariat, and ``member_count``: the number of
    its admitted member institutes. One query."""
    return (
        Forum.objects.select_related("framework", "secretariat")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.ADMITTED)
            )
        )
        .order_by("name")
    )


def forum_public_detail(*, slug: str) -> Forum:
    """The forum with its framework, secretariat and the framework's member states, sorted
    by country name in the active language (``forum.framework.member_state_list``).

    Raises ``Forum.DoesNotExist`` for an unknown slug. Two queries."""
    forum = (
        Forum.objects.select_related("framework", "secretariat")
        .prefetch_related(
            Prefetch(
                "framework__member_states",
                queryset=FrameworkMemberState.objects.order_by("country"),
                to_attr="member_state_list",
            )
        )
        .get(slug=slug)
    )
    forum.framework.member_state_list.sort(key=lambda state: state.country.name)
    return forum
