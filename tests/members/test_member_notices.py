"""Notices to members are outbox rows in the member's language (members.notices): a
publication approved or returned, a moderation decided, a recommendation decided, an
invitation, a circulated document; and what a member changes is recorded for the
secretariat of each of the institute's forums whether or not it has an address."""

import pytest
from django.core import mail as django_mail

from actionplans.enums import ModerationStatus
from actionplans.services import moderation_decide
from mail.models import OutboundMail
from members.models import MemberChange
from members.services import (
    institute_profile_update,
    invitation_send,
    member_changes_mark_seen,
    recommendation_admit,
    recommendation_decline,
)
from publications.enums import PublicationStatus
from publications.services import publication_approve, publication_return
from tests import factories as f

pytestmark = pytest.mark.django_db


def _member(institute, *, language="", email="member@example.org"):
    user = f.UserFactory(username=f"member-{language or 'default'}", email=email)
    f.ContactFactory(institute=institute, user=user, email=email, language=language)
    return user


def _submitted(cica, user, title="Water and Security in Central Asia"):
    return f.PublicationFactory(
        forum=cica.forum,
        title=title,
        slug="water-and-security",
        status=PublicationStatus.SUBMITTED,
        submitted_by=user,
    )


def test_approval_tells_the_submitter_in_english_by_default(cica):
    user = _member(cica.institute)
    publication_approve(publication=_submitted(cica, user), by=cica.staff)

    notice = OutboundMail.objects.get()
    assert notice.to == "member@example.org"
    assert notice.template == "publications/email/approved"
    assert notice.subject == "Your publication “Water and Security in Central Asia” is published"
    assert "/publications/water-and-security/" in notice.body


def test_approval_tells_a_russian_speaking_member_in_russian(cica):
    user = _member(cica.institute, language="ru")
    publication_approve(publication=_submitted(cica, user), by=cica.staff)

    notice = OutboundMail.objects.get()
    assert notice.subject == "Ваша публикация «Water and Security in Central Asia» опубликована"
    assert notice.body.startswith("Секретариат одобрил вашу публикацию")


def test_a_return_is_written_in_the_members_language(cica):
    user = _member(cica.institute, language="ru")
    publication_return(
        publication=_submitted(cica, user), by=cica.staff, reason="Please add an abstract."
    )

    notice = OutboundMail.objects.get()
    assert notice.subject == "Ваша публикация «Water and Security in Central Asia» возвращена"
    assert "Please add an abstract." in notice.body


def test_nobody_is_told_of_an_approval_without_a_submitter_or_of_a_deactivated_login(cica):
    publication_approve(
        publication=f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED),
        by=cica.staff,
    )
    gone = _member(cica.institute)
    gone.is_active = False
    gone.save()
    publication_approve(publication=_submitted(cica, gone), by=cica.staff)

    assert OutboundMail.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "subject"),
    [
        (ModerationStatus.CONFIRMED, "You will moderate: Regional security workshop"),
        (
            ModerationStatus.DECLINED,
            "Your offer to moderate was declined: Regional security workshop",
        ),
    ],
)
def test_a_moderation_decision_tells_the_member_who_volunteered(cica, status, subject):
    user = _member(cica.institute)
    plan = f.ActionPlanFactory(forum=cica.forum)
    activity = f.ActivityFactory(plan=plan, title="Regional security workshop")
    moderation = f.ActivityModeratorFactory(
        activity=activity, institute=cica.institute, created_by=user
    )

    moderation_decide(moderation=moderation, status=status, by=cica.staff)

    notice = OutboundMail.objects.get()
    assert (notice.to, notice.subject) == ("member@example.org", subject)
    assert "/members/workshops/" in notice.body


def test_a_recommendation_admitted_or_declined_tells_who_made_it(cica):
    user = _member(cica.institute, language="ru")
    admitted = f.RecommendationFactory(
        forum=cica.forum, recommended_by=cica.institute, name="Steppe Institute", created_by=user
    )
    declined = f.RecommendationFactory(
        forum=cica.forum, recommended_by=cica.institute, name="Oasis Centre", created_by=user
    )

    recommendation_admit(recommendation=admitted, by=cica.staff)
    recommendation_decline(recommendation=declined, by=cica.staff, note="Not a research body.")

    subjects = sorted(OutboundMail.objects.values_list("subject", flat=True))
    assert subjects == [
        "Ваша рекомендация отклонена: Oasis Centre",
        "Ваша рекомендация принята: Steppe Institute",
    ]
    assert "Not a research body." in OutboundMail.objects.get(subject__contains="Oasis").body


def test_an_invitation_is_written_in_the_contacts_language(cica):
    contact = f.ContactFactory(
        institute=cica.institute, full_name="Aigerim Sadykova", email="a@example.org", language="ru"
    )
    invitation_send(contact=contact, by=cica.staff)

    notice = OutboundMail.objects.get(template="members/email/invitation")
    assert notice.to == "a@example.org"
    assert notice.subject.startswith("Приглашение")


def test_a_circulated_document_is_framed_in_the_recipients_language(
    cica, eager_celery, settings, private_media
):
    from secretariat.services.circulation import delivery_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    contact = f.ContactFactory(institute=cica.institute, email="ru@example.org", language="ru")
    circulation = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=cica.forum, title="Concept paper 0")
    )
    delivery = f.DeliveryFactory(
        circulation=circulation, contact=contact, institute=cica.institute, email=contact.email
    )

    delivery_send(delivery_id=delivery.pk)

    (message,) = django_mail.outbox
    assert message.body.startswith(
        "Уважаемые коллеги!\n\nСекретариат форума «CICA Think Tank Forum» направляет документ "
        "«Concept paper 0» (концептуальная записка)"
    )


def test_a_member_change_is_recorded_for_each_forum_the_institute_belongs_to(cica, kca):
    f.MembershipFactory(institute=cica.institute, forum=kca.forum)
    user = _member(cica.institute)

    institute_profile_update(
        institute=cica.institute, data={"website": "https://new.example.org"}, by=user
    )

    changes = MemberChange.objects.order_by("forum__name")
    assert [(c.forum, c.institute, c.summary, c.changed_by) for c in changes] == [
        (cica.forum, cica.institute, "website", user),
        (kca.forum, cica.institute, "website", user),
    ]
    # Neither secretariat has an address: nothing is e-mailed, the record is all there is.
    assert OutboundMail.objects.count() == 0


def test_a_secretariat_with_an_address_is_also_emailed(cica):
    cica.secretariat.email = "secretariat@cica.example.org"
    cica.secretariat.save()
    user = _member(cica.institute)

    institute_profile_update(institute=cica.institute, data={"phone": "+7 7172 00 00 00"}, by=user)

    assert list(OutboundMail.objects.values_list("to", flat=True)) == [
        "secretariat@cica.example.org"
    ]
    assert MemberChange.objects.count() == 1


def test_nothing_is_recorded_when_nothing_changed(cica):
    user = _member(cica.institute)
    institute_profile_update(
        institute=cica.institute, data={"website": cica.institute.website}, by=user
    )
    assert MemberChange.objects.count() == 0


def test_marking_seen_keeps_who_saw_a_change_first(cica, kca):
    user = _member(cica.institute)
    institute_profile_update(institute=cica.institute, data={"website": "https://a.org"}, by=user)
    first, second = cica.staff, f.StaffUserFactory(username="second")

    assert member_changes_mark_seen(changes=MemberChange.objects.all(), by=first) == 1
    assert member_changes_mark_seen(changes=MemberChange.objects.all(), by=second) == 0
    assert MemberChange.objects.get().seen_by == first
