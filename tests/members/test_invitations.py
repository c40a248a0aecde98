"""Invitations to log in: the e-mail (through a real SMTP server on loopback), the link
that works once, expires and opens an account only for the invited address, and the admin
action that sends them within the staff's own secretariat."""

import datetime
import re
from typing import NamedTuple

import cssselect2
import pytest
import tinyhtml5
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation
from members.services import InvitationRefused, invitation_accept, invitation_send
from tests import factories as f

# E-mails are sent by a worker's job, run here in-process as it is enqueued.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fresh_cache"),
    pytest.mark.usefixtures("eager_celery"),
]
User = get_user_model()
PASSWORD = "a long and uncommon passphrase 71"
LINK = re.compile(r"^https://forums\.example\.org/invitation/([A-Za-z0-9_-]+)/$", re.M)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://forums.example.org"
    settings.PORTAL_NAME = ""


@pytest.fixture
def contact(cica):
    return f.ContactFactory(
        institute=cica.institute, full_name="Aigerim Nurlanovna", email="Aigerim@KazISS.kz"
    )


class Invited(NamedTuple):
    invitation: Invitation
    token: str


@pytest.fixture
def invited(contact, cica, smtp, django_capture_on_commit_callbacks) -> Invited:
    """An invitation sent to ``contact``, and the token from the e-mail's link."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(contact=contact, by=cica.staff)
    [mail] = smtp.accepted
    [token] = LINK.findall(mail.body.replace("\r\n", "\n"))
    return Invited(invitation, token)


def _members():
    """The e-mail addresses of every login but the staff's (the fixtures make those)."""
    return list(User.objects.filter(is_staff=False).values_list("email", flat=True))


def _signup(client, email="Aigerim@KazISS.kz", password=PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


def test_invitation_email_says_who_invites_for_which_institute_and_links_once(
    contact, cica, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(contact=contact, by=cica.staff)

    [mail] = smtp.accepted
    body = mail.body.replace("\r\n", "\n")
    [token] = LINK.findall(body)
    expires = timezone.localtime(invitation.expires_at)
    assert mail.recipient == "aigerim@kaziss.kz"
    assert mail.subject == "Your invitation to log in for CICA Institute"
    assert body == (
        "Dear Aigerim Nurlanovna,\n\n"
        "cica-staff@example.org (CICA Secretariat) invites you to create your login to "
        "Think Tank Forums for CICA Institute.\n\n"
        "With it you can keep your institute's profile and contacts current, submit "
        "publications to the catalogue and answer the documents the secretariat "
        "circulates.\n\n"
        "To create your login, open this link and choose a password:\n\n"
        f"https://forums.example.org/invitation/{token}/\n\n"
        f"The link works once, only for Aigerim@KazISS.kz, until "
        f"{expires.day} {expires:%B %Y, %H:%M} UTC.\n\n"
        "If you did not expect this invitation, you can ignore this e-mail.\n"
    )
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    invitation.refresh_from_db()
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in (invitation.token_hash, invitation.email, invitation.send_error)
    assert invitation.email == "Aigerim@KazISS.kz"
    assert invitation.created_by == cica.staff
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )
    assert invitation.sent_at is not None
    assert invitation.send_error == ""
    assert invitation.state == Invitation.OPEN


def test_no_email_is_sent_before_the_invitation_commits(contact, cica, smtp):
    invitation_send(contact=contact, by=cica.staff)  # the test's transaction never commits

    assert smtp.accepted == []
    assert Invitation.objects.get().sent_at is None


def test_an_unreachable_mail_server_is_recorded_on_the_invitation(
    contact, cica, settings, django_capture_on_commit_callbacks
):
    from tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(contact=contact, by=cica.staff)

    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.send_error.startswith("ConnectionRefusedError: ")


def test_the_link_opens_the_signup_form_for_the_invited_address_only(client, invited):
    token = invited.token

    response = client.get(f"/invitation/{token}/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/"

    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    html = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(page.content.decode()))
    email = html.query("input[name=email]").etree_element
    assert (email.get("type"), email.get("value"), email.get("readonly")) == (
        "email",
        "Aigerim@KazISS.kz",
        "",
    )
    assert " ".join(html.query("p.lead").etree_element.text.split()) == (
        "Welcome, Aigerim Nurlanovna. Choose a password to create your login for CICA Institute."
    )


def test_accepting_binds_the_new_login_to_the_contact_with_a_verified_address(
    client, invited, contact
):
    invitation, token = invited
    client.get(f"/invitation/{token}/")

    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/members/"  # their institute's workspace
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Successfully signed in as Aigerim Nurlanovna."
    ]
    user = User.objects.get(is_staff=False)
    assert user.email == "aigerim@kaziss.kz"
    assert user.is_staff is False
    assert user.check_password(PASSWORD)
    contact.refresh_from_db()
    assert contact.user == user
    assert contact.institute.name == "CICA Institute"
    assert list(EmailAddress.objects.values_list("user", "email", "verified", "primary")) == [
        (user.pk, "aigerim@kaziss.kz", True, True)
    ]
    invitation.refresh_from_db()
    assert invitation.state == Invitation.ACCEPTED
    assert invitation.accepted_user == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "members_invitation_id" not in client.session


def test_the_link_works_once(client, invited, contact):
    token = invited.token
    client.get(f"/invitation/{token}/")
    _signup(client)
    other = client.__class__()

    again = other.get(f"/invitation/{token}/")
    signup = _signup(other, password="another long passphrase 82")

    assert again.status_code == 410
    assert "This invitation has already been used." in again.content.decode()
    assert signup.status_code == 200
    assert "Sign Up Closed" in signup.content.decode()
    assert _members() == ["aigerim@kaziss.kz"]
    assert "members_invitation_id" not in other.session


def test_a_link_opened_in_two_browsers_creates_one_login(client, invited, contact):
    token = invited.token
    second = client.__class__()
    client.get(f"/invitation/{token}/")
    second.get(f"/invitation/{token}/")

    first_signup = _signup(client)
    second_signup = _signup(second, password="another long passphrase 82")

    assert first_signup.status_code == 302
    assert second_signup.status_code == 200
    assert "Sign Up Closed" in second_signup.content.decode()
    assert _members() == ["aigerim@kaziss.kz"]


def test_a_contact_linked_meanwhile_gets_no_second_login(client, invited, contact):
    token = invited.token
    client.get(f"/invitation/{token}/")
    contact.user = f.UserFactory(username="linked-by-staff", email="someone@example.org")
    contact.save()

    response = _signup(client)

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert _members() == ["someone@example.org"]


@pytest.mark.parametrize(
    ("change", "email", "message"),
    [
        (
            {"accepted_at": timezone.now()},
            "aigerim@kaziss.kz",
            "This invitation has already been used.",
        ),
        (
            {"revoked_at": timezone.now()},
            "aigerim@kaziss.kz",
            "This invitation has been withdrawn by the secretariat.",
        ),
        ({"expires_at": timezone.now()}, "aigerim@kaziss.kz", "This invitation has expired."),
        ({}, "intruder@example.org", "This invitation is for Aigerim@KazISS.kz."),
    ],
)
def test_accepting_checks_the_locked_invitation_before_creating_the_user(
    invited, contact, change, email, message
):
    """The last check, under the row lock, for what changed after the form was opened."""
    invitation = invited.invitation
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    created = []

    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(
            invitation_id=invitation.pk, email=email, create_user=lambda: created.append(1)
        )

    assert str(refused.value) == message
    assert created == []
    contact.refresh_from_db()
    assert contact.user is None


def test_an_expired_link_is_refused_and_creates_nothing(client, invited, contact):
    invitation, token = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.get(f"/invitation/{token}/")
    signup = _signup(client)

    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert "members_invitation_id" not in client.session
    assert signup.status_code == 200
    assert "Sign Up Closed" in signup.content.decode()
    assert _members() == []
    contact.refresh_from_db()
    assert contact.user is None


def test_a_link_that_expires_after_opening_creates_nothing(client, invited, contact):
    invitation, token = invited
    client.get(f"/invitation/{token}/")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = _signup(client)

    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert _members() == []


def test_an_unknown_token_is_not_found(client, invited):
    response = client.get("/invitation/" + "x" * 43 + "/")

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()
    assert "members_invitation_id" not in client.session


def test_a_new_invitation_revokes_the_earlier_link(
    client, invited, contact, cica, smtp, django_capture_on_commit_callbacks
):
    first, first_token = invited
    Invitation.objects.filter(pk=first.pk).update(
        created_at=first.created_at - datetime.timedelta(minutes=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = invitation_send(contact=contact, by=cica.staff)

    response = client.get(f"/invitation/{first_token}/")

    assert response.status_code == 410
    assert "This invitation has been withdrawn by the secretariat." in response.content.decode()
    first.refresh_from_db()
    assert (first.state, second.state) == (Invitation.REVOKED, Invitation.OPEN)
    assert len(smtp.accepted) == 2


def test_a_second_invitation_within_a_minute_is_refused_and_the_first_link_stands(
    client, invited, contact, cica
):
    """A double click on "invite" (or two staff at once) must not void the link just sent."""
    first, first_token = invited

    with pytest.raises(InvitationRefused, match="a moment ago"):
        invitation_send(contact=contact, by=cica.staff)

    first.refresh_from_db()
    assert first.state == Invitation.OPEN
    assert Invitation.objects.filter(contact=contact).count() == 1
    assert client.get(f"/invitation/{first_token}/")["Location"] == "/accounts/signup/"


def test_signing_up_in_russian_makes_russian_the_language_of_the_members_emails(
    client, invited, contact
):
    client.get(f"/invitation/{invited.token}/")
    client.post(
        "/ru" + reverse("account_signup"),
        {"email": "Aigerim@KazISS.kz", "password1": PASSWORD, "password2": PASSWORD},
    )

    contact.refresh_from_db()
    assert (contact.user.email, contact.language) == ("aigerim@kaziss.kz", "ru")


def test_signup_with_another_address_creates_no_account(client, invited, contact):
    invitation, token = invited
    client.get(f"/invitation/{token}/")

    response = _signup(client, email="intruder@example.org")

    assert response.status_code == 200
    assert (
        "Your invitation is for Aigerim@KazISS.kz; the address cannot be changed."
        in response.content.decode()
    )
    assert _members() == []
    assert EmailAddress.objects.count() == 0
    contact.refresh_from_db()
    assert contact.user is None
    invitation.refresh_from_db()
    assert invitation.state == Invitation.OPEN


def test_signup_without_an_invitation_creates_no_account(client):
    page = client.get("/accounts/signup/")
    response = _signup(client, email="someone@example.org")

    assert page.status_code == 200
    assert "<title>Sign Up Closed — Think Tank Forums</title>" in page.content.decode()
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert _members() == []
    assert EmailAddress.objects.count() == 0


def test_a_signed_in_user_cannot_open_an_invitation(client, invited):
    token = invited.token
    client.force_login(f.UserFactory())

    response = client.get(f"/invitation/{token}/")

    assert response.status_code == 409
    assert "members_invitation_id" not in client.session


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": ""}, "Aigerim Nurlanovna has no e-mail address to send an invitation to."),
        ({"is_active": False}, "Aigerim Nurlanovna is not active."),
    ],
)
def test_a_contact_that_cannot_be_reached_gets_no_invitation(
    contact, cica, smtp, change, message, django_capture_on_commit_callbacks
):
    for name, value in change.items():
        setattr(contact, name, value)
    contact.save()

    with (
        pytest.raises(InvitationRefused) as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation_send(contact=contact, by=cica.staff)

    assert str(refused.value) == message
    assert Invitation.objects.count() == 0
    assert smtp.accepted == []


def test_a_contact_with_a_login_gets_no_new_invitation(
    contact, cica, smtp, django_capture_on_commit_callbacks
):
    contact.user = f.UserFactory(username="aigerim")
    contact.save()

    with (
        pytest.raises(InvitationRefused) as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation_send(contact=contact, by=cica.staff)

    assert str(refused.value) == "Aigerim Nurlanovna already has a login."
    assert Invitation.objects.count() == 0
    assert smtp.accepted == []


def test_an_address_that_already_has_a_login_gets_no_invitation(contact, cica, smtp):
    f.UserFactory(username="someone", email="aigerim@kaziss.kz")

    with pytest.raises(InvitationRefused) as refused:
        invitation_send(contact=contact, by=cica.staff)

    assert str(refused.value) == "A login with the address Aigerim@KazISS.kz already exists."
    assert Invitation.objects.count() == 0


def _invite_in_admin(client, *contacts):
    return client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "send_invitation", "_selected_action": [c.pk for c in contacts]},
    )


def test_staff_invite_a_contact_of_their_secretariat_from_the_admin(
    client, contact, cica, smtp, django_capture_on_commit_callbacks
):
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_in_admin(client, contact)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "An invitation to log in is being e-mailed to Aigerim Nurlanovna <Aigerim@KazISS.kz>."
    ]
    invitation = Invitation.objects.get()
    assert (invitation.contact, invitation.created_by) == (contact, cica.staff)
    assert [m.recipient for m in smtp.accepted] == ["aigerim@kaziss.kz"]


def test_staff_cannot_invite_a_contact_of_another_secretariat(
    client, cica, kca, smtp, django_capture_on_commit_callbacks
):
    foreign = f.ContactFactory(institute=kca.institute, email="someone@kca.example.org")
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _invite_in_admin(client, foreign)
    page = client.get(reverse("admin:members_contact_change", args=[foreign.pk]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    assert page.status_code == 404
    assert Invitation.objects.count() == 0
    assert callbacks == []
    assert smtp.accepted == []


def test_the_admin_action_shows_why_a_contact_was_not_invited(
    client, contact, cica, smtp, django_capture_on_commit_callbacks
):
    contact.user = f.UserFactory(username="aigerim")
    contact.save()
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_in_admin(client, contact)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Aigerim Nurlanovna already has a login."
    ]
    assert Invitation.objects.count() == 0
    assert smtp.accepted == []


def test_the_contact_page_lists_its_invitations(client, invited, contact, cica):
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_contact_change", args=[contact.pk]))

    assert response.status_code == 200
    assert "Aigerim@KazISS.kz: open (e-mailed " in response.content.decode()
