"""Logins (django-allauth): by e-mail address only, with e-mail verification, password
reset, allauth's login rate limit, two-factor authentication required for the secretariat
admin, and account pages in the site's layout without inline code."""

import re

import cssselect2
import pytest
import tinyhtml5
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import DeactivateTOTPForm
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.messages import get_messages

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."


@pytest.fixture
def member(db):
    user = f.UserFactory(username="aigerim", email="aigerim@kaziss.kz")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def staff(cica):
    EmailAddress.objects.create(
        user=cica.staff, email=cica.staff.email, verified=True, primary=True
    )
    return cica.staff


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def _page(response):
    return cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(response.content.decode()))


def _errors(response) -> list[str]:
    return [
        " ".join((e.etree_element.text or "").split())
        for e in _page(response).query_all(".errorlist li")
    ]


def _login(client, login, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra})


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_member_logs_in_with_their_email_address(client, member):
    response = _login(client, "AIGERIM@kaziss.kz")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_signing_in_names_a_login_without_a_contact_by_its_address_never_its_username(
    client, member
):
    response = _login(client, "aigerim@kaziss.kz")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Successfully signed in as aigerim@kaziss.kz."
    ]


def test_signing_in_names_a_login_by_its_first_and_last_name(client, member):
    member.first_name, member.last_name = "Aigerim", "Sadykova"
    member.save()

    response = _login(client, "aigerim@kaziss.kz")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Successfully signed in as Aigerim Sadykova."
    ]


def test_a_username_does_not_log_in(client, member):
    response = _login(client, "aigerim")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _errors(response) == ["Enter a valid email address."]


def test_a_wrong_password_does_not_log_in(client, member):
    response = _login(client, "aigerim@kaziss.kz", password="not the password")

    assert response.status_code == 200
    assert _errors(response) == [WRONG_CREDENTIALS]
    assert "_auth_user_id" not in client.session


def test_an_unverified_address_gets_a_verification_email_instead_of_a_session(client, smtp, db):
    user = f.UserFactory(username="unverified", email="new@kaziss.kz")

    response = _login(client, "new@kaziss.kz")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert [(m.recipient, m.subject) for m in smtp.accepted] == [
        ("new@kaziss.kz", "[Think Tank Forums] Please Confirm Your Email Address")
    ]
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("new@kaziss.kz", False)
    ]


def test_the_login_rate_limit_refuses_after_five_failed_attempts(client, member):
    """allauth's default "login_failed" limit: 5 failures per address in 5 minutes; then
    even the right password is refused."""
    failures = [
        _errors(_login(client, "aigerim@kaziss.kz", password=f"wrong {n}")) for n in range(5)
    ]
    refused = _login(client, "aigerim@kaziss.kz")

    assert failures == [[WRONG_CREDENTIALS]] * 5
    assert refused.status_code == 200
    assert _errors(refused) == ["Too many failed login attempts. Try again later."]
    assert "_auth_user_id" not in client.session


def test_the_rate_limit_counts_per_address(client, member):
    for n in range(5):
        _login(client, "someone-else@kaziss.kz", password=f"wrong {n}")

    response = _login(client, "aigerim@kaziss.kz")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_password_reset_email_goes_out_with_a_working_link(client, member, smtp):
    response = client.post("/accounts/password/reset/", {"email": "aigerim@kaziss.kz"})

    assert response.status_code == 302
    [mail] = smtp.accepted
    assert (mail.recipient, mail.subject) == (
        "aigerim@kaziss.kz",
        "[Think Tank Forums] Password Reset Email",
    )
    # On SITE_URL (http://testserver in the tests), not on the request's host.
    [link] = re.findall(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.body)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0]
    done = client.post(
        action, {"password1": "a brand new passphrase 93", "password2": "a brand new passphrase 93"}
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a brand new passphrase 93")


def test_password_reset_for_an_unknown_address_sends_nothing(client, smtp, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@kaziss.kz"})

    assert response.status_code == 302
    assert smtp.accepted == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/members/contact/", "/ru/admin/"])
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(
    client, staff, mfa_required, path
):
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == (
        "/ru/accounts/2fa/totp/activate/"
        if path.startswith("/ru/")
        else "/accounts/2fa/totp/activate/"
    )


def test_staff_with_an_authenticator_app_reach_the_admin(client, staff, mfa_required):
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_the_requirement_can_be_switched_off(client, staff, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_the_account_pages_stay_open_to_staff_without_an_authenticator(client, staff, mfa_required):
    client.force_login(staff)

    assert [
        client.get(path).status_code
        for path in ("/accounts/email/", "/accounts/2fa/", "/accounts/logout/")
    ] == [200, 200, 200]


def test_members_are_not_asked_for_an_authenticator(client, member, mfa_required):
    client.force_login(member)

    assert client.get("/accounts/email/").status_code == 200


def test_staff_sign_in_to_the_admin_through_allauth_with_their_second_factor(
    client, staff, mfa_required
):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    to_login = client.get("/admin/")
    to_allauth = client.get(to_login["Location"])
    password_step = _login(client, staff.email, next="/admin/")
    code_step = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    admin = client.get("/admin/")

    assert to_login["Location"] == "/admin/login/?next=/admin/"
    assert to_allauth["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    assert code_step["Location"] == "/admin/"
    assert admin.status_code == 200
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_password_alone_does_not_sign_staff_with_an_authenticator_in(client, staff):
    TOTP.activate(staff, generate_totp_secret())

    password_step = _login(client, staff.email, next="/admin/")
    wrong_code = client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    assert wrong_code.status_code == 200
    assert _errors(wrong_code) == ["Incorrect code."]
    assert "_auth_user_id" not in client.session


def test_the_admin_login_form_is_never_shown_to_a_member(client, member):
    client.force_login(member)

    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_admin_login_form_never_signs_anybody_in(client, staff, method):
    response = getattr(client, method)(
        "/admin/login/", {"username": "cica-staff", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fadmin%2Flogin%2F")
    assert "_auth_user_id" not in client.session


def test_signed_in_staff_cannot_post_to_the_admin_login_form(client, staff):
    f.StaffUserFactory(username="other-staff")
    client.force_login(staff)

    response = client.post("/admin/login/", {"username": "other-staff", "password": PASSWORD})

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_staff_cannot_remove_the_authenticator_the_admin_requires(staff, mfa_required):
    authenticator = TOTP.activate(staff, generate_totp_secret()).instance

    form = DeactivateTOTPForm(data={}, authenticator=authenticator)

    assert form.is_valid() is False
    assert form.non_field_errors() == ["You cannot deactivate two-factor authentication."]
    assert Authenticator.objects.filter(user=staff).count() == 1


def test_members_may_remove_their_authenticator(member, mfa_required):
    authenticator = TOTP.activate(member, generate_totp_secret()).instance

    assert DeactivateTOTPForm(data={}, authenticator=authenticator).is_valid() is True


def _signed_in_staff(client, staff):
    """Staff signed in through allauth who have just confirmed their password again, as
    allauth asks before two-factor settings change."""
    _login(client, staff.email)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/accounts/login/", "Sign In"),
        ("/accounts/signup/", "Sign Up Closed"),
        ("/accounts/password/reset/", "Password Reset"),
        ("/accounts/email/", "Email Addresses"),
        ("/accounts/password/change/", "Change Password"),
        ("/accounts/2fa/", "Two-Factor Authentication"),
        ("/accounts/2fa/totp/activate/", "Activate Authenticator App"),
        ("/accounts/logout/", "Sign Out"),
    ],
)
def test_account_pages_use_the_site_layout_without_inline_code(client, staff, path, title):
    if path not in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        _signed_in_staff(client, staff)

    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    page = _page(response)
    assert page.query("title").etree_element.text.split() == [
        *title.split(),
        "—",
        "Think",
        "Tank",
        "Forums",
    ]
    assert [e.etree_element.get("href") for e in page.query_all("link[rel=stylesheet]")] == [
        "/static/css/site.css",
        "/static/css/accounts.css",
    ]
    assert page.query("header.site-header") is not None
    assert page.query("footer.site-footer") is not None
    assert INLINE_SCRIPT.findall(html) == []
    assert " style=" not in html
    assert "<style" not in html


def test_the_authenticator_page_shows_its_qr_code_as_an_image(client, staff):
    _signed_in_staff(client, staff)

    page = _page(client.get("/accounts/2fa/totp/activate/"))

    qr = page.query("img.totp-qr").etree_element
    assert qr.get("src").startswith("data:image/svg+xml;base64,")


def test_staff_set_up_their_authenticator_app_and_then_reach_the_admin(client, staff, mfa_required):
    _login(client, staff.email)

    to_setup = client.get("/admin/")
    to_password = client.get(to_setup["Location"])
    confirmed = client.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": to_setup["Location"]}
    )
    setup = client.get(confirmed["Location"])
    secret = client.session["mfa.totp.secret"]
    activated = client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    admin = client.get("/admin/")

    assert to_setup["Location"] == "/accounts/2fa/totp/activate/"
    assert to_password["Location"] == (
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    assert confirmed["Location"] == "/accounts/2fa/totp/activate/"
    assert setup.status_code == 200
    assert activated["Location"] == "/accounts/2fa/recovery-codes/"
    assert list(
        Authenticator.objects.filter(user=staff).order_by("type").values_list("type", flat=True)
    ) == ["recovery_codes", "totp"]
    assert admin.status_code == 200


def test_a_forged_host_never_reaches_the_password_reset_link(client, member, smtp, settings):
    settings.SITE_URL = "https://forums.example.org"

    client.post(
        "/accounts/password/reset/", {"email": "aigerim@kaziss.kz"}, headers={"host": "localhost"}
    )

    [mail] = smtp.accepted
    assert re.findall(r"\S+/accounts/password/reset/key/", mail.body) == [
        "https://forums.example.org/accounts/password/reset/key/"
    ]
    assert "localhost" not in mail.body
