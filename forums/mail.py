"""The portal's templated notices: rendered in the site's default language, with a
Message-ID of our own domain.

Two ways to send one. ``mail_queue`` keeps it as an ``OutboundMail`` row written in the
caller's transaction and sends it right after commit; a notice that could not be sent
stays queued and ``outbound_resume`` (run periodically by Celery beat) tries again with a
backoff, so a notice is never lost to an SMTP server that is down (docs/adr/0005).
``templated_mail_send`` sends at once and returns the error: for invitations, whose text
holds a token the database must never store.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forums.enums import MailStatus
from forums.models import OUTBOX_WORKFLOW, OutboundMail

logger = logging.getLogger(__name__)
RESUME_BATCH = 200


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def canonical_host() -> str:
    """The portal's host name from SITE_URL: stable identifiers (feed entry ids, calendar
    UIDs) use it whatever host a request came in on."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def smtp_error(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason). 5xx answers are permanent; 4xx answers, refused or dropped
    connections and time-outs are temporary."""
    code, text = None, ""
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


def outbox_claim(model, *, pk: int) -> bool:
    """Takes one due, queued row of an outbox (``OutboundMail``, a circulation's
    ``Delivery``: rows with ``status``, ``attempts``, ``next_attempt_at``, ``claimed_at``,
    ``last_error``, ``sent_at``) for this sender: one conditional UPDATE, committed before
    anything is sent, so a second sender (or a retried task) finds nothing to claim."""
    now = timezone.now()
    claimed = (
        model.objects.filter(pk=pk, status__in=OUTBOX_WORKFLOW.sources(MailStatus.SENDING))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return bool(claimed)


def outbox_settle(model, *, pk: int, attempts: int, error: Exception | None) -> tuple[str, int]:
    """Records how sending a claimed row ended: sent; failed with the server's reason on a
    permanent refusal, on an error that is not the server's (the message itself could not
    be made: nothing will change that) or after DELIVERY_MAX_ATTEMPTS; otherwise queued
    again after ``retry_delay``. Only a row still "sending" is changed. Returns (its
    status, seconds until the next attempt)."""
    sending = model.objects.filter(pk=pk, status=MailStatus.SENDING)
    if error is None:
        sending.update(status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
        return MailStatus.SENT, 0
    if isinstance(error, smtplib.SMTPException | OSError):
        permanent, reason = smtp_error(error)
    else:
        permanent, reason = True, f"the message could not be made: {type(error).__name__}: {error}"
    if permanent or attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        if not permanent:
            reason = f"gave up after {attempts} attempts: {reason}"
        sending.update(status=MailStatus.FAILED, last_error=reason[:1000])
        logger.warning("%s %s failed: %s", model._meta.model_name, pk, reason)
        return MailStatus.FAILED, 0
    delay = retry_delay(attempts)
    sending.update(
        status=MailStatus.QUEUED,
        last_error=reason,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    logger.info("%s %s will be retried in %s s: %s", model._meta.model_name, pk, delay, reason)
    return MailStatus.QUEUED, delay


def outbox_reclaim(model) -> int:
    """Puts back in the queue the rows left "sending" longer than DELIVERY_LEASE_SECONDS:
    the process that held them died. Returns how many."""
    now = timezone.now()
    lease = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    return model.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - lease).update(
        status=MailStatus.QUEUED,
        next_attempt_at=now,
        last_error="interrupted while sending; queued again",
    )


def outbox_requeue_failed(model, *, ids) -> int:
    """Queues the failed rows among ``ids`` again, with a fresh count of attempts (staff
    asked to send them again); rows in any other status are left alone. Returns how many."""
    OUTBOX_WORKFLOW.check(model, MailStatus.FAILED, MailStatus.QUEUED)
    return model.objects.filter(pk__in=ids, status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, last_error="", next_attempt_at=timezone.now()
    )


def render_text(template: str, context: dict) -> str:
    """A plain-text template (an e-mail) rendered in the site's default language, as plain
    ``str``: text templates turn autoescaping off, and Django marks what a template renders
    as safe HTML, so without this a member's words in it would pass as markup wherever the
    text is shown in a page (a preview)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str.__str__(render_to_string(template, context))


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = " ".join(render_text(f"{template}_subject.txt", context).split())
    return subject, render_text(f"{template}_body.txt", context)


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


def templated_mail_send(*, to: str, template: str, context: dict) -> str:
    """Sends ``<template>_subject.txt`` / ``<template>_body.txt`` to one address now.
    Returns "" when the server accepted it, else the error."""
    subject, body = _render(template, context)
    message = _email(to=to, subject=subject, body=body, message_id=_message_id())
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        return smtp_error(exc)[1]
    return ""


def mail_queue(*, to: str, template: str, context: dict) -> OutboundMail:
    """Keeps the notice in the caller's transaction (rolled back with it) and sends it
    after commit."""
    subject, body = _render(template, context)
    mail = OutboundMail.objects.create(
        to=to, subject=subject, body=body, template=template, message_id=_message_id()
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: outbound_send(mail_id=mail_id))
    return mail


def outbound_send(*, mail_id: int, connection=None) -> str:
    """Sends one queued notice if it is due and nobody else holds it, and records the
    result (``outbox_settle``). Returns the status it was left in ("" when there was
    nothing to send)."""
    if not outbox_claim(OutboundMail, pk=mail_id):
        return ""
    mail = OutboundMail.objects.get(pk=mail_id)
    message = _email(to=mail.to, subject=mail.subject, body=mail.body, message_id=mail.message_id)
    message.connection = connection
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # settled, whatever it was: a claimed row never stays "sending"
        return outbox_settle(OutboundMail, pk=mail_id, attempts=mail.attempts, error=exc)[0]
    return outbox_settle(OutboundMail, pk=mail_id, attempts=mail.attempts, error=None)[0]


def outbound_resume() -> int:
    """Run periodically. Notices a dead process left "sending" go back to the queue; then
    every due queued notice is sent (at most RESUME_BATCH a run, over one SMTP
    connection). Returns how many were sent."""
    outbox_reclaim(OutboundMail)
    now = timezone.now()
    due = list(
        OutboundMail.objects.filter(status=MailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:RESUME_BATCH]
    )
    connection = _open_connection() if due else None
    sent = 0
    for pk in due:
        status = outbound_send(mail_id=pk, connection=connection)
        sent += status == MailStatus.SENT
        if status not in (MailStatus.SENT, "") and connection is not None:
            connection.close()  # after a failure each notice opens its own again
            connection = None
    if connection is not None:
        connection.close()
    return sent


def _open_connection():
    """An open SMTP connection, or None when the server cannot be reached (each send then
    opens its own and records why it failed)."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        return None
    return connection
