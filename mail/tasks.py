"""Celery entry points of the forums app: each loads by id and calls one service; all are
safe to run twice."""

from celery import shared_task

from mail.enums import MailStatus
from mail.outbox import outbound_resume, outbound_send, worker_connection, worker_connection_drop


@shared_task(name="forums.send_outbound_mail", acks_late=True, ignore_result=True)
def send_outbound_mail(mail_id: int) -> str:
    """Send one message of the outbox. A temporary failure schedules the next attempt;
    the periodic resume catches any attempt whose task message was lost. After anything
    but a sent message the connection is closed: the next message starts afresh."""
    status, retry_in = outbound_send(mail_id=mail_id, connection=worker_connection())
    if status not in (MailStatus.SENT, ""):
        worker_connection_drop()
    if status == MailStatus.QUEUED and not send_outbound_mail.app.conf.task_always_eager:
        # (Run in-process, a "later" would be now: the periodic resume retries instead.)
        send_outbound_mail.apply_async((mail_id,), countdown=retry_in)
    return status


@shared_task(name="forums.resume_outbound_mail", ignore_result=True)
def resume_outbound_mail() -> int:
    """Periodic: hands back to the workers the messages whose task was lost or whose
    sender died."""
    return outbound_resume()
