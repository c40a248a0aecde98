"""A contact's personal data: the export holds every row and every version about the
person; the erasure anonymises the contact, its history and every row naming it, keeps the
public record, records itself, and is refused to anyone who does not hold all of it."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from actionplans.models import MeetingSpeaker, Signatory
from mail.models import OutboundMail
from members.models import Contact, ContactErasure, FocalPoint, Invitation, MemberChange
from members.services import invitation_send
from secretariat.models import Answer, Delivery
from secretariat.personal_data import contact_erase, contact_erasure_plan, contact_export
from tests import factories as f

pytestmark = pytest.mark.django_db

NAME = "Aigerim Sultanova"
EMAIL = "a.sultanova@kaziss.example"
INVITATION_SUBJECT = "Your invitation to log in for CICA Institute"


@pytest.fixture
def person(cica):
    """A contact of the CICA institute with everything the portal can hold about a person:
    two versions, a focal-point role, an invitation (its e-mail still queued), a login, a
    document circulated to her and answered (two versions of the answer), one still queued,
    an e-mail sent to her, a notice and a member change naming her; and the public record:
    a meeting she spoke at, a report she wrote, a statement her institute adopted."""
    contact = Contact.objects.create(
        institute=cica.institute,
        honorific="Dr",
        full_name=NAME,
        position="Deputy director",
        email=EMAIL,
        phone="+7 7172 000000",
    )
    contact.position = "Director"
    contact.save()
    f.FocalPointFactory(contact=contact, forum=cica.forum)
    invitation_send(contact=contact, by=cica.staff)
    user = f.UserFactory(username="asultanova", email=EMAIL, first_name="Aigerim", last_name="S")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    Contact.objects.filter(pk=contact.pk).update(user=user)
    contact.refresh_from_db()

    paper = f.ConceptPaperFactory(forum=cica.forum)
    sent = f.DeliveryFactory(
        circulation=f.CirculationFactory(paper=paper, subject="Twelfth Forum"),
        contact=contact,
        institute=cica.institute,
        name=NAME,
        organisation="CICA Institute",
        email=EMAIL,
        status="sent",
        sent_at=timezone.now(),
    )
    answer = f.AnswerFactory(delivery=sent, attendees=f"{NAME}, director")
    answer.remarks = f"Questions to {EMAIL}"
    answer.save()
    f.DeliveryFactory(
        circulation=f.CirculationFactory(paper=paper, subject="Workshop"),
        contact=contact,
        name=NAME,
        email=EMAIL,
    )
    OutboundMail.objects.create(
        to=EMAIL,
        subject="Your publication",
        body=f"Dear {NAME}",
        template="t",
        message_id="<sent@test>",
        status="sent",
        sent_at=timezone.now(),
    )
    OutboundMail.objects.create(
        to="secretariat@cica.example",
        subject="Profile changed",
        body=f"new contact: {NAME}",
        template="t",
        message_id="<notice@test>",
        status="sent",
        sent_at=timezone.now(),
    )
    MemberChange.objects.create(
        forum=cica.forum, institute=cica.institute, summary=f"new contact: {NAME}"
    )
    meeting = f.MeetingFactory(forum=cica.forum, title="Twelfth CICA Think Tank Forum")
    MeetingSpeaker.objects.create(meeting=meeting, name=NAME, role="Director")
    f.PublicationFactory(
        forum=cica.forum, title="Water in Central Asia", authors="Sultanova, Aigerim"
    )
    statement = f.JointStatementFactory(
        forum=cica.forum, status="adopted", adopted_on=datetime.date(2024, 10, 16)
    )
    f.SignatoryFactory(statement=statement, institute=cica.institute, position=1)
    return contact


def test_the_export_holds_every_row_and_version_about_the_person(person, cica):
    data = contact_export(contact=person, by=cica.staff)

    assert json.loads(json.dumps(data, cls=DjangoJSONEncoder)) == data
    assert data["format"] == "ttf-portal/contact-personal-data"
    assert data["exported_by"] == "cica-staff"
    assert {k: data["contact"][k] for k in ("full_name", "email", "phone", "position")} == {
        "full_name": NAME,
        "email": EMAIL,
        "phone": "+7 7172 000000",
        "position": "Director",
    }
    assert data["institute"] == {"id": cica.institute.pk, "name": "CICA Institute"}
    assert [(r["history_type"], r["position"]) for r in data["contact_history"]] == [
        ("+", "Deputy director"),
        ("~", "Director"),
    ]
    assert [p["forum"] for p in data["focal_points"]] == ["CICA Think Tank Forum"]
    assert [r["history_type"] for r in data["focal_point_history"]] == ["+"]
    assert [i["email"] for i in data["invitations"]] == [EMAIL]
    assert [(d["circulation"], d["status"], d["email"]) for d in data["deliveries"]] == [
        ("Twelfth Forum", "sent", EMAIL),
        ("Workshop", "queued", EMAIL),
    ]
    answered = data["deliveries"][0]
    assert answered["answer"]["attendees"] == f"{NAME}, director"
    assert [(r["history_type"], r["remarks"]) for r in answered["answer_history"]] == [
        ("+", ""),
        ("~", f"Questions to {EMAIL}"),
    ]
    assert sorted((m["to"], m["subject"], m["status"]) for m in data["mails"]) == [
        (EMAIL, INVITATION_SUBJECT, "queued"),
        (EMAIL, "Your publication", "sent"),
        ("secretariat@cica.example", "Profile changed", "sent"),
    ]
    assert [m["body"] for m in data["mails"] if m["subject"] == INVITATION_SUBJECT] == [""]
    assert [c["summary"] for c in data["member_changes"]] == [f"new contact: {NAME}"]
    login = data["login"]
    assert {k: login[k] for k in ("username", "email", "first_name", "is_active")} == {
        "username": "asultanova",
        "email": EMAIL,
        "first_name": "Aigerim",
        "is_active": True,
    }
    assert login["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert login["two_factor"] == []
    assert [s["meeting"] for s in data["public_records"]["meeting_speakers"]] == [
        "Twelfth CICA Think Tank Forum"
    ]
    assert [p["title"] for p in data["public_records"]["publications_authored"]] == [
        "Water in Central Asia"
    ]
    assert data["erasure"] is None


def test_the_plan_says_what_goes_what_is_anonymised_and_what_is_kept(person):
    plan = contact_erasure_plan(contact=person)

    assert plan.refusal is None
    assert [line.count for line in plan.erased] == [2, 1, 2]
    assert [line.count for line in plan.anonymised] == [1, 1, 1, 1, 1, 2, 1]
    assert [(str(line.what).split(":")[0], line.count) for line in plan.kept] == [
        ("speakers of meetings named as the person", 1),
        ("publications listing the person among their authors", 1),
        (
            "the institute's place among the participants of adopted or published joint statements",
            1,
        ),
        ("changes made under the person's login", 1),
        ("the record of this erasure", 1),
    ]


def _everything_text() -> str:
    """Every row of the tables an erasure touches, history included, as one text."""
    from members.models import Recommendation

    rows = []
    for model in (Contact, Answer, MemberChange, Recommendation):
        rows += list(model.objects.values())
        rows += list(model.history.values())
    for model in (Delivery, OutboundMail, Invitation, FocalPoint):
        rows += list(model.objects.values())
    from django.contrib.auth import get_user_model

    rows += list(get_user_model().objects.values())
    rows += list(EmailAddress.objects.values())
    return json.dumps(rows, cls=DjangoJSONEncoder).lower()


def test_erasing_removes_the_person_everywhere_and_keeps_the_public_record(person, cica):
    assert NAME.lower() in _everything_text() and EMAIL in _everything_text()

    erasure = contact_erase(contact=person, by=cica.staff, reason="Request of 2 December 2026")

    text = _everything_text()
    assert NAME.lower() not in text
    assert EMAIL not in text
    assert "sultanova" not in text
    person.refresh_from_db()
    assert (person.full_name, person.email, person.phone, person.position, person.is_active) == (
        f"Erased contact {person.pk}",
        "",
        "",
        "",
        False,
    )
    assert [
        (r.history_type, r.full_name, r.history_change_reason) for r in person.history.all()
    ] == [("~", f"Erased contact {person.pk}", "personal data erased")]
    assert person.history.get().history_user == cica.staff
    assert FocalPoint.objects.filter(contact=person).count() == 0
    sent = Delivery.objects.get(contact=person)
    assert (sent.status, sent.name, sent.email) == (
        "sent",
        "[erased]",
        f"erased-delivery-{sent.pk}@erased.invalid",
    )
    assert (sent.answer.attendance, sent.answer.attendees, sent.answer.remarks) == (
        "attending",
        "[erased], director",
        "Questions to [erased]",
    )
    assert list(OutboundMail.objects.order_by("message_id").values_list("subject", "body")) == [
        ("Profile changed", "new contact: [erased]"),
        ("Your publication", ""),
    ]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.state) == (
        f"erased-invitation-{invitation.pk}@erased.invalid",
        "revoked",
    )
    assert list(MemberChange.objects.values_list("summary", flat=True)) == ["new contact: [erased]"]
    user = person.user
    user.refresh_from_db()
    assert (
        user.username,
        user.email,
        user.first_name,
        user.is_active,
        user.has_usable_password(),
    ) == (
        f"erased-{user.pk}",
        "",
        "",
        False,
        False,
    )
    assert EmailAddress.objects.count() == 0
    assert list(MeetingSpeaker.objects.values_list("name", flat=True)) == [NAME]
    assert list(Signatory.objects.values_list("institute__name", "statement__status")) == [
        ("CICA Institute", "adopted")
    ]
    assert (erasure.contact, erasure.erased_by, erasure.reason) == (
        person,
        cica.staff,
        "Request of 2 December 2026",
    )
    assert erasure.counts == {
        "focal_points_deleted": 1,
        "deliveries_deleted": 1,
        "mails_deleted": 1,
        "deliveries_anonymised": 1,
        "answers_scrubbed": 1,
        "mails_anonymised": 1,
        "mails_scrubbed": 1,
        "member_changes_scrubbed": 1,
        "recommendations_anonymised": 0,
        "invitations_anonymised": 1,
        "login_anonymised": 1,
        "contact_history_deleted": 2,
    }


def test_a_second_erasure_is_refused_and_changes_nothing(person, cica):
    contact_erase(contact=person, by=cica.staff, reason="Request")

    with pytest.raises(ValidationError) as refused:
        contact_erase(contact=person, by=cica.staff, reason="Again")

    assert refused.value.code == "already_erased"
    assert ContactErasure.objects.count() == 1
    assert person.history.count() == 1
    assert str(contact_erasure_plan(contact=person).refusal) == (
        "This contact's personal data has already been erased."
    )


def test_erasing_waits_while_an_email_to_the_person_is_being_sent(person, cica):
    Delivery.objects.filter(status="queued").update(status="sending", claimed_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        contact_erase(contact=person, by=cica.staff, reason="Request")

    assert refused.value.code == "sending"
    person.refresh_from_db()
    assert (person.full_name, ContactErasure.objects.count()) == (NAME, 0)


def test_erasing_needs_a_reason(person, cica):
    with pytest.raises(ValidationError):
        contact_erase(contact=person, by=cica.staff, reason="  ")

    person.refresh_from_db()
    assert (person.full_name, ContactErasure.objects.count()) == (NAME, 0)
