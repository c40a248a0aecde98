"""How django-allauth fits the portal: there is no public sign-up.

An account is created only through an invitation (members.services.invitation_send): its
link stores the invitation in the session (members.views.invitation_open), which opens the
sign-up form for that one address; signing up consumes the invitation and binds the new
login to the invited contact. Staff cannot remove the TOTP authenticator the admin requires.
"""

from dataclasses import dataclass
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.site import portal_name
from core.urls import absolute_url, canonical_host
from members.models import Invitation
from members.selectors import workspace_contact
from members.services import InvitationRefused, invitation_accept, invitation_refusal

INVITATION_SESSION_KEY = "members_invitation_id"


def invitation_remember(*, request: HttpRequest, invitation: Invitation) -> None:
    """Opens the sign-up form for ``invitation`` in this session; its address counts as
    verified (the invitation was e-mailed to it)."""
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    InvitationAccountAdapter(request).stash_verified_email(request, invitation.email)


def invitation_pending(*, request: HttpRequest | None) -> Invitation | None:
    """The invitation this session may still accept, or None."""
    if request is None or not hasattr(request, "session"):
        return None
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    invitation = (
        Invitation.objects.select_related("contact__institute").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation_refusal(invitation=invitation) is not None:
        return None
    return invitation


def invitation_refused_response(request: HttpRequest, reason: str, *, status: int):
    return render(request, "members/invitation_refused.html", {"reason": reason}, status=status)


def user_display_name(user) -> str:
    """How the portal names a signed-in person (``ACCOUNT_USER_DISPLAY``: allauth's
    messages, the header): the contact's full name, else the login's first and last name,
    else its e-mail address; never the username, an internal key allauth made up."""
    try:
        contact = user.contact
    except ObjectDoesNotExist:
        contact = None
    if contact is not None and contact.full_name:
        return contact.full_name
    return user.get_full_name() or user.email or str(_("(no name)"))


@dataclass(frozen=True)
class PublishedSite:
    """What allauth's templates read of a site."""

    domain: str
    name: str


class InvitationAccountAdapter(DefaultAccountAdapter):
    def get_reset_password_from_key_url(self, key: str) -> str:
        """The password-reset link on SITE_URL, never on the Host the request named (a
        forged Host would otherwise put another site's address in the e-mail)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail greets from ``current_site``, which without the sites framework
        is the request's Host: here it is the portal, by its name and SITE_URL's host."""
        site = PublishedSite(domain=canonical_host(), name=portal_name())
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """After accepting an invitation the new member is signed in: they land where a
        sign-in takes them (their institute's workspace), not on the public home page."""
        if request.user.is_authenticated:
            return self.get_login_redirect_url(request)
        return super().get_signup_redirect_url(request)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After signing in: staff to the admin, a member institute's contact to its
        workspace, anyone else home (an explicit ?next= still wins, as allauth does)."""
        user = request.user
        if user.is_staff:
            return reverse("admin:index")
        if workspace_contact(user=user) is not None:
            return reverse("workspace:dashboard")
        return super().get_login_redirect_url(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Only for a session that holds an invitation that can still be accepted."""
        return invitation_pending(request=request) is not None

    def save_user(self, request, user, form, commit=True):
        """Creates the user only by consuming the session's invitation, in one transaction
        with it (members.services.invitation_accept): a link that was used, revoked or
        expired meanwhile, or another address, creates nothing."""
        invitation_id = request.session.get(INVITATION_SESSION_KEY)
        if invitation_id is None:
            raise ImmediateHttpResponse(
                invitation_refused_response(
                    request, str(_("Accounts are created by invitation only.")), status=403
                )
            )
        create = super().save_user
        try:
            user = invitation_accept(
                invitation_id=invitation_id,
                email=form.cleaned_data["email"],
                create_user=lambda: create(request, user, form, commit=True),
                language=translation.get_language() or "",
            )
        except InvitationRefused as exc:
            request.session.pop(INVITATION_SESSION_KEY, None)
            raise ImmediateHttpResponse(
                invitation_refused_response(request, str(exc), status=410)
            ) from exc
        request.session.pop(INVITATION_SESSION_KEY, None)
        return user


class InvitationSignupForm(SignupForm):
    """allauth's sign-up form, for the invited address only: the address is filled in,
    read-only, and any other one is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation_pending(request=context.request)
        field = self.fields["email"]
        field.widget.attrs["readonly"] = True
        field.help_text = _("The address your invitation was sent to.")
        if self.invitation is not None:
            field.initial = self.invitation.email

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip().lower()
        if self.invitation is None:
            raise forms.ValidationError(
                _("Accounts are created by invitation only."), code="not_invited"
            )
        if value != self.invitation.email.lower():
            raise forms.ValidationError(
                _("Your invitation is for %(email)s; the address cannot be changed."),
                code="not_invited_address",
                params={"email": self.invitation.email},
            )
        return super().clean_email()

    def save(self, request):
        with transaction.atomic():
            return super().save(request)


class StaffMfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their authenticator app while the admin requires one."""
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and authenticator.type == Authenticator.Type.TOTP
            and authenticator.user.is_staff
        ):
            return False
        return super().can_delete_authenticator(authenticator)
