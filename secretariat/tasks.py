"""Celery entry points: each loads by id and calls one service; all are safe to run twice."""

import contextlib
import smtplib
import threading

from celery import shared_task
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from secretariat.services.circulation import (
    Outcome,
    circulation_prepare,
    deliveries_resume,
    delivery_send,
)
from secretariat.services.documents import document_render, documents_refresh

_smtp = threading.local()


def _smtp_connection():
    """This worker process's SMTP connection, opened once and reused by every delivery it
    sends (a connection costs a TCP handshake, the greeting, EHLO and, in production,
    STARTTLS and AUTH: more than sending one message). Checked with NOOP before reuse, since
    servers close idle connections; None if the server cannot be reached, so the delivery
    opens its own and records why it failed."""
    connection = getattr(_smtp, "connection", None)
    if connection is not None:
        try:
            if connection.connection is not None and connection.connection.noop()[0] == 250:
                return connection
        except (smtplib.SMTPException, OSError):
            pass
        _smtp_drop()
    connection = get_connection(fail_silently=False)
    if not isinstance(connection, SMTPBackend):
        return None  # console, in-memory: nothing to keep open
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        return None
    _smtp.connection = connection
    return connection


def _smtp_drop() -> None:
    connection, _smtp.connection = getattr(_smtp, "connection", None), None
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


@shared_task(name="secretariat.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery. A temporary failure schedules the next attempt; the periodic
    ``resume_deliveries`` catches any attempt whose task message was lost. After anything
    but a sent message the connection is closed: the next delivery starts afresh."""
    outcome = delivery_send(delivery_id=delivery_id, connection=_smtp_connection())
    if outcome.status not in (Outcome.SENT, Outcome.SKIPPED):
        _smtp_drop()
    if outcome.status == Outcome.RETRY:
        deliver.apply_async((delivery_id,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="secretariat.prepare_circulation", acks_late=True, ignore_result=True)
def prepare_circulation(circulation_id: int) -> str:
    """Render the circulated paper if needed, keep its PDF with the circulation, and hand
    the deliveries to the workers (a failure is recorded on the circulation)."""
    circulation = circulation_prepare(circulation_id=circulation_id)
    return circulation.status if circulation is not None else "skipped"


@shared_task(name="secretariat.resume_deliveries", ignore_result=True)
def resume_deliveries() -> int:
    """Periodic: hands stuck and overdue deliveries back to the workers."""
    return deliveries_resume()


@shared_task(name="secretariat.render_document", acks_late=True, ignore_result=True)
def render_document(document_type: str, object_id: int) -> str:
    """Render a document's current version to PDF (a newer edit wins over an older render)."""
    return document_render(document_type=document_type, object_id=object_id).status


@shared_task(name="secretariat.refresh_documents", ignore_result=True)
def refresh_documents() -> int:
    """Periodic: renders again every document whose PDF no longer shows what it says."""
    return documents_refresh()
