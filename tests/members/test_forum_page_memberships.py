"""A forum's admin page (declared in ``forums``) shows its memberships, which the members
app adds to it; a membership added there goes through ``membership_save`` like any other:
it starts its status history, and an existing row's status is not taken from the form."""

import pytest

from members.enums import MembershipStatus
from members.models import Membership
from tests import factories as f
from tests.html import form_data, page

pytestmark = pytest.mark.django_db


def _url(forum) -> str:
    return f"/admin/forums/forum/{forum.pk}/change/"


def _form(client, forum) -> dict[str, list[str]]:
    return form_data(page(client.get(_url(forum))), "#forum_form")


def test_a_membership_added_on_the_forum_page_starts_its_history(client, cica):
    institute = f.InstituteFactory(name="Institute of World Economy and Politics")
    client.force_login(cica.staff)
    data = _form(client, cica.forum)
    assert data["memberships-INITIAL_FORMS"] == ["1"]  # the forum's own institute
    data |= {
        "memberships-TOTAL_FORMS": ["2"],
        "memberships-1-institute": [str(institute.pk)],
        "memberships-1-status": [MembershipStatus.RECOMMENDED],
        "memberships-1-decided_on": [""],
    }

    response = client.post(_url(cica.forum), data)

    assert response.status_code == 302
    membership = Membership.objects.get(forum=cica.forum, institute=institute)
    steps = list(membership.status_changes.values_list("status", "created_by"))
    assert steps == [(MembershipStatus.RECOMMENDED, cica.staff.pk)]


def test_a_status_posted_for_an_existing_row_is_not_taken(client, cica):
    """The row shows its status read-only: a decision is the admin's actions' to make."""
    membership = Membership.objects.get(forum=cica.forum, institute=cica.institute)
    client.force_login(cica.staff)
    data = _form(client, cica.forum)
    row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(membership.pk)])
    data[row.removesuffix("-id") + "-status"] = [MembershipStatus.WITHDRAWN]

    response = client.post(_url(cica.forum), data)

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.status == MembershipStatus.ADMITTED
