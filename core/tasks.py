"""Celery entry points of the core app."""

from celery import shared_task

from core.heartbeat import HEARTBEAT_TASK, RAN, heartbeat_record


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def beat_heartbeat() -> None:
    """Periodic (every BEAT_HEARTBEAT_SECONDS): a worker ran what beat sent, and when.
    /metrics shows it; ``manage.py healthcheck --beat`` checks it is fresh."""
    heartbeat_record(kind=RAN)
