"""Celery entry points: each loads by id and calls one service; all are safe to run twice."""

from celery import shared_task

from secretariat.services.circulation import Outcome, deliveries_resume, delivery_send
from secretariat.services.documents import document_render


@shared_task(name="secretariat.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery. A temporary failure schedules the next attempt; the periodic
    ``resume_deliveries`` catches any attempt whose task message was lost."""
    outcome = delivery_send(delivery_id=delivery_id)
    if outcome.status == Outcome.RETRY:
        deliver.apply_async((delivery_id,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="secretariat.resume_deliveries", ignore_result=True)
def resume_deliveries() -> int:
    """Periodic: hands stuck and overdue deliveries back to the workers."""
    return deliveries_resume(enqueue=lambda ids: [deliver.delay(pk) for pk in ids])


@shared_task(name="secretariat.render_document", acks_late=True, ignore_result=True)
def render_document(document_type: str, object_id: int) -> str:
    """Render a document's current version to PDF (a newer edit wins over an older render)."""
    return document_render(document_type=document_type, object_id=object_id).status
