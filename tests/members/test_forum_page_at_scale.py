"""A forum of hundreds of member institutes: its admin page shows the first 25 memberships
(those awaiting a decision first) and links to all of them, costs the same queries as a
forum of one, and can still be saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.enums import InstituteKind, MembershipStatus
from members.models import Institute, Membership
from tests import factories as f
from tests.html import form_data, page, text

pytestmark = pytest.mark.django_db


def _url(forum) -> str:
    return f"/admin/forums/forum/{forum.pk}/change/"


def _members(forum, n: int, *, recommended_by=None) -> None:
    institutes = Institute.objects.bulk_create(
        Institute(
            name=f"Member institute {i:03d}",
            slug=f"member-{i:03d}",
            country="KZ",
            kind=InstituteKind.UNIVERSITY,
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            forum=forum,
            institute=institute,
            status=MembershipStatus.ADMITTED,
            decided_on=datetime.date(2024, 1, 15),
            recommended_by=recommended_by,
        )
        for institute in institutes
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_the_forum_page_costs_the_same_queries_for_1_or_300_memberships(
    client, cica, superuser, who
):
    client.force_login(cica.staff if who == "staff" else superuser)
    client.get(_url(cica.forum))
    one = _queries(client, _url(cica.forum))
    _members(cica.forum, 299, recommended_by=cica.institute)

    many = _queries(client, _url(cica.forum))

    assert many == one
    assert many <= 25


def test_the_first_25_are_shown_awaiting_a_decision_first_with_a_link_to_all(client, cica):
    _members(cica.forum, 299)
    waiting = f.MembershipFactory(
        forum=cica.forum,
        institute=f.InstituteFactory(name="Zhejiang Institute"),
        status=MembershipStatus.RECOMMENDED,
        decided_on=None,
    )
    client.force_login(cica.staff)

    response = client.get(_url(cica.forum))

    data = form_data(page(response), "#forum_form")
    assert data["memberships-INITIAL_FORMS"] == ["25"]
    assert data["memberships-0-id"] == [str(waiting.pk)]
    assert data["memberships-1-id"] == [
        str(Membership.objects.get(institute__name="CICA Institute").pk)
    ]
    note = page(response).query(".memberships-more")
    assert text(note.etree_element) == (
        "Only the first 25 memberships are shown here, those awaiting a decision first. "
        "See all the forum’s memberships (search, filter, decide on several at once)"
    )
    assert note.query("a").etree_element.get("href") == (
        f"/admin/members/membership/?forum__id__exact={cica.forum.pk}"
    )


def test_a_small_forum_has_no_note(client, cica):
    client.force_login(cica.staff)

    response = client.get(_url(cica.forum))

    assert page(response).query(".memberships-more") is None


def test_a_forum_of_300_is_saved_with_the_change_to_a_shown_row(client, cica):
    _members(cica.forum, 299)
    membership = Membership.objects.get(forum=cica.forum, institute=cica.institute)
    client.force_login(cica.staff)
    data = form_data(page(client.get(_url(cica.forum))), "#forum_form")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(membership.pk)])
    data[row.removesuffix("-id") + "-is_founding_member"] = ["on"]

    response = client.post(_url(cica.forum), data)

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_founding_member is True
    assert membership.updated_by == cica.staff
    assert Membership.objects.filter(forum=cica.forum).count() == 300
