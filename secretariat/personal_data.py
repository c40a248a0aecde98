"""Personal data of one contact: everything the portal holds about the person (an export),
what erasing it would do (a plan), and the erasure itself (docs/adr/0032).

A contact is anonymised, never deleted: the rows that record the forums' work (what was
circulated to whom and when, who answered, who changed what) keep their place and lose
the person. What is part of a public or adopted record is kept as it was published: a
meeting's speakers, a publication's authors, the institutions that took part in a joint
statement. The rule, with its reasons, is ``contact_erasure_plan``'s ``kept`` list and the
README's "Personal data"."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import CharField, Q, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.enums import StatementStatus
from actionplans.models import MeetingSpeaker, Signatory
from mail.enums import MailStatus
from mail.models import OutboundMail, OutboundMailAttempt
from members.models import (
    Contact,
    ContactErasure,
    FocalPoint,
    Invitation,
    MemberChange,
    Recommendation,
)
from publications.models import Publication
from secretariat.models import Answer, Delivery, DeliveryAttempt

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

EXPORT_FORMAT = "ttf-portal/contact-personal-data"
# What replaces the person in text and in the rows that stay: no name, no address.
ERASED_TEXT = "[erased]"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never delivered anywhere
CHANGE_REASON = "personal data erased"
UNSENT = (MailStatus.QUEUED, MailStatus.FAILED)
KEPT_STATEMENTS = (StatementStatus.ADOPTED, StatementStatus.PUBLISHED)


def erased_name(contact: Contact) -> str:
    return f"Erased contact {contact.pk}"


def erased_address(kind: str, pk: int) -> str:
    """A unique address that names nobody (rows with a unique or required address)."""
    return f"erased-{kind}-{pk}@{ERASED_DOMAIN}"


def _erased_address_expression(kind: str) -> Concat:
    """``erased_address`` computed by the database for each row of one UPDATE."""
    return Concat(
        Value(f"erased-{kind}-"),
        Cast("pk", CharField()),
        Value(f"@{ERASED_DOMAIN}"),
        output_field=CharField(),
    )


# --- export ------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, datetime | date | Decimal):
        return DjangoJSONEncoder().default(value)
    return str(value)  # a Country, a lazy string


def _row(obj: models.Model) -> dict[str, Any]:
    """Every stored field of ``obj`` (foreign keys as ids), JSON-ready."""
    return {f.attname: _value(f.value_from_object(obj)) for f in obj._meta.concrete_fields}


def _history(model: type[models.Model], ids) -> list[dict[str, Any]]:
    history = model.history  # type: ignore[attr-defined]
    return [
        _row(r) for r in history.filter(id__in=list(ids)).order_by("history_date", "history_id")
    ]


def _needles(contact: Contact) -> list[str]:
    """The strings that name the person in free text: the name (also as "Family, Given"),
    the addresses of the contact and of its login. Shorter than 3 characters: none."""
    names = [contact.full_name.strip()]
    parts = names[0].split()
    if len(parts) > 1:
        names.append(f"{parts[-1]}, {' '.join(parts[:-1])}")
    addresses = [contact.email, contact.user.email if contact.user is not None else ""]
    return [s for s in dict.fromkeys([*names, *addresses]) if len(s.strip()) >= 3]


def _mentions(fields: list[str], needles: list[str]) -> Q:
    condition = Q(pk__in=[])
    for needle in needles:
        for name in fields:
            condition |= Q(**{f"{name}__icontains": needle})
    return condition


def _addresses(contact: Contact) -> list[str]:
    return [
        a
        for a in {
            contact.email.lower(),
            (contact.user.email if contact.user is not None else "").lower(),
        }
        if a
    ]


def _address_q(name: str, addresses: list[str]) -> Q:
    condition = Q(pk__in=[])
    for address in addresses:
        condition |= Q(**{f"{name}__iexact": address})
    return condition


def _public_records(contact: Contact) -> dict[str, Any]:
    needles = [n for n in _needles(contact) if "@" not in n]
    speakers = MeetingSpeaker.objects.filter(name__iexact=contact.full_name).select_related(
        "meeting"
    )
    publications = Publication.objects.filter(_mentions(["authors"], needles)).order_by("pk")
    signatures = Signatory.objects.filter(
        institute_id=contact.institute_id, statement__status__in=KEPT_STATEMENTS
    ).select_related("statement")
    return {"speakers": speakers, "publications": publications, "signatures": signatures}


def contact_export(*, contact: Contact, by: "User") -> dict[str, Any]:
    """Everything the portal holds about ``contact``, JSON-ready: the contact and every
    version of it in its history; its focal-point roles and their history; its invitations;
    what was circulated to it, with its answers and their history; the e-mails sent to its
    addresses; member changes, notices and recommendations naming it; its login (without
    the password or two-factor secrets); and the public records naming it, which an
    erasure keeps. Reads only."""
    contact = Contact.objects.select_related("institute", "user").get(pk=contact.pk)
    needles, addresses = _needles(contact), _addresses(contact)
    focal_points = list(FocalPoint.objects.filter(contact=contact).select_related("forum"))
    deliveries = list(
        Delivery.objects.filter(Q(contact=contact) | _address_q("email", addresses))
        .select_related("circulation__paper__forum", "answer")
        .order_by("pk")
    )
    answers = [d.answer for d in deliveries if hasattr(d, "answer")]
    answer_history: dict[int, list[dict[str, Any]]] = {}
    for record in _history(Answer, [a.pk for a in answers]):
        answer_history.setdefault(record["id"], []).append(record)
    mails = OutboundMail.objects.filter(
        _address_q("to", addresses) | _mentions(["subject", "body"], needles)
    ).order_by("pk")
    changes = MemberChange.objects.filter(_mentions(["summary"], needles)).order_by("pk")
    recommendations = Recommendation.objects.filter(
        _address_q("contact_email", addresses) | _mentions(["contact_name"], needles)
    ).order_by("pk")
    public = _public_records(contact)
    user = contact.user
    erasure = ContactErasure.objects.filter(contact=contact).first()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _value(timezone.now()),
        "exported_by": by.get_username(),
        "contact": _row(contact),
        "institute": {"id": contact.institute_id, "name": contact.institute.name},
        "contact_history": _history(Contact, [contact.pk]),
        "focal_points": [{**_row(p), "forum": p.forum.name} for p in focal_points],
        "focal_point_history": _history(FocalPoint, [p.pk for p in focal_points])
        + [
            _row(r)
            for r in FocalPoint.history.filter(contact_id=contact.pk)
            .exclude(id__in=[p.pk for p in focal_points])
            .order_by("history_date", "history_id")
        ],
        "invitations": [_row(i) for i in Invitation.objects.filter(contact=contact).order_by("pk")],
        "deliveries": [
            {
                **_row(d),
                "circulation": d.circulation.subject,
                "forum": d.circulation.paper.forum.name,
                "answer": _row(d.answer) if hasattr(d, "answer") else None,
                "answer_history": answer_history.get(d.answer.pk, [])
                if hasattr(d, "answer")
                else [],
            }
            for d in deliveries
        ],
        # An invitation's text holds its one-time link until sent: never in a file.
        "mails": [{**_row(m), "body": "" if m.erase_body_when_done else m.body} for m in mails],
        "member_changes": [_row(c) for c in changes],
        "recommendations": [_row(r) for r in recommendations],
        "login": None
        if user is None
        else {
            **{
                name: _value(getattr(user, name))
                for name in (
                    "id",
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "is_active",
                    "is_staff",
                    "date_joined",
                    "last_login",
                )
            },
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "two_factor": sorted(
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
            "publications_submitted": [
                {"id": p.pk, "title": p.title}
                for p in Publication.objects.filter(submitted_by=user).order_by("pk")
            ],
        },
        "public_records": {
            "meeting_speakers": [
                {**_row(s), "meeting": s.meeting.title} for s in public["speakers"]
            ],
            "publications_authored": [
                {"id": p.pk, "title": p.title, "authors": p.authors} for p in public["publications"]
            ],
        },
        "erasure": None
        if erasure is None
        else {
            "erased_at": _value(erasure.erased_at),
            "reason": erasure.reason,
            "counts": erasure.counts,
        },
    }


# --- plan ----------------------------------------------------------------------------------


@dataclass
class PlanLine:
    what: "StrOrPromise"
    count: int


@dataclass
class ErasurePlan:
    """What ``contact_erase`` would do: rows deleted, rows anonymised (kept without the
    person), and rows kept as they are, each with why."""

    erased: list[PlanLine] = field(default_factory=list)
    anonymised: list[PlanLine] = field(default_factory=list)
    kept: list[PlanLine] = field(default_factory=list)
    refusal: "StrOrPromise | None" = None


SENDING_NOW = _(
    "An e-mail to this person is being sent right now; try again in a minute, once it has "
    "gone out or failed."
)
ALREADY_ERASED = _("This contact's personal data has already been erased.")

# What each line of the plan says: erased, anonymised, kept (the rule, with its reasons).
PLAN_TEXT = {
    "history": _("earlier versions of the contact in its change history"),
    "focal_points": _("focal-point roles (an erased person is nobody's focal point)"),
    "unsent": _("documents and e-mails to the person not sent yet (taken out of the queue)"),
    "contact": _(
        "the contact: a placeholder name; honorific, position, e-mail, phone and language "
        "emptied; deactivated"
    ),
    "invitations": _("invitations to log in: address removed, open ones revoked"),
    "deliveries": _(
        "documents circulated to the person: name and address removed (what went out, and "
        "when, stays)"
    ),
    "answers": _("answers to them, with their history: the person's name and address removed"),
    "mails_to": _("e-mails sent to the person: address and text removed"),
    "naming": _(
        "notices, member changes and recommendations naming the person: name and address replaced"
    ),
    "login": _(
        "the login: deactivated, names and address removed, password unusable, two-factor "
        "keys deleted"
    ),
    "speakers": _(
        "speakers of meetings named as the person: the meeting's public record, as its "
        "source gives it"
    ),
    "publications": _(
        "publications listing the person among their authors: the catalogue's bibliographic record"
    ),
    "signatures": _(
        "the institute's place among the participants of adopted or published joint "
        "statements: the adopted text as signed (institutions, not persons)"
    ),
    "changes_made": _("changes made under the person's login: attributed to the anonymised login"),
    "erasure": _("the record of this erasure: who, when, why and how many rows; no personal data"),
}


def _targets(contact: Contact) -> dict[str, Any]:
    needles, addresses = _needles(contact), _addresses(contact)
    deliveries = Delivery.objects.filter(Q(contact=contact) | _address_q("email", addresses))
    mails_to = OutboundMail.objects.filter(_address_q("to", addresses))
    return {
        "needles": needles,
        "history": Contact.history.filter(id=contact.pk),
        "focal_points": FocalPoint.objects.filter(contact=contact),
        "invitations": Invitation.objects.filter(contact=contact),
        "unsent_deliveries": deliveries.filter(status__in=UNSENT, answer__isnull=True),
        "deliveries": deliveries.exclude(status__in=UNSENT, answer__isnull=True),
        "answers": Answer.objects.filter(delivery__in=deliveries),
        "unsent_mails": mails_to.filter(status__in=UNSENT),
        "mails_to": mails_to.exclude(status__in=UNSENT),
        "mails_naming": OutboundMail.objects.exclude(_address_q("to", addresses)).filter(
            _mentions(["subject", "body"], needles)
        ),
        "member_changes": MemberChange.objects.filter(_mentions(["summary"], needles)),
        "recommendations": Recommendation.objects.filter(
            _address_q("contact_email", addresses) | _mentions(["contact_name"], needles)
        ),
        "sending": deliveries.filter(status=MailStatus.SENDING).exists()
        or mails_to.filter(status=MailStatus.SENDING).exists(),
    }


def contact_erasure_plan(*, contact: Contact) -> ErasurePlan:
    """What erasing ``contact`` would erase, anonymise and keep (and why), counted now;
    ``refusal`` says why it cannot be done at the moment, if it cannot. Reads only."""
    plan = ErasurePlan()
    if ContactErasure.objects.filter(contact=contact).exists():
        plan.refusal = ALREADY_ERASED
        return plan
    t = _targets(contact)
    if t["sending"]:
        plan.refusal = SENDING_NOW
    public = _public_records(contact)
    plan.erased = [
        PlanLine(PLAN_TEXT["history"], t["history"].count()),
        PlanLine(PLAN_TEXT["focal_points"], t["focal_points"].count()),
        PlanLine(PLAN_TEXT["unsent"], t["unsent_deliveries"].count() + t["unsent_mails"].count()),
    ]
    plan.anonymised = [
        PlanLine(PLAN_TEXT["contact"], 1),
        PlanLine(PLAN_TEXT["invitations"], t["invitations"].count()),
        PlanLine(PLAN_TEXT["deliveries"], t["deliveries"].count()),
        PlanLine(PLAN_TEXT["answers"], t["answers"].count()),
        PlanLine(PLAN_TEXT["mails_to"], t["mails_to"].count()),
        PlanLine(
            PLAN_TEXT["naming"],
            t["mails_naming"].count() + t["member_changes"].count() + t["recommendations"].count(),
        ),
        PlanLine(PLAN_TEXT["login"], 1 if contact.user_id else 0),
    ]
    plan.kept = [
        PlanLine(PLAN_TEXT["speakers"], public["speakers"].count()),
        PlanLine(PLAN_TEXT["publications"], public["publications"].count()),
        PlanLine(PLAN_TEXT["signatures"], public["signatures"].count()),
        PlanLine(PLAN_TEXT["changes_made"], 1 if contact.user_id else 0),
        PlanLine(PLAN_TEXT["erasure"], 1),
    ]
    return plan


# --- erasure -------------------------------------------------------------------------------


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def _scrub_rows(queryset, fields: list[str], needles: list[str]) -> int:
    """Replaces ``needles`` in ``fields`` of every row of ``queryset`` (history records
    included, which are plain rows); returns how many rows changed."""
    changed = 0
    for row in queryset.only("pk", *fields):
        values = {name: _scrub(getattr(row, name), needles) for name in fields}
        if any(values[name] != getattr(row, name) for name in fields):
            type(row)._default_manager.filter(pk=row.pk).update(**values)
            changed += 1
    return changed


def contact_erase(*, contact: Contact, by: "User", reason: str) -> ContactErasure:
    """Erases ``contact``'s personal data in one transaction, as ``contact_erasure_plan``
    lists it: the contact is anonymised and deactivated and its earlier versions deleted
    from its history; its focal-point roles and the e-mails to it not sent yet are
    deleted; what was sent to it, its answers, invitations, notices and recommendations
    naming it, and the history of these, lose its name and addresses; its login is
    deactivated and anonymised. Records a ``ContactErasure`` (no personal data) and
    returns it. Refused (ValidationError) with no reason, when already erased, or while an
    e-mail to the person is being sent. Sends nothing."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data is erased.")}, code="required")
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=contact.pk)
        )
        if ContactErasure.objects.filter(contact=contact).exists():
            raise ValidationError(ALREADY_ERASED, code="already_erased")
        t = _targets(contact)
        if t["sending"]:
            raise ValidationError(SENDING_NOW, code="sending")
        needles = t["needles"]
        counts: dict[str, int] = {}
        counts["focal_points_deleted"] = len(t["focal_points"])
        for focal_point in t["focal_points"]:
            focal_point._history_user = by
            focal_point.delete()
        counts["deliveries_deleted"] = (
            t["unsent_deliveries"].delete()[1].get(Delivery._meta.label, 0)
        )
        counts["mails_deleted"] = t["unsent_mails"].delete()[1].get(OutboundMail._meta.label, 0)

        deliveries = list(t["deliveries"].values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=deliveries).update(
            name=ERASED_TEXT, email=_erased_address_expression("delivery")
        )
        _scrub_rows(Delivery.objects.filter(pk__in=deliveries), ["last_error"], needles)
        _scrub_rows(DeliveryAttempt.objects.filter(row_id__in=deliveries), ["reply"], needles)
        counts["deliveries_anonymised"] = len(deliveries)
        answers = list(t["answers"].values_list("pk", flat=True))
        counts["answers_scrubbed"] = _scrub_rows(
            Answer.objects.filter(pk__in=answers), ["attendees", "remarks"], needles
        )
        _scrub_rows(
            Answer.history.filter(id__in=answers),
            ["attendees", "remarks"],
            needles,
        )

        mails = list(t["mails_to"].values_list("pk", flat=True))
        OutboundMail.objects.filter(pk__in=mails).update(
            to=_erased_address_expression("mail"), body=""
        )
        _scrub_rows(OutboundMail.objects.filter(pk__in=mails), ["subject", "last_error"], needles)
        _scrub_rows(OutboundMailAttempt.objects.filter(row_id__in=mails), ["reply"], needles)
        counts["mails_anonymised"] = len(mails)
        counts["mails_scrubbed"] = _scrub_rows(t["mails_naming"], ["subject", "body"], needles)

        changes = list(t["member_changes"].values_list("pk", flat=True))
        counts["member_changes_scrubbed"] = _scrub_rows(
            MemberChange.objects.filter(pk__in=changes), ["summary"], needles
        )
        _scrub_rows(MemberChange.history.filter(id__in=changes), ["summary"], needles)

        recommendations = list(t["recommendations"].values_list("pk", flat=True))
        for model in (Recommendation, Recommendation.history.model):
            for row in model._default_manager.filter(id__in=recommendations):
                model._default_manager.filter(pk=row.pk).update(
                    contact_name=ERASED_TEXT,
                    contact_email=erased_address("recommendation", row.id),
                    reasons=_scrub(row.reasons, needles),
                )
        counts["recommendations_anonymised"] = len(recommendations)

        now = timezone.now()
        invitations = list(t["invitations"].values_list("pk", flat=True))
        Invitation.objects.filter(pk__in=invitations).update(
            email=_erased_address_expression("invitation")
        )
        Invitation.objects.filter(
            pk__in=invitations, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        counts["invitations_anonymised"] = len(invitations)

        counts["login_anonymised"] = 0
        if contact.user is not None:
            user = contact.user
            user.username = f"erased-{user.pk}"
            user.email = user.first_name = user.last_name = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()  # also ends its sessions: their hash no longer holds
            user.save()
            user.groups.clear()
            user.user_permissions.clear()
            EmailAddress.objects.filter(user=user).delete()
            Authenticator.objects.filter(user=user).delete()
            counts["login_anonymised"] = 1

        counts["contact_history_deleted"] = t["history"].delete()[0]
        contact.full_name = erased_name(contact)
        contact.honorific = contact.position = contact.email = contact.phone = ""
        contact.language = ""
        contact.is_active = False
        contact.updated_by = by
        contact.full_clean()
        contact._history_user = by  # type: ignore[attr-defined]
        contact._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        contact.save()
        return ContactErasure.objects.create(
            contact=contact, erased_by=by, reason=reason, counts=counts, erased_at=now
        )
