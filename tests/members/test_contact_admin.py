"""Staff invite a contact from its own page (the list's bulk action was the only way), and
the admin's forum filters refuse another secretariat's forum in words."""

import pytest
from django.urls import reverse

from members.models import Invitation
from tests import factories as f
from tests.html import attrs, page

pytestmark = pytest.mark.django_db


def _invite_url(contact) -> str:
    return reverse("admin:members_contact_invite", args=[contact.pk])


def _change_url(contact) -> str:
    return reverse("admin:members_contact_change", args=[contact.pk])


def test_the_contact_page_invites_once_however_often_it_is_clicked(client, cica):
    contact = f.ContactFactory(institute=cica.institute, email="new@example.org")
    client.force_login(cica.staff)

    assert attrs(page(client.get(_change_url(contact))), ".object-tools form", "action") == [
        _invite_url(contact)
    ]
    first = client.post(_invite_url(contact), follow=True)
    second = client.post(_invite_url(contact), follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        f"An invitation to log in is being e-mailed to {contact.full_name} <new@example.org>."
    ]
    assert [str(m) for m in second.context["messages"]] == [
        f"An invitation was sent to {contact.full_name} a moment ago; a second one would void "
        "the link in the first."
    ]
    assert Invitation.objects.filter(contact=contact).count() == 1


def test_no_button_for_a_contact_with_a_login_or_without_an_address(client, cica):
    with_login = f.ContactFactory(institute=cica.institute, user=f.UserFactory())
    without_address = f.ContactFactory(institute=cica.institute, email="")
    client.force_login(cica.staff)

    for contact in (with_login, without_address):
        assert attrs(page(client.get(_change_url(contact))), ".object-tools form", "action") == []


def test_inviting_takes_a_post_and_only_a_contact_of_ones_own_forums(client, cica, kca):
    mine = f.ContactFactory(institute=cica.institute)
    theirs = f.ContactFactory(institute=kca.institute)
    client.force_login(cica.staff)

    assert client.get(_invite_url(mine)).status_code == 405
    assert client.post(_invite_url(theirs)).status_code == 404
    assert Invitation.objects.count() == 0


def test_institutes_filter_by_the_users_forums(client, cica, kca):
    outsider = f.InstituteFactory(name="Not a member yet")
    changelist = reverse("admin:members_institute_changelist")
    client.force_login(cica.staff)

    listed = client.get(changelist, {"forum": cica.forum.pk})
    assert [i.name for i in listed.context["cl"].result_list] == ["CICA Institute"]
    assert outsider.name in [i.name for i in client.get(changelist).context["cl"].result_list]
    refused = client.get(changelist, {"forum": kca.forum.pk})
    assert (refused.status_code, refused["Location"]) == (302, f"{changelist}?e=1")


@pytest.mark.parametrize(
    "model", ["actionplans_meeting", "actionplans_actionplan", "secretariat_conceptpaper"]
)
def test_another_secretariats_forum_in_a_filter_is_an_invalid_filter(client, cica, kca, model):
    changelist = reverse(f"admin:{model}_changelist")
    client.force_login(cica.staff)

    assert client.get(changelist, {"forum__id__exact": cica.forum.pk}).status_code == 200
    for forum_id in (kca.forum.pk, 99999, "x"):
        response = client.get(changelist, {"forum__id__exact": forum_id})
        assert (response.status_code, response["Location"]) == (302, f"{changelist}?e=1")


def test_member_changes_list_what_changed_escaped_one_per_line(client, cica):
    from members.models import MemberChange

    MemberChange.objects.create(
        forum=cica.forum, institute=cica.institute, summary="<b>website</b>\nphone"
    )
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_memberchange_changelist"))

    assert "&lt;b&gt;website&lt;/b&gt;<br>Phone" in response.content.decode()
