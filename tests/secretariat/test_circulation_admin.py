"""The secretariat circulates a paper from the admin and follows its progress there."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import MembershipStatus
from secretariat.enums import DeliveryStatus, PaperStatus
from secretariat.models import Circulation, Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(cica, private_media):
    meeting = f.MeetingFactory(
        forum=cica.forum,
        title="Twelfth CICA Think Tank Forum",
        starts_on=datetime.date(2030, 10, 1),
    )
    paper = f.ConceptPaperFactory(forum=cica.forum, meeting=meeting, title="Concept paper")
    focal = f.FocalPointFactory(
        contact=f.ContactFactory(
            institute=cica.institute, full_name="Aigerim", email="a@kaziss.kz"
        ),
        forum=cica.forum,
    )
    not_admitted = f.MembershipFactory(
        forum=cica.forum, status=MembershipStatus.RECOMMENDED, decided_on=None
    )
    f.FocalPointFactory(
        contact=f.ContactFactory(institute=not_admitted.institute, email="x@candidate.org"),
        forum=cica.forum,
    )
    f.StateContactFactory(forum=cica.forum, organisation="MFA of Kazakhstan", email="desk@mfa.kz")
    return paper, focal


def test_circulate_page_offers_focal_points_of_admitted_members_and_state_contacts(
    client, cica, paper
):
    paper, _ = paper
    client.force_login(cica.staff)

    response = client.get(reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert [email for email, _ in form.fields["recipients"].choices] == [
        "a@kaziss.kz",
        "desk@mfa.kz",
    ]
    assert "Dear Aigerim," in response.context["preview"]
    assert "Concept paper" in response.context["preview"]


def test_sending_creates_one_queued_delivery_per_chosen_recipient(
    client, cica, paper, django_capture_on_commit_callbacks
):
    paper, _ = paper
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]),
            {
                "subject": "Concept paper of the Twelfth Forum",
                "message": "Please find attached.",
                "recipients": ["a@kaziss.kz"],
                "extra": "guest@think.example.org\nA@KAZISS.KZ",
                "request_token": "form-1",
            },
        )

    circulation = Circulation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:secretariat_circulation_change", args=[circulation.pk]
    )
    assert sorted(circulation.deliveries.values_list("email", "status")) == [
        ("a@kaziss.kz", DeliveryStatus.QUEUED),
        ("guest@think.example.org", DeliveryStatus.QUEUED),
    ]
    assert len(callbacks) == 1
    paper.refresh_from_db()
    assert paper.status == PaperStatus.CIRCULATED


def test_a_bad_extra_address_is_refused_and_nothing_is_created(client, cica, paper):
    paper, _ = paper
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]),
        {
            "subject": "x",
            "recipients": ["a@kaziss.kz"],
            "extra": "not-an-address",
            "request_token": "form-1",
        },
    )

    assert response.status_code == 200
    assert "“not-an-address” is not an e-mail address." in str(response.context["form"].errors)
    assert not Circulation.objects.exists()


def test_another_secretariats_paper_cannot_be_circulated(client, kca, paper):
    paper, _ = paper
    client.force_login(kca.staff)

    url = reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"subject": "x", "recipients": ["a@kaziss.kz"]}).status_code == 404
    assert not Circulation.objects.exists()


def _circulation(paper, statuses):
    circulation = f.CirculationFactory(paper=paper, started_at=timezone.now())
    for i, status in enumerate(statuses):
        f.DeliveryFactory(
            circulation=circulation,
            email=f"r{i}@example.org",
            status=status,
            sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
            last_error="550 no such user" if status == DeliveryStatus.FAILED else "",
            attempts=1,
        )
    return circulation


def test_progress_and_each_recipients_status_are_shown(client, cica, paper):
    paper, _ = paper
    circulation = _circulation(
        paper,
        [DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.QUEUED],
    )
    client.force_login(cica.staff)

    response = client.get(reverse("admin:secretariat_circulation_change", args=[circulation.pk]))

    content = response.content.decode()
    assert response.context["progress"]["sent"] == 2
    assert "2 of 4 sent, 1 failed" in content
    assert "1 being sent." in content
    assert 'http-equiv="refresh"' not in content  # the figures update, the page stays
    assert "/static/js/circulation-progress.js" in content
    assert [(d.email, d.status) for d in response.context["deliveries"]] == [
        ("r2@example.org", "failed"),  # needing attention first
        ("r3@example.org", "queued"),
        ("r0@example.org", "sent"),
        ("r1@example.org", "sent"),
    ]
    assert "550 no such user" in content


def test_resend_queues_only_the_failed_ones(
    client, cica, paper, django_capture_on_commit_callbacks
):
    paper, _ = paper
    circulation = _circulation(paper, [DeliveryStatus.SENT, DeliveryStatus.FAILED])
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:secretariat_circulation_resend", args=[circulation.pk])
        )

    assert response.status_code == 302
    assert sorted(circulation.deliveries.values_list("email", "status", "attempts")) == [
        ("r0@example.org", DeliveryStatus.SENT, 1),
        ("r1@example.org", DeliveryStatus.QUEUED, 0),
    ]
    assert len(callbacks) == 1


def test_resend_is_post_only(client, cica, paper):
    paper, _ = paper
    circulation = _circulation(paper, [DeliveryStatus.FAILED])
    client.force_login(cica.staff)

    response = client.get(reverse("admin:secretariat_circulation_resend", args=[circulation.pk]))

    assert response.status_code == 405
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


@pytest.mark.parametrize(
    ("days_before", "circulated_days_before", "expected"),
    [(10, None, "late"), (60, None, "not yet due"), (60, 40, "on time"), (60, 20, "late")],
)
def test_late_papers_are_flagged(client, cica, days_before, circulated_days_before, expected):
    today = timezone.localdate()
    meeting = f.MeetingFactory(
        forum=cica.forum, starts_on=today + datetime.timedelta(days=days_before)
    )
    paper = f.ConceptPaperFactory(forum=cica.forum, meeting=meeting)
    if circulated_days_before is not None:
        when = timezone.now() + datetime.timedelta(days=days_before - circulated_days_before)
        f.CirculationFactory(paper=paper, started_at=when)
    client.force_login(cica.staff)

    response = client.get(reverse("admin:secretariat_conceptpaper_changelist"))

    model_admin = response.context["cl"].model_admin
    row = response.context["cl"].result_list[0]
    assert (
        str(model_admin.timeliness(row)).endswith(f"{expected}</strong>")
        or str(model_admin.timeliness(row)) == expected
    )
