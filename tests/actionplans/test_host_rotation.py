"""A forum's host rotation by reciprocity (docs/adr/0014): the secretariat's rule as rows,
the host it proposes after several years of sessions, overrides with a reason, the forum
page and the admin."""

import datetime

import pytest
from django.urls import reverse

from actionplans.enums import MeetingKind, MeetingStatus
from actionplans.models import Meeting
from actionplans.selectors import forum_host_rotation, meeting_host_proposal
from forums.enums import HostingPrinciple
from forums.models import HostRotationCountry
from forums.rotation import rotation_proposals
from tests import factories as f
from tests.html import form_data, page, text, texts

pytestmark = pytest.mark.django_db
D = datetime.date
KCA_RULE = [["KR"], ["KZ", "KG", "TJ", "TM", "UZ"]]


def _rule(forum, groups=KCA_RULE) -> None:
    for group, countries in enumerate(groups, start=1):
        for turn, country in enumerate(countries, start=1):
            HostRotationCountry.objects.create(forum=forum, group=group, turn=turn, country=country)


def _reciprocal(forum):
    forum.hosting_principle = HostingPrinciple.RECIPROCITY
    forum.save()
    return forum


def _session(forum, year: int, country: str, **fields) -> Meeting:
    fields.setdefault("status", MeetingStatus.HELD)
    fields.setdefault("starts_on", D(year, 10, 1))
    return f.MeetingFactory(
        forum=forum,
        kind=MeetingKind.FORUM,
        title=f"Forum {year}",
        slug=f"forum-{year}",
        host_country=country,
        **fields,
    )


def _next(forum) -> str:
    rotation = forum_host_rotation(forum=forum)
    assert rotation is not None
    return rotation.next_host.code


# --- The rule ------------------------------------------------------------------------


def test_the_rule_alternates_between_groups_and_takes_each_groups_countries_in_turn():
    hosts = ["KR", "KZ", "KR", "KG", "KR", "TJ", "KR", "TM", "KR", "UZ", "KR"]

    assert rotation_proposals(groups=KCA_RULE, hosts=hosts) == [
        "KR", "KZ", "KR", "KG", "KR", "TJ", "KR", "TM", "KR", "UZ", "KR", "KZ",
    ]  # fmt: skip


def test_a_host_outside_the_rule_leaves_the_rotation_where_it_was():
    assert rotation_proposals(groups=KCA_RULE, hosts=["KR", "CN"]) == ["KR", "KZ", "KZ"]


def test_one_group_is_a_plain_round():
    assert rotation_proposals(groups=[["KZ", "UZ"]], hosts=["KZ", "UZ"]) == ["KZ", "UZ", "KZ"]


def test_an_empty_rule_proposes_nothing():
    assert rotation_proposals(groups=[], hosts=["KR"]) == [None, None]


# --- Several years of sessions ------------------------------------------------------


def test_the_proposal_for_each_next_year_follows_the_sessions_held(kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    proposals = [_next(forum)]
    for year, country in [
        (2024, "KR"),
        (2025, "KZ"),
        (2026, "KR"),
        (2027, "KG"),
        (2028, "KR"),
        (2029, "TJ"),
        (2030, "KR"),
        (2031, "TM"),
        (2032, "KR"),
        (2033, "UZ"),
        (2034, "KR"),
    ]:
        _session(forum, year, country)
        proposals.append(_next(forum))

    assert proposals == [
        "KR",  # before 2024: nobody hosted yet, the first country of the first group
        "KZ",  # for 2025
        "KR",  # for 2026
        "KG",  # for 2027
        "KR",  # for 2028
        "TJ",  # for 2029
        "KR",  # for 2030
        "TM",  # for 2031
        "KR",  # for 2032
        "UZ",  # for 2033
        "KR",  # for 2034
        "KZ",  # for 2035: the second group starts its round again
    ]


def test_sessions_count_in_date_order_not_in_order_of_entry(kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2026, "KR")
    _session(forum, 2024, "KR")
    _session(forum, 2025, "KZ")

    rotation = forum_host_rotation(forum=forum)

    assert [(h.year, h.country.code, h.proposed.code) for h in rotation.hosts] == [
        (2024, "KR", "KR"),
        (2025, "KZ", "KZ"),
        (2026, "KR", "KR"),
    ]
    assert rotation.next_host.code == "KG"


def test_a_planned_session_with_a_host_takes_its_turn_other_meetings_do_not(kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    _session(forum, 2025, "KZ", status=MeetingStatus.PLANNED, starts_on=None,
             window_start=D(2025, 9, 1), window_end=D(2025, 10, 31))  # fmt: skip
    _session(forum, 2026, "KR", status=MeetingStatus.CANCELLED)
    _session(forum, 2027, "", status=MeetingStatus.PLANNED)
    f.MeetingFactory(forum=forum, kind=MeetingKind.ROUNDTABLE, host_country="KG",
                     status=MeetingStatus.HELD, starts_on=D(2025, 11, 20))  # fmt: skip

    rotation = forum_host_rotation(forum=forum)

    assert [(h.year, h.country.code) for h in rotation.hosts] == [(2024, "KR"), (2025, "KZ")]
    assert rotation.next_host.code == "KR"


def test_an_overridden_host_counts_as_the_last_host(kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    _session(forum, 2025, "UZ", host_rotation_override_reason="Kazakhstan asked to wait a year")

    rotation = forum_host_rotation(forum=forum)

    last = rotation.hosts[-1]
    assert (last.country.code, last.proposed.code, last.is_override, last.reason) == (
        "UZ",
        "KZ",
        True,
        "Kazakhstan asked to wait a year",
    )
    assert rotation.next_host.code == "KR"
    _session(forum, 2026, "KR")
    assert _next(forum) == "KZ"  # the second group goes on from Uzbekistan, its last host


@pytest.mark.parametrize(
    ("principle", "with_rule"),
    [
        (HostingPrinciple.RECIPROCITY, False),
        (HostingPrinciple.SECRETARIAT, True),
        (HostingPrinciple.DECIDED_EACH_TIME, True),
        ("", True),
    ],
)
def test_a_forum_without_reciprocity_or_without_a_rule_proposes_nothing(cica, principle, with_rule):
    forum = cica.forum
    forum.hosting_principle = principle
    forum.save()
    if with_rule:
        _rule(forum)
    meeting = _session(forum, 2024, "KZ")

    assert forum_host_rotation(forum=forum) is None
    assert meeting_host_proposal(meeting=meeting) is None


# --- The admin: the rule, overrides ---------------------------------------------------


def _meeting_url(meeting=None) -> str:
    if meeting is None:
        return reverse("admin:actionplans_meeting_add")
    return reverse("admin:actionplans_meeting_change", args=[meeting.pk])


def _meeting_form(client, meeting) -> dict[str, list[str]]:
    return form_data(page(client.get(_meeting_url(meeting))), "#meeting_form")


def _errors(response) -> list[str]:
    return texts(page(response), ".errorlist li")


def test_staff_are_told_the_proposed_host_on_a_meetings_page(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    meeting = _session(forum, 2025, "KZ", status=MeetingStatus.PLANNED)
    client.force_login(kca.staff)

    change = page(client.get(_meeting_url(meeting)))
    add = page(client.get(_meeting_url()))

    assert texts(change, "#id_host_country_helptext") == [
        "The host rotation (the secretariat's rule) proposes Kazakhstan for this meeting."
    ]
    assert texts(add, "#id_host_country_helptext") == [
        "Next host by the rotation of KCA Think Tank Forum (the secretariat's rule): "
        "Republic of Korea."
    ]


def test_a_host_other_than_the_proposed_one_without_a_reason_is_refused(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    meeting = _session(forum, 2025, "KZ", status=MeetingStatus.PLANNED)
    client.force_login(kca.staff)
    data = _meeting_form(client, meeting)
    data["host_country"] = ["TJ"]

    response = client.post(_meeting_url(meeting), data)

    assert response.status_code == 200
    assert _errors(response) == [
        "The host rotation (the secretariat's rule) proposes Kazakhstan for this meeting. "
        "To record Tajikistan as its host, give the reason for departing from the rotation."
    ]
    meeting.refresh_from_db()
    assert (meeting.host_country.code, meeting.host_rotation_override_reason) == ("KZ", "")


def test_a_new_session_off_the_rotation_without_a_reason_is_not_created(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    client.force_login(kca.staff)
    data = form_data(page(client.get(_meeting_url())), "#meeting_form")
    data.update(
        forum=[str(forum.pk)],
        kind=[MeetingKind.FORUM],
        title=["Second Forum"],
        slug=["second-forum"],
        status=[MeetingStatus.PLANNED],
        starts_on=["2025-10-01"],
        host_country=["KR"],
    )

    response = client.post(_meeting_url(), data)

    assert _errors(response) == [
        "The host rotation (the secretariat's rule) proposes Kazakhstan for this meeting. "
        "To record Republic of Korea as its host, give the reason for departing from the "
        "rotation."
    ]
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["forum-2024"]


def test_an_override_with_a_reason_is_saved_and_shown(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    meeting = _session(forum, 2025, "KZ")
    client.force_login(kca.staff)
    data = _meeting_form(client, meeting)
    data["host_country"] = ["UZ"]
    data["host_rotation_override_reason"] = ["Kazakhstan asked to host in 2027"]

    response = client.post(_meeting_url(meeting), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.host_country.code, meeting.host_rotation_override_reason) == (
        "UZ",
        "Kazakhstan asked to host in 2027",
    )
    assert meeting.updated_by == kca.staff
    hosts = page(client.get(reverse("forums:detail", args=[forum.slug])))
    assert texts(hosts, ".rotation-hosts li") == [
        "2024 · Forum 2024: Republic of Korea",
        "2025 · Forum 2025: Uzbekistan override (the rule proposed Kazakhstan): "
        "Kazakhstan asked to host in 2027",
    ]


def test_a_reason_for_the_proposed_host_is_refused(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    meeting = _session(forum, 2024, "KR")
    client.force_login(kca.staff)
    data = _meeting_form(client, meeting)
    data["host_rotation_override_reason"] = ["Because"]

    response = client.post(_meeting_url(meeting), data)

    assert _errors(response) == [
        "Republic of Korea is the host the rotation proposes for this meeting: leave the "
        "reason empty."
    ]
    meeting.refresh_from_db()
    assert meeting.host_rotation_override_reason == ""


def test_any_host_is_accepted_without_a_reason_where_there_is_no_rotation(client, kca):
    _rule(kca.forum)  # a rule, but the forum does not host by reciprocity
    meeting = _session(kca.forum, 2024, "KR")
    client.force_login(kca.staff)
    data = _meeting_form(client, meeting)
    data["host_country"] = ["TJ"]

    response = client.post(_meeting_url(meeting), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.host_country.code == "TJ"


def _forum_url(forum) -> str:
    return reverse("admin:forums_forum_change", args=[forum.pk])


def _with_rule_rows(data, rows) -> dict[str, list[str]]:
    data = {k: v for k, v in data.items() if not k.startswith("host_rotation-")}
    data["host_rotation-TOTAL_FORMS"] = [str(len(rows))]
    data["host_rotation-INITIAL_FORMS"] = ["0"]
    for i, (group, turn, country) in enumerate(rows):
        data[f"host_rotation-{i}-group"] = [str(group)]
        data[f"host_rotation-{i}-turn"] = [str(turn)]
        data[f"host_rotation-{i}-country"] = [country]
    return data


def test_staff_enter_the_rule_on_their_forums_page_and_see_the_proposal(client, kca):
    forum = _reciprocal(kca.forum)
    _session(forum, 2024, "KR")
    client.force_login(kca.staff)
    data = form_data(page(client.get(_forum_url(forum))), "#forum_form")

    response = client.post(
        _forum_url(forum), _with_rule_rows(data, [(1, 1, "KR"), (2, 1, "KZ"), (2, 2, "KG")])
    )

    assert response.status_code == 302
    assert list(
        HostRotationCountry.objects.filter(forum=forum).values_list("group", "turn", "country")
    ) == [(1, 1, "KR"), (2, 1, "KZ"), (2, 2, "KG")]
    summary = page(client.get(_forum_url(forum)))
    assert texts(summary, ".host-rotation-summary .rotation-next") == [
        "Proposed next host: Kazakhstan"
    ]
    assert texts(summary, ".host-rotation-summary .rotation-hosts") == [
        "Hosts so far: 2024 Republic of Korea"
    ]


def test_a_country_twice_in_the_rule_is_refused(client, kca):
    forum = _reciprocal(kca.forum)
    client.force_login(kca.staff)
    data = form_data(page(client.get(_forum_url(forum))), "#forum_form")

    response = client.post(_forum_url(forum), _with_rule_rows(data, [(1, 1, "KR"), (2, 1, "KR")]))

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [
        "Please correct the duplicate data for country.",
        "Please correct the duplicate values below.",
    ]
    assert HostRotationCountry.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status", "written"),
    [
        ("anonymous", 302, False),
        ("member", 302, False),
        ("cica", 404, False),
        ("kca", 302, True),
        ("superuser", 302, True),
    ],
)
def test_only_the_forums_own_secretariat_edits_its_rule(
    client, log_in_as, kca, superuser, who, status, written
):
    forum = _reciprocal(kca.forum)
    client.force_login(kca.staff)
    data = form_data(page(client.get(_forum_url(forum))), "#forum_form")
    client.logout()
    log_in_as(who)

    response = client.post(_forum_url(forum), _with_rule_rows(data, [(1, 1, "KR")]))

    assert response.status_code == status
    if who in ("anonymous", "member"):
        assert response["Location"].startswith("/admin/login/")
    if not written:
        assert b"KCA" not in response.content
    assert HostRotationCountry.objects.filter(forum=forum).exists() is written


# --- The forum page --------------------------------------------------------------------


def _forum_page(client, forum):
    return page(client.get(reverse("forums:detail", args=[forum.slug])))


def test_the_forum_page_shows_the_rule_as_the_secretariats_and_the_proposal(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    _session(forum, 2024, "KR")
    _session(forum, 2025, "KZ", status=MeetingStatus.PLANNED)
    _session(forum, 2026, "TM")  # entered without a reason (before the rule, say)

    shown = _forum_page(client, forum)

    section = shown.query("section[aria-labelledby=host-rotation]")
    assert texts(section, "h2") == ["Host rotation (the secretariat's rule)"]
    assert texts(section, ".help") == [
        "The forum's sessions are hosted by the principle of reciprocity. The order below is "
        "the secretariat's own rule for applying it, not part of the forum's founding "
        "documents: hosting alternates between the groups in order and, within each group, "
        "passes to its countries in turn."
    ]
    assert texts(section, ".rotation-rule dt") == ["Group 1", "Group 2"]
    assert texts(section, ".rotation-rule dd") == [
        "Republic of Korea",
        "Kazakhstan, Kyrgyz Republic, Tajikistan, Turkmenistan, Uzbekistan",
    ]
    assert texts(section, ".rotation-next") == ["Proposed next host: Republic of Korea"]
    assert texts(section, ".rotation-hosts li") == [
        "2024 · Forum 2024: Republic of Korea",
        "2025 · Forum 2025: Kazakhstan Planned",
        "2026 · Forum 2026: Turkmenistan not as the rule proposed (Republic of Korea); "
        "no reason recorded",
    ]
    assert texts(shown, "nav[aria-labelledby=forum-contents] a[href='#host-rotation']") == [
        "Host rotation"
    ]


def test_the_forum_page_says_when_there_is_no_rule(client, kca):
    forum = _reciprocal(kca.forum)

    section = _forum_page(client, forum).query("section[aria-labelledby=host-rotation]")

    assert texts(section, ".empty-state") == [
        "The secretariat has not recorded a host rotation for this forum."
    ]
    assert section.query(".rotation-next") is None


def test_a_forum_not_hosting_by_reciprocity_has_no_rotation_section(client, cica):
    _rule(cica.forum)

    shown = _forum_page(client, cica.forum)

    assert shown.query("#host-rotation") is None
    assert shown.query("a[href='#host-rotation']") is None


def test_the_forum_page_in_russian_names_the_countries_in_russian(client, kca):
    forum = _reciprocal(kca.forum)
    _rule(forum, [["KR"], ["KG"]])

    response = client.get(f"/ru/forums/{forum.slug}/")

    next_host = page(response).query(".rotation-next").etree_element
    assert text(next_host).endswith("Республика Корея")


@pytest.mark.parametrize("n", [1, 30])
def test_the_rotation_costs_two_queries_on_the_forum_page_however_long_its_history(
    client, kca, django_assert_num_queries, n
):
    forum = _reciprocal(kca.forum)
    _rule(forum)
    countries = ["KR", "KZ", "KR", "KG", "KR", "TJ"]
    for i in range(n):
        _session(forum, 2000 + i, countries[i % len(countries)])

    # forum, member states, memberships, planned, held and passed meetings, the rule, the
    # rotating sessions, plans, statements, the years of its annual reports
    with django_assert_num_queries(11):
        shown = _forum_page(client, forum)

    assert len(texts(shown, ".rotation-hosts li")) == n
