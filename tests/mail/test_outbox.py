"""The outbox's guarantees, one by one, on PostgreSQL: a claim is fenced by its token, a
lost database connection at the settle step is retried, an attempt whose outcome is
unknown marks the next one, sending failed rows again keeps their history, resumes hand a
row back once per grace period, and a lease shorter than a send is refused."""

import base64
import datetime
import json
import smtplib

import psycopg2
import pytest
import redis
from django.db import OperationalError, connection
from django.utils import timezone

from mail.checks import lease_outlasts_a_send
from mail.enums import MailStatus
from mail.models import OutboundMail, OutboundMailAttempt
from mail.outbox import (
    outbox_claim,
    outbox_due_again,
    outbox_reclaim,
    outbox_requeue_failed,
    outbox_settle,
)
from portal.celery import _refuse_unsafe_settings
from portal.celery import app as celery_app
from secretariat.models import Circulation
from secretariat.services.circulation import deliveries_resume
from tests import factories as f

pytestmark = pytest.mark.django_db


def _mail(**fields) -> OutboundMail:
    return OutboundMail.objects.create(
        **{
            "to": "aigerim@kaziss.kz",
            "subject": "Your publication was returned",
            "body": "Add the abstract.",
            "template": "publications/email/returned",
            "message_id": "<1@portal.example>",
            "next_attempt_at": timezone.now(),
            **fields,
        }
    )


def _log(mail) -> list[tuple]:
    return list(
        OutboundMailAttempt.objects.filter(row=mail)
        .order_by("number")
        .values_list("number", "outcome", "duplicate_suspect")
    )


def _past(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def test_a_sender_whose_row_was_taken_over_cannot_settle_it(settings):
    """The first sender outlives the lease; the row is reclaimed and claimed by a second
    sender. The first sender's late "sent" must not settle the second one's claim."""
    mail = _mail()
    first = outbox_claim(OutboundMail, pk=mail.pk)
    OutboundMail.objects.filter(pk=mail.pk).update(
        claimed_at=_past(settings.DELIVERY_LEASE_SECONDS + 1)
    )
    assert outbox_reclaim(OutboundMail) == [mail.pk]
    second = outbox_claim(OutboundMail, pk=mail.pk)

    assert outbox_settle(OutboundMail, claim=first, error=None) == (MailStatus.SENDING, 0)
    mail.refresh_from_db()
    assert (mail.status, mail.claim_token) == (MailStatus.SENDING, second.token)

    assert outbox_settle(OutboundMail, claim=second, error=None) == (MailStatus.SENT, 0)
    mail.refresh_from_db()
    assert (mail.status, mail.claim_token, mail.attempts) == (MailStatus.SENT, "", 2)
    # The late sender's own attempt does record what its server answered: both copies went.
    assert _log(mail) == [(1, "sent", False), (2, "sent", True)]


def test_a_claimed_row_cannot_be_claimed_again():
    mail = _mail()

    assert outbox_claim(OutboundMail, pk=mail.pk) is not None
    assert outbox_claim(OutboundMail, pk=mail.pk) is None
    assert OutboundMail.objects.get().attempts == 1


def test_an_attempt_after_one_whose_outcome_is_unknown_is_marked_as_maybe_a_second_copy():
    mail = _mail()
    first = outbox_claim(OutboundMail, pk=mail.pk)
    lost = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    status, retry_in = outbox_settle(OutboundMail, claim=first, error=lost)
    OutboundMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())
    second = outbox_claim(OutboundMail, pk=mail.pk)

    assert (status, retry_in) == (MailStatus.QUEUED, 30)
    assert (first.duplicate_suspect, second.duplicate_suspect) == (False, True)
    assert _log(mail) == [(1, "unknown", False), (2, "sending", True)]
    assert OutboundMailAttempt.objects.get(number=1).reply == (
        "SMTPServerDisconnected: Connection unexpectedly closed"
    )


def test_an_attempt_after_a_451_is_not_marked():
    mail = _mail()
    first = outbox_claim(OutboundMail, pk=mail.pk)
    outbox_settle(OutboundMail, claim=first, error=smtplib.SMTPDataError(451, b"try later"))
    OutboundMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())

    second = outbox_claim(OutboundMail, pk=mail.pk)

    assert second.duplicate_suspect is False
    assert _log(mail) == [(1, "temporary", False), (2, "sending", False)]


def test_a_database_error_while_reading_what_to_send_is_retried_not_failed():
    """The database connection is lost after the claim, as the message is read: nothing was
    sent, so the row goes back to the queue rather than failing for good."""
    mail = _mail()
    claim = outbox_claim(OutboundMail, pk=mail.pk)

    lost = OperationalError("server closed the connection unexpectedly")
    assert outbox_settle(OutboundMail, claim=claim, error=lost) == (MailStatus.QUEUED, 30)
    assert _log(mail) == [(1, "temporary", False)]
    mail.refresh_from_db()
    assert mail.last_error == (
        "the database failed before sending: OperationalError: server closed the connection "
        "unexpectedly"
    )


def test_sending_failed_rows_again_keeps_their_history_and_queues_each_once():
    mail = _mail()
    claim = outbox_claim(OutboundMail, pk=mail.pk)
    refused = smtplib.SMTPRecipientsRefused({"aigerim@kaziss.kz": (550, b"no such user")})
    outbox_settle(OutboundMail, claim=claim, error=refused)

    assert outbox_requeue_failed(OutboundMail, ids=[mail.pk]) == 1
    assert outbox_requeue_failed(OutboundMail, ids=[mail.pk]) == 0
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (
        MailStatus.QUEUED,
        0,
        "550 no such user",
    )
    assert _log(mail) == [(1, "refused", False)]


def test_a_row_handed_back_by_a_resume_is_not_handed_back_again_within_the_grace(settings):
    """The resume's grace reads the due time, which it moves as it hands a row back: a
    resume every minute does not enqueue every waiting row every minute."""
    late = _mail(message_id="<late@portal.example>")
    OutboundMail.objects.filter(pk=late.pk).update(
        next_attempt_at=_past(settings.DELIVERY_RESUME_GRACE_SECONDS + 1)
    )
    _mail(message_id="<fresh@portal.example>")  # due now: its own task is on its way

    assert outbox_due_again(OutboundMail) == [late.pk]
    assert outbox_due_again(OutboundMail) == []


def test_a_circulation_still_preparing_is_handed_back_once_per_grace(settings, cica, queue):
    circulation = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=cica.forum), status="preparing"
    )
    Circulation.objects.filter(pk=circulation.pk).update(
        updated_at=_past(settings.DELIVERY_RESUME_GRACE_SECONDS + 1)
    )

    deliveries_resume()
    deliveries_resume()

    assert queue() == [("secretariat.prepare_circulation", [circulation.pk])]


@pytest.fixture
def queue(settings):
    """The real broker's default queue, emptied before and after: returns the (task, args)
    of the messages waiting in it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.control.purge()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def waiting() -> list[tuple[str, list]]:
        messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
        return [
            (m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[0]) for m in messages
        ]

    yield waiting
    celery_app.control.purge()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_settle_step_survives_a_lost_database_connection():
    """The server has accepted the message; then the database connection is lost (the
    server restarted, a proxy cut it). Recording "sent" is retried on a new connection
    rather than given up, which would leave the row to be sent again after the lease."""
    mail = _mail()
    claim = outbox_claim(OutboundMail, pk=mail.pk)
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    killer = psycopg2.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"],
        dbname=connection.settings_dict["NAME"],
    )
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()

    assert outbox_settle(OutboundMail, claim=claim, error=None) == (MailStatus.SENT, 0)
    mail.refresh_from_db()
    assert (mail.status, mail.claim_token) == (MailStatus.SENT, "")
    assert connection.connection.info.backend_pid != pid
    assert _log(mail) == [(1, "sent", False)]


@pytest.mark.parametrize(
    ("timeout", "lease", "errors"),
    [(30, 300, []), (30, 248, []), (30, 247, ["mail.E001"]), (1, 15, ["mail.E001"])],
)
def test_a_lease_shorter_than_a_send_may_take_is_refused(settings, timeout, lease, errors):
    """8 × EMAIL_TIMEOUT for the SMTP conversation and 8 s for the settle step's retries."""
    settings.EMAIL_TIMEOUT, settings.DELIVERY_LEASE_SECONDS = timeout, lease

    assert [error.id for error in lease_outlasts_a_send(None)] == errors
    if errors:
        with pytest.raises(SystemExit, match=r"DELIVERY_LEASE_SECONDS \(\d+\)"):
            _refuse_unsafe_settings()
    else:
        _refuse_unsafe_settings()
