"""Writes to institutes, contacts and memberships beyond a plain form save."""

import logging
import secrets
import smtplib
from collections.abc import Callable
from datetime import timedelta
from email.utils import make_msgid
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Contact, Invitation, Membership, MembershipStatusChange

logger = logging.getLogger(__name__)


def membership_save(*, membership: Membership, by, note: str = "") -> Membership:
    """Saves a membership and, when it is new or its status changed, appends a step to its
    status history (dated by the decision date where there is one, else today)."""
    with transaction.atomic():
        previous = None
        if membership.pk:
            previous = (
                Membership.objects.select_for_update()
                .filter(pk=membership.pk)
                .values_list("status", flat=True)
                .first()
            )
        membership.full_clean()
        membership.save()
        if previous != membership.status:
            MembershipStatusChange.objects.create(
                membership=membership,
                status=membership.status,
                changed_on=membership.decided_on or timezone.localdate(),
                note=note or membership.decision,
                created_by=by,
                updated_by=by,
            )
    return membership


class InvitationRefused(Exception):
    """An invitation cannot be sent or accepted; the message says why, for the user."""


def _refusal(invitation: Invitation) -> str | None:
    return {
        Invitation.ACCEPTED: _("This invitation has already been used."),
        Invitation.REVOKED: _("This invitation has been withdrawn by the secretariat."),
        Invitation.EXPIRED: _("This invitation has expired."),
    }.get(invitation.state)


def invitation_refusal(*, invitation: Invitation) -> str | None:
    """Why ``invitation`` can no longer be accepted, or None while it can."""
    reason = _refusal(invitation)
    if reason is None and invitation.contact.user_id is not None:
        reason = _("%(name)s already has a login.") % {"name": invitation.contact.full_name}
    return reason


def invitation_send(*, contact: Contact, by) -> Invitation:
    """Invites ``contact`` to create their login: records an invitation (revoking any
    earlier open one of the contact) and, after commit, e-mails the contact a single-use
    link that expires after ``MEMBER_INVITATION_DAYS`` days. Only a hash of the link's
    token is stored. Raises ``InvitationRefused`` when the contact already has a login, has
    no e-mail address or is inactive, or when a login with that address exists."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.user_id is not None:
            raise InvitationRefused(
                _("%(name)s already has a login.") % {"name": contact.full_name}
            )
        if not contact.email:
            raise InvitationRefused(
                _("%(name)s has no e-mail address to send an invitation to.")
                % {"name": contact.full_name}
            )
        if not contact.is_active:
            raise InvitationRefused(_("%(name)s is not active.") % {"name": contact.full_name})
        if (
            get_user_model().objects.filter(email__iexact=contact.email).exists()
            or EmailAddress.objects.filter(email__iexact=contact.email).exists()
        ):
            raise InvitationRefused(
                _("A login with the address %(email)s already exists.") % {"email": contact.email}
            )
        now = timezone.now()
        Invitation.objects.filter(contact=contact).open(now=now).update(
            revoked_at=now, updated_at=now, updated_by=by
        )
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            contact=contact,
            email=contact.email,
            token_hash=Invitation.hash_token(token),
            expires_at=now + timedelta(days=settings.MEMBER_INVITATION_DAYS),
            created_by=by,
            updated_by=by,
        )
        invitation.full_clean()
        invitation.save()
        transaction.on_commit(
            partial(invitation_mail_send, invitation_id=invitation.pk, token=token)
        )
    return invitation


def _inviter_label(user) -> str:
    """ "Name (Secretariat, …)" of who sent an invitation, for the e-mail."""
    if user is None:
        return _("The secretariat")
    name = user.get_full_name() or user.email or user.get_username()
    secretariats = ", ".join(user.secretariats.order_by("name").values_list("name", flat=True))
    return f"{name} ({secretariats})" if secretariats else name


def invitation_mail_send(*, invitation_id: int, token: str) -> bool:
    """E-mails the invitation's link and records on the row when it went out, or the
    error. The token exists nowhere else, so a failed invitation is not retried: the
    secretariat sees the error in the admin and sends a new one."""
    invitation = Invitation.objects.select_related("contact__institute", "created_by").get(
        pk=invitation_id
    )
    inviter = invitation.created_by
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "contact": invitation.contact,
            "institute": invitation.contact.institute,
            "inviter": _inviter_label(inviter),
            "link": settings.SITE_URL.rstrip("/")
            + reverse("invitations:accept", kwargs={"token": token}),
            "portal_name": settings.PORTAL_NAME or _("Think Tank Forums"),
        }
        subject = " ".join(
            render_to_string("members/email/invitation_subject.txt", context).split()
        )
        body = render_to_string("members/email/invitation_body.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        headers={"Message-ID": make_msgid(domain=settings.MESSAGE_ID_DOMAIN)},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        Invitation.objects.filter(pk=invitation_id).update(send_error=error)
        logger.warning("invitation %s to %s not sent: %s", invitation_id, invitation.email, error)
        return False
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now(), send_error="")
    return True


def invitation_accept(*, invitation_id: int, email: str, create_user: Callable[[], Any]):
    """Consumes the invitation for a new login: locks the invitation and its contact, checks
    that it can still be accepted for ``email``, calls ``create_user()`` and makes that user
    the contact's login (and so a login of its institute), all in one transaction, so one
    link opens one account at most. Returns the user. Raises ``InvitationRefused``, having
    created nothing, when the invitation was used, revoked or expired meanwhile, when
    ``email`` is not the invited address, or when the contact got a login another way."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None:
            raise InvitationRefused(_("This invitation link is not valid."))
        invitation.contact = Contact.objects.select_for_update().get(pk=invitation.contact_id)
        reason = invitation_refusal(invitation=invitation)
        if reason is not None:
            raise InvitationRefused(reason)
        if email.strip().lower() != invitation.email.lower():
            raise InvitationRefused(
                _("This invitation is for %(email)s.") % {"email": invitation.email}
            )
        user = create_user()
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.updated_by = user
        invitation.save(update_fields=["accepted_at", "accepted_user", "updated_by", "updated_at"])
        contact = invitation.contact
        contact.user = user
        contact.updated_by = user
        contact.save()
    return user
