"""Bad input to a circulation is refused at the door, and nothing slow happens in the
request: the probe's newline in a subject left a delivery "sending" for ever, and a paper
that could not be rendered answered 500 from inside the request."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.models import RenderJob
from secretariat.models import Circulation, Delivery
from secretariat.recipients import Recipient
from secretariat.services.circulation import circulation_start, delivery_send
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(cica):
    f.FocalPointFactory(
        contact=f.ContactFactory(institute=cica.institute, email="fp@cica.kz"), forum=cica.forum
    )
    meeting = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(2031, 5, 1))
    return f.ConceptPaperFactory(forum=cica.forum, meeting=meeting, title="Water dialogue")


@pytest.mark.parametrize("subject", ["Paper\nBcc: x@evil.example", "Paper\r\nX", "Paper\u2028X"])
def test_a_subject_on_more_than_one_line_is_refused_and_nothing_is_created(
    client, cica, paper, subject
):
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]),
        {"subject": subject, "recipients": ["fp@cica.kz"], "request_token": "form-1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["subject"] == ["The subject must be a single line."]
    assert not Circulation.objects.exists()
    with pytest.raises(ValidationError):
        circulation_start(
            paper=paper, recipients=[Recipient(email="a@b.example")], subject=subject, by=None
        )


def test_a_message_that_cannot_be_made_fails_its_delivery_instead_of_sticking(cica, paper):
    circulation = f.CirculationFactory(paper=paper, subject="Old row\nwith a line break")
    delivery = f.DeliveryFactory(circulation=circulation, email="fp@cica.kz")

    outcome = delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (outcome.status, delivery.status) == ("failed", "failed")
    assert delivery.last_error.startswith("the message could not be made: BadHeaderError: ")


def test_circulating_renders_nothing_in_the_request(
    client, cica, paper, django_capture_on_commit_callbacks
):
    assert not paper.pdf
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]),
            {"subject": "Water dialogue", "recipients": ["fp@cica.kz"], "request_token": "form-1"},
        )

    assert response.status_code == 302
    assert RenderJob.objects.count() == 0
    circulation = Circulation.objects.get()
    assert (circulation.status, circulation.pdf.name) == ("preparing", "")
    assert list(Delivery.objects.values_list("email", "status")) == [("fp@cica.kz", "queued")]
    assert len(callbacks) == 1  # the worker's preparation, once this commits


def test_a_paper_that_cannot_be_rendered_fails_the_circulation_with_the_reason(
    client, cica, paper, settings, django_capture_on_commit_callbacks
):
    from secretariat.services.circulation import circulation_prepare

    circulation = circulation_start(
        paper=paper, recipients=[Recipient(email="fp@cica.kz")], subject="Water", by=cica.staff
    )
    settings.PRIVATE_MEDIA_ROOT = "/dev/null/private"  # the PDF cannot be stored
    circulation_prepare(circulation_id=circulation.pk)
    client.force_login(cica.staff)

    circulation.refresh_from_db()
    response = client.get(reverse("admin:secretariat_circulation_change", args=[circulation.pk]))

    assert circulation.status == "failed"
    assert circulation.error.startswith("NotADirectoryError: ")
    assert Delivery.objects.get().status == "queued"
    assert delivery_send(delivery_id=Delivery.objects.get().pk).status == "skipped"
    assert "The document could not be prepared, so nothing was sent" in response.content.decode()
    assert b"Prepare the document again" in response.content


def test_the_circulated_pdf_is_kept_with_the_circulation(cica, paper, private_media):
    from secretariat.services.circulation import circulation_prepare

    paper.pdf.save("paper.pdf", ContentFile(b"%PDF-1.4\n% v1\n%%EOF\n"), save=False)
    type(paper).objects.filter(pk=paper.pk).update(pdf=paper.pdf.name, pdf_version=paper.version)
    circulation = circulation_start(
        paper=paper, recipients=[Recipient(email="fp@cica.kz")], subject="Water", by=cica.staff
    )

    circulation_prepare(circulation_id=circulation.pk)

    circulation.refresh_from_db()
    assert circulation.status == "ready"
    assert circulation.pdf.name.startswith(f"circulations/{circulation.started_at.year}/")
    assert circulation.pdf.name.endswith("/water-dialogue-v1.pdf")
    assert circulation.pdf.read() == b"%PDF-1.4\n% v1\n%%EOF\n"


def test_with_jobs_in_process_make_run_circulates_to_the_end(
    client, cica, paper, private_media, eager_celery, django_capture_on_commit_callbacks
):
    """``make run`` runs jobs in this process (CELERY_TASK_ALWAYS_EAGER): a circulation is
    prepared and sent without any worker (Celery's send_task would have queued it for a
    worker that is not there, and the page said "being prepared" for ever)."""
    from django.core import mail

    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk]),
            {"subject": "Water dialogue", "recipients": ["fp@cica.kz"], "request_token": "form-1"},
        )

    assert response.status_code == 302
    circulation = Circulation.objects.get()
    assert circulation.status == "ready"
    assert list(Delivery.objects.values_list("status", flat=True)) == ["sent"]
    assert [m.to for m in mail.outbox] == [["fp@cica.kz"]]
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF-")
