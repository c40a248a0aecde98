"""A forum's host rotation as a pure function of its rule and its hosts so far.

The rule is the secretariat's own (``HostRotationCountry``): ordered groups of countries.
Hosting alternates between the groups in their order and, within each group, goes through
its countries in turn, continuing from the last recorded host (docs/adr/0014)."""

from collections.abc import Sequence


def rotation_proposals(
    *, groups: Sequence[Sequence[str]], hosts: Sequence[str]
) -> list[str | None]:
    """The country the rule proposes at every place of ``hosts`` (country codes, oldest
    first), worked out from the hosts before it, followed by the proposal for the next
    meeting: ``len(hosts) + 1`` items, ``None`` throughout when the rule is empty.

    Nobody hosted yet: the first country of the first group. Otherwise the group after the
    last host's group (after the last group, the first again), at the country after the one
    of that group that hosted last (its first country if none did). A host the rule does
    not name (an override to a country outside it) leaves the rotation where it was."""
    rule = [list(group) for group in groups if group]
    place = {country: (g, t) for g, group in enumerate(rule) for t, country in enumerate(group)}
    last_group: int | None = None
    last_turn: dict[int, int] = {}

    def proposal() -> str | None:
        if not rule:
            return None
        g = 0 if last_group is None else (last_group + 1) % len(rule)
        t = last_turn.get(g)
        return rule[g][0 if t is None else (t + 1) % len(rule[g])]

    proposals = []
    for host in hosts:
        proposals.append(proposal())
        if host in place:
            last_group, turn = place[host]
            last_turn[last_group] = turn
    proposals.append(proposal())
    return proposals
