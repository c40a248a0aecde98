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

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forums.enums import MailStatus
from forums.models import OutboundMail

logger = logging.getLogger(__name__)
RESUME_BATCH = 200


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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


def outbox_claim(model, *, pk: int, queued: str, sending: str) -> bool:
    """Takes one due, queued row of an outbox (``OutboundMail``, a circulation's
    ``Delivery``: rows with ``status``, ``attempts``, ``next_attempt_at``, ``claimed_at``)
    for this sender: one conditional UPDATE, committed before anything is sent, so a second
    sender (or a retried task) finds nothing to claim."""
    now = timezone.now()
    claimed = (
        model.objects.filter(pk=pk, status=queued)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=sending, claimed_at=now, attempts=F("attempts") + 1)
    )
    return bool(claimed)


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def _message_id() -> str:
    return make_msgid(domain=settings.MESSAGE_ID_DOMAIN)


def templated_mail_send(*, to: str, template: str, context: dict) -> str:
    """Sends ``<template>_subject.txt`` / ``<template>_body.txt`` to one address now.
    Returns "" when the server accepted it, else the error."""
    subject, body = _render(template, context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": _message_id()},
    )
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


def outbound_send(*, mail_id: int) -> str:
    """Sends one queued notice if it is due and nobody else holds it (a conditional UPDATE
    claims it first), and records the result: sent; failed with the server's reason on a
    permanent refusal or after the last attempt; otherwise queued again with a backoff.
    Returns the status it was left in ("" when there was nothing to send)."""
    if not outbox_claim(
        OutboundMail, pk=mail_id, queued=MailStatus.QUEUED, sending=MailStatus.SENDING
    ):
        return ""
    mail = OutboundMail.objects.get(pk=mail_id)
    sending = OutboundMail.objects.filter(pk=mail_id, status=MailStatus.SENDING)
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Message-ID": mail.message_id},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        permanent, reason = smtp_error(exc)
        if permanent or mail.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            if not permanent:
                reason = f"gave up after {mail.attempts} attempts: {reason}"
            sending.update(status=MailStatus.FAILED, last_error=reason)
            logger.warning("notice %s to %s failed: %s", mail.pk, mail.to, reason)
            return MailStatus.FAILED
        sending.update(
            status=MailStatus.QUEUED,
            last_error=reason,
            next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(mail.attempts)),
        )
        logger.info("notice %s to %s will be retried: %s", mail.pk, mail.to, reason)
        return MailStatus.QUEUED
    sending.update(status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return MailStatus.SENT


def outbound_resume() -> int:
    """Run periodically. A notice left "sending" longer than DELIVERY_LEASE_SECONDS was
    held by a process that died: it goes back to the queue. Then every due queued notice
    is sent (at most RESUME_BATCH a run). Returns how many were sent."""
    now = timezone.now()
    lease = timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    OutboundMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - lease).update(
        status=MailStatus.QUEUED, next_attempt_at=now
    )
    due = (
        OutboundMail.objects.filter(status=MailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:RESUME_BATCH]
    )
    return sum(outbound_send(mail_id=pk) == MailStatus.SENT for pk in list(due))
