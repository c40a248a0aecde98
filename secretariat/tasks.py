"""Celery entry points: each loads by id and calls one service; all are safe to run twice."""

from celery import shared_task

from mail.outbox import worker_connection, worker_connection_drop
from secretariat.services.annual_report import annual_reports_prepare_all
from secretariat.services.circulation import (
    Outcome,
    circulation_prepare,
    deliveries_resume,
    delivery_send,
)


@shared_task(name="secretariat.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery. A temporary failure schedules the next attempt; the periodic
    ``resume_deliveries`` catches any attempt whose task message was lost. After anything
    but a sent message the connection is closed: the next delivery starts afresh."""
    outcome = delivery_send(delivery_id=delivery_id, connection=worker_connection())
    if outcome.status not in (Outcome.SENT, Outcome.SKIPPED):
        worker_connection_drop()
    if outcome.status == Outcome.RETRY and not deliver.app.conf.task_always_eager:
        # (Run in-process, a "later" would be now: the periodic resume retries instead.)
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


@shared_task(name="secretariat.prepare_annual_reports", ignore_result=True)
def prepare_annual_reports() -> int:
    """Periodic: makes the annual reports of every forum's years that are missing."""
    return annual_reports_prepare_all()
