"""Notices to members and secretariats (a publication returned, a profile changed) are kept
as rows in the transaction of the change they report, sent right after commit, and sent
again later while the SMTP server cannot take them: none is lost, none is sent twice.
Against the real SMTP server on loopback, and a real Celery worker with beat."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from mail.enums import MailStatus
from mail.models import OutboundMail
from mail.outbox import outbound_resume
from members.services import institute_contact_save
from portal.celery import app as celery_app
from publications.services import publication_return
from tests import factories as f
from tests.celery_worker import WorkerProcess, wait_for

SUBMITTER = "aigerim@kaziss.kz"
# Messages are sent by a worker's job; here it runs in-process as it is enqueued.
pytestmark = pytest.mark.usefixtures("eager_celery")


def _due_for_resume() -> None:
    """As if every queued notice had been due for longer than the resume's grace (its
    task message lost)."""
    from django.conf import settings

    grace = datetime.timedelta(seconds=settings.DELIVERY_RESUME_GRACE_SECONDS + 1)
    OutboundMail.objects.update(next_attempt_at=timezone.now() - grace)


@pytest.fixture
def submitted(cica):
    submitter = f.UserFactory(username="aigerim", email=SUBMITTER)
    publication = f.PublicationFactory(
        title="Water security", forum=cica.forum, status="submitted", submitted_by=submitter
    )
    publication.institutes.set([cica.institute])
    return publication


def _return(publication, by, capture):
    with capture(execute=True):
        publication_return(publication=publication, by=by, reason="Add the abstract.")


def _subjects(smtp) -> list[str]:
    return [message.subject for message in smtp.accepted]


@pytest.mark.django_db
def test_a_notice_the_server_defers_is_kept_and_sent_later_exactly_once(
    cica, submitted, smtp, django_capture_on_commit_callbacks
):
    smtp.behaviour.temporary_failure_until = time.monotonic() + 3600
    _return(submitted, cica.staff, django_capture_on_commit_callbacks)

    mail = OutboundMail.objects.get()
    assert (mail.to, mail.status, mail.attempts) == (SUBMITTER, MailStatus.QUEUED, 1)
    assert mail.last_error.startswith("451 4.3.0")
    assert mail.next_attempt_at > timezone.now()
    assert smtp.accepted == []
    assert outbound_resume() == 0  # not due yet

    smtp.behaviour.temporary_failure_until = 0
    _due_for_resume()
    assert outbound_resume() == 1
    assert outbound_resume() == 0

    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 2, "")
    assert [m.recipient for m in smtp.accepted] == [SUBMITTER]
    assert smtp.accepted[0].message_id == mail.message_id
    assert "Add the abstract." in smtp.accepted[0].body


@pytest.mark.django_db
def test_a_notice_refused_with_550_fails_with_the_reason_and_is_not_retried(
    cica, submitted, smtp, django_capture_on_commit_callbacks
):
    smtp.behaviour.refused = {SUBMITTER}
    _return(submitted, cica.staff, django_capture_on_commit_callbacks)

    mail = OutboundMail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert mail.last_error == "550 5.1.1 Mailbox unavailable: no such user"
    _due_for_resume()
    assert outbound_resume() == 0
    assert smtp.accepted == []


@pytest.mark.django_db
def test_a_notice_is_rolled_back_with_the_change_it_reports(
    cica, smtp, django_capture_on_commit_callbacks
):
    cica.secretariat.email = "secretariat@cica.example.org"
    cica.secretariat.save()
    member = f.ContactFactory(institute=cica.institute, user=f.UserFactory()).user
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        institute_contact_save(
            institute=cica.institute,
            contact=None,
            data={"full_name": "New colleague", "email": "new@example.org"},
            by=member,
        )
        assert OutboundMail.objects.count() == 1
        raise RuntimeError
    assert OutboundMail.objects.count() == 0
    assert smtp.accepted == []


@pytest.mark.django_db
def test_a_notice_left_sending_by_a_process_that_died_is_sent_after_the_lease(
    cica, submitted, smtp, settings, django_capture_on_commit_callbacks
):
    smtp.behaviour.temporary_failure_until = time.monotonic() + 3600
    _return(submitted, cica.staff, django_capture_on_commit_callbacks)
    smtp.behaviour.temporary_failure_until = 0
    claimed = timezone.now() - datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    OutboundMail.objects.update(status=MailStatus.SENDING, claimed_at=claimed)

    assert outbound_resume() == 1
    assert OutboundMail.objects.get().status == MailStatus.SENT
    assert [m.recipient for m in smtp.accepted] == [SUBMITTER]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
@pytest.mark.slow
def test_the_worker_sends_what_could_not_be_sent_after_commit(
    cica, submitted, smtp, settings, tmp_path
):
    """No test hook here: the commit is real, so the first attempt (the job, run in this
    process) meets a 451, and the worker's beat hands the notice back to be sent once the
    server is back."""
    settings.DELIVERY_RETRY_BASE_SECONDS = 1
    smtp.behaviour.temporary_failure_until = time.monotonic() + 3600
    publication_return(publication=submitted, by=cica.staff, reason="Add the abstract.")
    mail = OutboundMail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)

    celery_app.control.purge()
    worker = WorkerProcess(
        name="outbox",
        concurrency=1,
        beat=True,
        env={
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "DELIVERY_RESUME_EVERY_SECONDS": "1",
            "DELIVERY_RESUME_GRACE_SECONDS": "1",
            "DELIVERY_RETRY_BASE_SECONDS": "1",
            "BEAT_DIR": str(tmp_path),
        },
    ).start()
    try:
        smtp.behaviour.temporary_failure_until = time.monotonic() + 2
        wait_for(
            lambda: OutboundMail.objects.get().status == MailStatus.SENT,
            timeout=60,
            message=f"not sent: {OutboundMail.objects.values().get()}",
        )
    finally:
        worker.stop()
        celery_app.control.purge()
    assert [m.recipient for m in smtp.accepted] == [SUBMITTER]
    assert OutboundMail.objects.get().attempts >= 2


@pytest.mark.django_db
def test_superusers_see_notices_and_send_failed_ones_again(
    client, cica, superuser, submitted, smtp, django_capture_on_commit_callbacks
):
    changelist = "/admin/mail/outboundmail/"
    smtp.behaviour.refused = {SUBMITTER}
    _return(submitted, cica.staff, django_capture_on_commit_callbacks)
    mail = OutboundMail.objects.get()
    assert mail.status == MailStatus.FAILED

    client.force_login(cica.staff)
    assert client.get(changelist).status_code == 403

    client.force_login(superuser)
    listing = client.get(changelist, {"status__exact": "failed"})
    assert listing.status_code == 200 and SUBMITTER.encode() in listing.content
    assert client.get(f"{changelist}add/").status_code == 403

    smtp.behaviour.refused = set()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", "_selected_action": [mail.pk]})
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)
    assert [m.recipient for m in smtp.accepted] == [SUBMITTER]
