"""The portal's outbox: every e-mail it sends (a circulation's deliveries, notices,
invitations) is a row claimed, sent and settled by workers, never in a web request
(docs/adr/0005).

``mail_queue`` keeps a templated message (rendered in the site's default language, with a
Message-ID of our own domain) as an ``OutboundMail`` row in the caller's transaction; a
worker sends it once that commits; one that could not be sent stays queued and is tried
again with a backoff, and ``outbound_resume`` (run periodically by Celery beat) hands back
what a lost task or a dead worker left behind. The claim, settle and reclaim steps here
serve every outbox model alike.
"""

import contextlib
import logging
import secrets
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.jobs import enqueue, enqueue_on_commit
from mail.enums import MailStatus
from mail.models import OUTBOX_WORKFLOW, AttemptOutcome, OutboundMail

logger = logging.getLogger(__name__)
RESUME_BATCH = 200


def smtp_error(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason). 5xx answers are permanent; 4xx answers, refused or dropped
    connections and time-outs are temporary."""
    code: int | None = None
    text: str | bytes = ""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, text = exc.smtp_code, exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if code is None:
        return False, f"{type(exc).__name__}: {exc}"[:1000]
    return 500 <= code < 600, f"{code} {text}"[:1000]


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: DELIVERY_RETRY_BASE_SECONDS, doubled each time,
    at most an hour."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), 3600)


@dataclass(frozen=True)
class Claim:
    """A sender's hold on one outbox row: only the holder of ``token`` may settle it."""

    pk: int
    token: str
    attempts: int  # in this round (staff sending again starts a new round)
    number: int  # in the row's whole history (its attempt log)
    duplicate_suspect: bool


# Seconds between tries to record how a send ended, when the database connection is lost:
# about eight seconds in all, which the lease must also cover (mail.checks).
SETTLE_RETRY_WAITS = (0, 0.2, 0.5, 1, 2, 4)

# The connection ended without the server's answer to the message: it may have been
# delivered (RFC 1047). Sending again is right, and may make a second copy.
UNKNOWN_OUTCOME = (
    smtplib.SMTPServerDisconnected,
    TimeoutError,
    ConnectionResetError,
    BrokenPipeError,
)


def outbox_claim(model, *, pk: int) -> Claim | None:
    """Takes one due, queued row of an outbox (``OutboundMail``, a circulation's
    ``Delivery``) for this sender: one conditional UPDATE setting a claim token of its own,
    and the attempt written to the row's log, committed before anything is sent, so a
    second sender (or a retried task) finds nothing to claim. Returns the claim, or None.
    An attempt following one whose outcome is unknown is marked as maybe a second copy."""
    now = timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        claimed = (
            model.objects.filter(pk=pk, status__in=OUTBOX_WORKFLOW.sources(MailStatus.SENDING))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(
                status=MailStatus.SENDING,
                claimed_at=now,
                claim_token=token,
                attempts=F("attempts") + 1,
            )
        )
        if not claimed:
            return None
        attempts = model.objects.filter(pk=pk).values_list("attempts", flat=True).get()
        log = model.attempt_model.objects.filter(row_id=pk)
        last = log.order_by("-number").values("number", "outcome").first()
        claim = Claim(
            pk=pk,
            token=token,
            attempts=attempts,
            number=(last["number"] if last else 0) + 1,
            duplicate_suspect=bool(last) and last["outcome"] == AttemptOutcome.UNKNOWN,
        )
        model.attempt_model.objects.create(
            row_id=pk,
            number=claim.number,
            started_at=now,
            duplicate_suspect=claim.duplicate_suspect,
        )
    return claim


def _outcome(error: Exception | None) -> tuple[str, str, str]:
    """(the row's next status if retries remain, the attempt's outcome, the reason)."""
    if error is None:
        return MailStatus.SENT, AttemptOutcome.SENT, ""
    if isinstance(error, DatabaseError):  # reading what to send: nothing went out yet
        reason = f"the database failed before sending: {type(error).__name__}: {error}"
        return MailStatus.QUEUED, AttemptOutcome.TEMPORARY, reason
    if not isinstance(error, smtplib.SMTPException | OSError):
        reason = f"the message could not be made: {type(error).__name__}: {error}"
        return MailStatus.FAILED, AttemptOutcome.ERROR, reason
    permanent, reason = smtp_error(error)
    if permanent:
        return MailStatus.FAILED, AttemptOutcome.REFUSED, reason
    if isinstance(error, UNKNOWN_OUTCOME):
        return MailStatus.QUEUED, AttemptOutcome.UNKNOWN, reason
    return MailStatus.QUEUED, AttemptOutcome.TEMPORARY, reason


def outbox_settle(model, *, claim: Claim, error: Exception | None) -> tuple[str, int]:
    """Records how sending a claimed row ended: sent; failed with the server's reason on a
    permanent refusal, on an error that is not the server's (the message itself could not
    be made: nothing will change that) or after DELIVERY_MAX_ATTEMPTS; otherwise queued
    again after ``retry_delay``. Only the holder of the claim settles it: a row reclaimed
    meanwhile (its sender outlived the lease) is left to its new sender. A lost database
    connection is retried on a fresh one, so a message the server accepted is recorded as
    sent rather than sent again after the lease. Returns (its status, seconds until the
    next attempt)."""
    status, outcome, reason = _outcome(error)
    delay = 0
    if status == MailStatus.QUEUED and claim.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        status, reason = MailStatus.FAILED, f"gave up after {claim.attempts} attempts: {reason}"
    changes: dict = {"status": status, "claim_token": ""}
    if status == MailStatus.SENT:
        changes.update(sent_at=timezone.now(), last_error="")
    else:
        changes["last_error"] = reason[:1000]
    if status == MailStatus.QUEUED:
        delay = retry_delay(claim.attempts)
        changes["next_attempt_at"] = timezone.now() + timedelta(seconds=delay)
    if status != MailStatus.QUEUED and _erases_body(model):
        changes["body"] = Case(
            When(erase_body_when_done=True, then=Value("")),
            default=F("body"),
            output_field=TextField(),
        )
    for wait in SETTLE_RETRY_WAITS:
        time.sleep(wait)
        try:
            with transaction.atomic():
                settled = model.objects.filter(
                    pk=claim.pk, status=MailStatus.SENDING, claim_token=claim.token
                ).update(**changes)
                model.attempt_model.objects.filter(row_id=claim.pk, number=claim.number).update(
                    finished_at=timezone.now(), outcome=outcome, reply=reason[:1000]
                )
            break
        except (OperationalError, InterfaceError):
            logger.warning("settling %s %s: database connection lost; again", model, claim.pk)
            db_connection.close()
    else:
        raise OperationalError(f"could not record how {model.__name__} {claim.pk} was sent")
    if not settled:  # reclaimed meanwhile, or recorded by an earlier try of this loop
        logger.info("%s %s was settled by another claim", model._meta.model_name, claim.pk)
        return model.objects.filter(pk=claim.pk).values_list("status", flat=True).get(), 0
    log = logger.warning if status == MailStatus.FAILED else logger.info
    log("%s %s %s: %s", model._meta.model_name, claim.pk, status, reason or "accepted")
    return status, delay


def _erases_body(model) -> bool:
    return any(field.name == "erase_body_when_done" for field in model._meta.fields)


def outbox_reclaim(model) -> list[int]:
    """Puts back in the queue the rows left "sending" longer than DELIVERY_LEASE_SECONDS:
    the process that held them died, or hangs. Whether that attempt reached the server is
    unknown: its log says so, and the next attempt is marked as maybe a second copy.
    Returns their ids, to be handed to the workers again."""
    now = timezone.now()
    lease = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        stale = list(
            model.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - lease)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not stale:
            return []
        model.objects.filter(pk__in=stale, status=MailStatus.SENDING).update(
            status=MailStatus.QUEUED,
            claim_token="",
            next_attempt_at=now,
            last_error="interrupted while sending; queued again",
        )
        model.attempt_model.objects.filter(row_id__in=stale, outcome=AttemptOutcome.SENDING).update(
            finished_at=now,
            outcome=AttemptOutcome.UNKNOWN,
            reply="the sender stopped within the lease; it may have been delivered",
        )
    return stale


def outbox_requeue_failed(model, *, ids) -> int:
    """Queues the failed rows among ``ids`` again for a new round of attempts (staff asked
    to send them again); rows in any other status are left alone, and nothing of what
    happened before is forgotten (the attempt log stays, and so does the last error until
    the next attempt). Returns how many."""
    OUTBOX_WORKFLOW.check(model, MailStatus.FAILED, MailStatus.QUEUED)
    return model.objects.filter(pk__in=ids, status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


def outbox_due_again(model, *, extra: Q | None = None, limit: int = 5000) -> list[int]:
    """Queued rows that have been due for longer than DELIVERY_RESUME_GRACE_SECONDS: their
    task message was lost (a worker killed, Redis restarted empty). Each gets a new due time
    (now) as it is handed back, so the next resume run leaves it to this one. Returns the
    ids to enqueue."""
    now = timezone.now()
    grace = timedelta(seconds=settings.DELIVERY_RESUME_GRACE_SECONDS)
    rows = model.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now - grace)
    if extra is not None:
        rows = rows.filter(extra)
    with transaction.atomic():
        ids = list(rows.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        model.objects.filter(pk__in=ids, status=MailStatus.QUEUED).update(next_attempt_at=now)
    return ids


def render_text(template: str, context: dict, *, language: str = "") -> str:
    """A plain-text template (an e-mail) rendered in ``language`` (the site's default
    language when blank), as plain ``str``: text templates turn autoescaping off, and Django
    marks what a template renders as safe HTML, so without this a member's words in it
    would pass as markup wherever the text is shown in a page (a preview)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return str.__str__(render_to_string(template, context))


def _render(template: str, context: dict, *, language: str = "") -> tuple[str, str]:
    subject = " ".join(render_text(f"{template}_subject.txt", context, language=language).split())
    return subject, render_text(f"{template}_body.txt", context, language=language)


def _message_id() -> str:
    return make_msgid(domain=settings.MESSAGE_ID_DOMAIN)


def _email(*, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id},
    )


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = "",
    erase_body_when_done: bool = False,
) -> OutboundMail:
    """Keeps the message, written in ``language`` (the site's default when blank), in the
    caller's transaction (rolled back with it); a worker sends it once that commits.
    ``erase_body_when_done`` for a text holding a secret (an invitation's link): the row
    keeps it only until it is sent or has failed."""
    subject, body = _render(template, context, language=language)
    mail = OutboundMail.objects.create(
        to=to,
        subject=subject,
        body=body,
        template=template,
        message_id=_message_id(),
        next_attempt_at=timezone.now(),
        erase_body_when_done=erase_body_when_done,
    )
    enqueue_on_commit("forums.send_outbound_mail", mail.pk)
    return mail


def outbound_send(*, mail_id: int, connection=None) -> tuple[str, int]:
    """Sends one queued message if it is due and nobody else holds it, and records the
    result (``outbox_settle``). Returns (the status it was left in, seconds until its next
    attempt); ("", 0) when there was nothing to send."""
    claim = outbox_claim(OutboundMail, pk=mail_id)
    if claim is None:
        return "", 0
    mail = OutboundMail.objects.get(pk=mail_id)
    error = None
    try:
        message = _email(
            to=mail.to, subject=mail.subject, body=mail.body, message_id=mail.message_id
        )
        message.connection = connection
        message.send(fail_silently=False)
    except Exception as exc:  # settled, whatever it was: a claimed row never stays "sending"
        error = exc
    return outbox_settle(OutboundMail, claim=claim, error=error)


def outbound_resume() -> int:
    """Run periodically (on its own queue: never behind a backlog). Messages a dead
    process left "sending" go back to the queue; those due for a while (their task message
    was lost) are handed to the workers again. Returns how many."""
    ids = outbox_reclaim(OutboundMail) + outbox_due_again(OutboundMail, limit=RESUME_BATCH)
    for pk in ids:
        enqueue("forums.send_outbound_mail", pk)
    return len(ids)


# --- One SMTP connection per worker process ------------------------------------------------

_smtp = threading.local()


def worker_connection():
    """This worker process's SMTP connection, opened once and reused by every message it
    sends (a connection costs a TCP handshake, the greeting, EHLO and, in production,
    STARTTLS and AUTH: more than sending one message). Checked with NOOP before reuse, since
    servers close idle connections; None if the server cannot be reached, so the message
    opens its own and records why it failed."""
    connection = getattr(_smtp, "connection", None)
    if connection is not None:
        try:
            if connection.connection is not None and connection.connection.noop()[0] == 250:
                return connection
        except (smtplib.SMTPException, OSError):
            pass
        worker_connection_drop()
    connection = get_connection(fail_silently=False)
    if not isinstance(connection, SMTPBackend):
        return None  # console, in-memory: nothing to keep open
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        return None
    _smtp.connection = connection
    return connection


def worker_connection_drop() -> None:
    """Closes this process's SMTP connection: the next message starts afresh (after any
    outcome but "sent", the connection's state is not to be trusted)."""
    connection, _smtp.connection = getattr(_smtp, "connection", None), None
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
