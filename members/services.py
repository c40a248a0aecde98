"""Writes to institutes, contacts and memberships beyond a plain form save."""

import logging
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Model, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import public_copy_on_commit, save_with_file
from core.site import portal_name
from core.slugs import unique_slug
from core.urls import absolute_url
from core.workflow import TransitionNotAllowed, transition
from forums.models import Forum
from mail.models import OutboundMail
from mail.outbox import mail_queue
from members.enums import InstituteKind, MembershipStatus
from members.models import (
    Contact,
    FocalPoint,
    Institute,
    Invitation,
    MemberChange,
    Membership,
    MembershipStatusChange,
    Recommendation,
)
from members.notices import member_notice_queue
from members.rules import NOT_A_MEMBER, admitted_forum_ids, admitted_member_check

logger = logging.getLogger(__name__)


def _user_label(user: User) -> str:
    """A user's name for people to read: the full name, else the e-mail, else the login."""
    return user.get_full_name() or user.email or user.get_username()


def _verbose_name(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a field of the model's own, not a reverse relation
    return str(field.verbose_name)


def institute_public_logo(*, institute: Institute) -> None:
    """After commit, the institute's logo gets its public copy while the institute is
    public (an admitted member of a forum) and loses it otherwise (docs/adr/0010)."""
    public_copy_on_commit(
        Institute,
        pk=institute.pk,
        source="logo",
        copy="public_logo",
        public=lambda row: Membership.objects.filter(
            institute=row, status=MembershipStatus.ADMITTED
        ).exists(),
    )


def membership_save(*, membership: Membership, by: User | None, note: str = "") -> Membership:
    """Saves a membership's own fields (founding member, recommended by, notes). A new one
    must start in one of the workflow's initial statuses (recommended, or admitted) and
    starts its status history, dated by its decision date where there is one, else today.
    An existing one keeps its institute and forum (ValidationError: its decisions and
    history are about that pair) and the status it has (``TransitionNotAllowed``: that is
    ``membership_decide``'s)."""
    with transaction.atomic():
        if membership.pk is None:
            Membership.workflow.check_initial(Membership, membership.status)
            membership.full_clean()
            membership.save()
            _status_step(membership, note=note or membership.decision, by=by)
            institute_public_logo(institute=membership.institute)
            return membership
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if (current.institute_id, current.forum_id) != (
            membership.institute_id,
            membership.forum_id,
        ):
            raise ValidationError(
                _(
                    "A membership stays with its institute and forum: record a new "
                    "membership instead."
                ),
                code="identity",
            )
        if current.status != membership.status:
            Membership.workflow.check(Membership, current.status, membership.status)
            raise TransitionNotAllowed(
                _("A membership's status changes only by a decision (the admin's actions)."),
                code="decide",
            )
        membership.full_clean()
        membership.save()
    return membership


def _status_step(membership: Membership, *, note: str, by: User | None) -> MembershipStatusChange:
    return MembershipStatusChange.objects.create(
        membership=membership,
        status=membership.status,
        changed_on=membership.decided_on or timezone.localdate(),
        note=note,
        created_by=by,
        updated_by=by,
    )


def membership_decide(
    *,
    membership: Membership,
    status: str,
    by: User | None,
    decided_on: date | None = None,
    decision: str = "",
) -> Membership:
    """The secretariat's decision on a membership: moves it to ``status`` as decided on
    ``decided_on`` (today if not given) by ``decision`` (the document or meeting), and
    appends the step to its status history. Raises ``TransitionNotAllowed`` for a move the
    workflow does not allow, having written nothing. Nothing is sent."""
    with transaction.atomic():
        membership = transition(
            membership,
            to=status,
            by=by,
            decided_on=decided_on or timezone.localdate(),
            decision=decision,
        )
        _status_step(membership, note=decision, by=by)
        institute_public_logo(institute=membership.institute)
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


# A second invitation this soon after one is a double click (or two staff at once), not a
# decision: it would revoke the link just e-mailed.
INVITATION_PAUSE = timedelta(minutes=1)


def invitation_send(*, contact: Contact, by: User) -> Invitation:
    """Invites ``contact`` to create their login: records an invitation (revoking any
    earlier open one of the contact) and queues the e-mail with a single-use link that
    expires after ``MEMBER_INVITATION_DAYS`` days; a worker sends it after commit. Only a
    hash of the link's token is kept, and the e-mail's text only until it is sent. Raises
    ``InvitationRefused`` when the contact already has a login, has no e-mail address or is
    inactive, when a login with that address exists, or when an invitation went to the
    contact within ``INVITATION_PAUSE`` (checked under the contact's row lock)."""
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
        if (
            Invitation.objects.filter(contact=contact, created_at__gte=now - INVITATION_PAUSE)
            .open(now=now)
            .exists()
        ):
            raise InvitationRefused(
                _(
                    "An invitation was sent to %(name)s a moment ago; a second one would "
                    "void the link in the first."
                )
                % {"name": contact.full_name}
            )
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
        invitation.mail = _invitation_mail(invitation=invitation, token=token)
        invitation.save(update_fields=["mail"])
    return invitation


def _inviter_label(user: User | None) -> str:
    """ "Name (Secretariat, …)" of who sent an invitation, for the e-mail."""
    if user is None:
        return _("The secretariat")
    name = _user_label(user)
    secretariats = ", ".join(user.secretariats.order_by("name").values_list("name", flat=True))
    return f"{name} ({secretariats})" if secretariats else name


def _invitation_mail(*, invitation: Invitation, token: str) -> OutboundMail:
    """The e-mail with the invitation's link, queued in the outbox of the invitation's
    transaction: a worker sends it once that commits, and the row then forgets its text,
    the only place the token was ever kept in clear. Written in the contact's language."""
    language = invitation.contact.mail_language
    with translation.override(language):
        context = {
            "invitation": invitation,
            "contact": invitation.contact,
            "institute": invitation.contact.institute,
            "inviter": _inviter_label(invitation.created_by),
            "link": absolute_url(reverse("invitations:accept", kwargs={"token": token})),
            "portal_name": portal_name(),
        }
    return mail_queue(
        to=invitation.email,
        template="members/email/invitation",
        context=context,
        language=language,
        erase_body_when_done=True,
    )


def invitation_accept(
    *, invitation_id: int, email: str, create_user: Callable[[], User], language: str = ""
) -> User:
    """Consumes the invitation for a new login: locks the invitation and its contact, checks
    that it can still be accepted for ``email``, calls ``create_user()`` and makes that user
    the contact's login (and so a login of its institute), all in one transaction, so one
    link opens one account at most. Returns the user. Raises ``InvitationRefused``, having
    created nothing, when the invitation was used, revoked or expired meanwhile, when
    ``email`` is not the invited address, or when the contact got a login another way.
    ``language``, the language the member signed up in, becomes the language of the
    contact's e-mails unless one was set."""
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
        if not contact.language and language in dict(settings.LANGUAGES):
            contact.language = language
        contact.updated_by = user
        contact.save()
    return user


# --- The member workspace: an institute's own profile, contacts and focal points --------

PROFILE_FIELDS = ("description", "website", "address", "phone", "email")


def _notify_secretariats(*, institute: Institute, changes: list[str], by: User) -> None:
    if changes:
        member_change_record(institute=institute, changes=changes, by=by)


def institute_profile_update(*, institute: Institute, data: dict[str, Any], by: User) -> Institute:
    """Writes a member's edit of their institute's profile: the fields of
    ``PROFILE_FIELDS``, ``logo`` (an already validated image; False removes it) and
    ``focal_points`` ({forum id: contact or None}, forums where the institute is an admitted
    member, contacts of the institute). ``updated_by`` is set and simple_history keeps the
    old values; after commit the forums' secretariats are e-mailed what changed. Returns the
    institute; nothing is written or sent when nothing changed."""

    with transaction.atomic():
        institute = Institute.objects.select_for_update().get(pk=institute.pk)
        changes: list[str] = []
        for name in PROFILE_FIELDS:
            if name in data and getattr(institute, name) != data[name]:
                setattr(institute, name, data[name])
                changes.append(_verbose_name(Institute, name))
        old_logo = institute.logo.name or ""
        logo = data.get("logo")
        new_logo = None
        if logo is False and institute.logo:
            institute.logo = ""
            changes.append(_("logo removed"))
        elif logo:
            new_logo = logo  # stored by save_with_file, once everything is checked
            changes.append(_("new logo"))
        changes.extend(_focal_points_update(institute=institute, data=data, by=by))
        if changes:
            institute.updated_by = by
            institute.full_clean()
            save_with_file(institute, "logo", new_logo, old_name=old_logo)
            if new_logo is not None or logo is False:
                institute_public_logo(institute=institute)
            _notify_secretariats(institute=institute, changes=changes, by=by)
    return institute


def _focal_points_update(*, institute: Institute, data: dict[str, Any], by: User) -> list[str]:
    """Sets the focal points ``data["focal_points"]`` asks for ({forum id: contact or
    None}), having checked them all first; returns what changed, in their order."""
    focal_points = data.get("focal_points") or {}
    if not focal_points:
        return []
    admitted = admitted_forum_ids(institute)
    for forum_id, contact in focal_points.items():
        if forum_id not in admitted:
            raise ValidationError(NOT_A_MEMBER, code="not_a_member")
        if contact is not None and (contact.institute_id != institute.pk or not contact.is_active):
            raise ValidationError(_("Choose an active contact of your institute."))
    current: dict[int, set[int]] = {}
    for forum_id, contact_id in FocalPoint.objects.filter(
        forum_id__in=focal_points, contact__institute=institute
    ).values_list("forum_id", "contact_id"):
        current.setdefault(forum_id, set()).add(contact_id)
    changed = {
        forum_id: contact
        for forum_id, contact in focal_points.items()
        if current.get(forum_id, set()) != ({contact.pk} if contact is not None else set())
    }
    if not changed:
        return []
    FocalPoint.objects.filter(forum_id__in=changed, contact__institute=institute).delete()
    forums = Forum.objects.in_bulk(list(changed))
    changes: list[str] = []
    for forum_id, contact in changed.items():
        forum = forums[forum_id]
        if contact is not None:
            FocalPoint.objects.create(
                contact=contact,
                forum=forum,
                since=timezone.localdate(),
                created_by=by,
                updated_by=by,
            )
            changes.append(
                _("focal point for %(forum)s: %(name)s")
                % {"forum": forum.name, "name": contact.full_name}
            )
        else:
            changes.append(_("no focal point for %(forum)s") % {"forum": forum.name})
    return changes


CONTACT_FIELDS = (
    "honorific",
    "full_name",
    "position",
    "email",
    "phone",
    "language",
    "is_active",
)


def institute_contact_save(
    *, institute: Institute, contact: Contact | None, data: dict[str, Any], by: User
) -> Contact:
    """Adds a contact to ``institute`` or changes one of its contacts (never another
    institute's); contacts are deactivated, never deleted, so their history stays. A
    deactivated contact stops being a focal point. The secretariats are told after commit."""

    with transaction.atomic():
        if contact is None:
            contact = Contact(institute=institute, created_by=by)
            changes = [_("new contact: %(name)s") % {"name": data.get("full_name", "")}]
        else:
            contact = Contact.objects.select_for_update().get(pk=contact.pk, institute=institute)
            changes = []
        for name in CONTACT_FIELDS:
            if name in data and getattr(contact, name) != data[name]:
                if contact.pk:
                    changes.append(
                        _("%(field)s of %(name)s")
                        % {
                            "field": _verbose_name(Contact, name),
                            "name": contact.full_name,
                        }
                    )
                setattr(contact, name, data[name])
        if not changes:
            return contact
        contact.updated_by = by
        contact.full_clean()
        contact.save()
        if not contact.is_active:
            FocalPoint.objects.filter(contact=contact).delete()
        _notify_secretariats(institute=institute, changes=changes, by=by)
    return contact


def member_change_record(*, institute: Institute, changes: list[str], by: User) -> int:
    """Records what a member changed for the secretariat of each forum the institute is an
    admitted member of (a ``MemberChange`` row each, listed in the admin until marked seen)
    and queues a short notice to those secretariats that have an address: kept in the
    caller's transaction, sent after commit and retried while the SMTP server is
    unavailable (``mail.outbox.mail_queue``). Returns how many e-mails were queued."""

    forums = list(
        Forum.objects.filter(
            memberships__institute=institute,
            memberships__status=MembershipStatus.ADMITTED,
        )
        .select_related("secretariat")
        .distinct()
    )
    summary = "\n".join(changes)
    MemberChange.objects.bulk_create(
        MemberChange(forum=forum, institute=institute, summary=summary, changed_by=by)
        for forum in forums
    )
    addresses = sorted({forum.secretariat.email for forum in forums if forum.secretariat.email})
    context = {
        "institute": institute,
        "changes": changes,
        "by": _user_label(by),
        "link": absolute_url(reverse("admin:members_institute_change", args=[institute.pk])),
    }
    for address in addresses:
        mail_queue(to=address, template="members/email/profile_changed", context=context)
    return len(addresses)


def member_changes_mark_seen(*, changes: QuerySet[MemberChange], by: User) -> int:
    """Marks the member changes of ``changes`` not yet seen as seen by ``by`` now (one
    conditional update: a change another staff member marked meanwhile keeps who saw it
    first). Returns how many were marked."""
    return changes.filter(seen_at__isnull=True).update(seen_at=timezone.now(), seen_by=by)


# --- Recommendations of new members -----------------------------------------------------

RECOMMENDATION_FIELDS = (
    "forum",
    "name",
    "country",
    "website",
    "contact_name",
    "contact_email",
    "reasons",
)


class RecommendationDecided(TransitionNotAllowed):
    """The recommendation was already admitted or declined."""


def _check_pending(recommendation: Recommendation, target: str) -> None:
    try:
        Recommendation.workflow.check(Recommendation, recommendation.status, target)
    except TransitionNotAllowed as exc:
        raise RecommendationDecided(exc.message, code="decided") from exc


def recommendation_submit(
    *, institute: Institute, data: dict[str, Any], by: User
) -> Recommendation:
    """Records ``institute``'s recommendation of a new institution (``RECOMMENDATION_FIELDS``
    of ``data``) for a forum; refuses (ValidationError) a forum the institute is not an
    admitted member of. Nothing is sent."""
    admitted_member_check(institute, data["forum"], field="forum")
    recommendation = Recommendation(
        recommended_by=institute,
        created_by=by,
        updated_by=by,
        **{name: data[name] for name in RECOMMENDATION_FIELDS if name in data},
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def recommendation_admit(*, recommendation: Recommendation, by: User) -> Recommendation:
    """Admits a pending recommendation in one transaction: creates the Institute (a unique
    slug from its name), its Contact from the recommendation's contact, and an admitted
    Membership of the forum decided today with ``recommended_by`` set (``membership_save``,
    so the status history starts); marks the recommendation admitted and links the
    institute. An invitation to the contact is left to the secretariat (``invitation_send``).
    The member who recommended it is told (``member_notice_queue``). Raises
    RecommendationDecided when it was already decided."""
    with transaction.atomic():
        recommendation = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("forum", "recommended_by")
            .get(pk=recommendation.pk)
        )
        _check_pending(recommendation, Recommendation.ADMITTED)
        today = timezone.localdate()
        institute = Institute(
            name=recommendation.name,
            slug=unique_slug(Institute, recommendation.name, max_length=100, fallback="institute"),
            country=recommendation.country,
            kind=InstituteKind.OTHER,
            website=recommendation.website,
            created_by=by,
            updated_by=by,
        )
        institute.full_clean()
        institute.save()
        contact = Contact(
            institute=institute,
            full_name=recommendation.contact_name,
            email=recommendation.contact_email,
            created_by=by,
            updated_by=by,
        )
        contact.full_clean()
        contact.save()
        membership_save(
            membership=Membership(
                institute=institute,
                forum=recommendation.forum,
                status=MembershipStatus.ADMITTED,
                decided_on=today,
                recommended_by=recommendation.recommended_by,
                created_by=by,
                updated_by=by,
            ),
            by=by,
            note=_("Admitted on the recommendation of %(name)s")
            % {"name": recommendation.recommended_by.name},
        )
        recommendation.status = Recommendation.ADMITTED
        recommendation.decided_on = today
        recommendation.institute = institute
        recommendation.updated_by = by
        recommendation.save()
        _recommendation_decided_notice(recommendation)
    return recommendation


def recommendation_decline(
    *, recommendation: Recommendation, by: User, note: str = ""
) -> Recommendation:
    """Declines a pending recommendation today with an optional note; nothing is created;
    the member who recommended it is told. Raises RecommendationDecided when it was
    already decided."""
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        _check_pending(recommendation, Recommendation.DECLINED)
        recommendation.status = Recommendation.DECLINED
        recommendation.decided_on = timezone.localdate()
        recommendation.decision_note = note
        recommendation.updated_by = by
        recommendation.full_clean()
        recommendation.save()
        _recommendation_decided_notice(recommendation)
    return recommendation


def _recommendation_decided_notice(recommendation: Recommendation) -> None:
    """Tells the member who made the recommendation what was decided, in their language."""
    member_notice_queue(
        user=recommendation.created_by,
        template="members/email/recommendation_decided",
        context={
            "recommendation": recommendation,
            "admitted": recommendation.status == Recommendation.ADMITTED,
            "forum": recommendation.forum,
            "link": absolute_url(reverse("workspace:recommend")),
        },
    )
