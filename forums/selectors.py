"""Reads of the public forum pages: one forum's own facts (the list of forums, which
counts their members, is read by ``members.selectors.forum_list_public``).

What a forum page shows from other apps (members, meetings, plans, statements) is read by
those apps' selectors; the view puts them together.
"""

from django.db.models import Prefetch

from forums.models import Forum, FrameworkMemberState


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
    # django-stubs types a Prefetch's to_attr only on the queryset's own model.
    forum.framework.member_state_list.sort(key=lambda state: state.country.name)  # type: ignore[attr-defined]
    return forum
