"""Celery entry points of the forums app."""

from celery import shared_task

from forums.mail import outbound_resume


@shared_task(name="forums.resume_outbound_mail", ignore_result=True)
def resume_outbound_mail() -> int:
    """Periodic: sends the notices that could not be sent right after their commit."""
    return outbound_resume()
