"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_postrun,
    task_prerun,
    worker_init,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_settings(**kwargs) -> None:
    """A worker does not start with settings that would break a delivery guarantee (a
    lease shorter than a send may take): ``manage.py check`` says the same. Celery logs and
    ignores what a signal handler raises, so the process exits with the reason."""
    from mail.checks import lease_outlasts_a_send

    errors = lease_outlasts_a_send(None)
    if errors:
        raise SystemExit(f"The worker does not start: {errors[0].msg} {errors[0].hint}")


@task_prerun.connect
def _database_connection_checked(task=None, **kwargs) -> None:
    """Each task starts as a web request does: a connection past ``CONN_MAX_AGE`` or left
    broken is closed, and the next query checks the kept one first (CONN_HEALTH_CHECKS).
    Celery's own fixup reopens the connection only every ``CELERY_DB_REUSE_MAX`` tasks
    (settings.py): it used to reopen it for each one (docs/adr/0013)."""
    from django.db import close_old_connections

    if task is None or getattr(task.request, "is_eager", False):
        return  # run in the caller's process (make run, tests): its connection, its transaction
    close_old_connections()


# Monitoring (docs/adr/0031): the request id travels with the task message, and the
# worker logs through Django's LOGGING (JSON lines with request and task ids).
REQUEST_ID_HEADER = "request_id"


@setup_logging.connect
def _logging_from_django_settings(loglevel=None, **kwargs) -> None:
    """Celery configures no logging of its own when this signal has a receiver: the
    worker and beat keep the ``LOGGING`` of settings.py, applied when Django started.
    Celery's own loggers follow the command's ``--loglevel`` (what its operator asked
    for, and the "ready." line a supervisor may wait for), the rest ``LOG_LEVEL``."""
    import logging
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger("celery").setLevel(loglevel)


@before_task_publish.connect
def _request_id_sent_with_the_task(sender=None, headers=None, **kwargs) -> None:
    """The id of the request (or task) that enqueues a task goes with its message. Beat
    sending its heartbeat notes the time (core.heartbeat: beat's own sign of life)."""
    from django_guid import get_guid

    from core.heartbeat import HEARTBEAT_TASK, SCHEDULED, heartbeat_record

    request_id = get_guid()
    if request_id and headers is not None:
        headers[REQUEST_ID_HEADER] = request_id
    if sender == HEARTBEAT_TASK:
        heartbeat_record(kind=SCHEDULED)


@task_prerun.connect
def _request_id_taken_up(task=None, **kwargs) -> None:
    """A task logs under the id its message brought, or under a new one (a periodic
    task's run), so the lines of one run can be found together. A task run in the
    caller's process keeps the caller's id."""
    from django_guid import set_guid
    from django_guid.utils import generate_guid

    if task is None or getattr(task.request, "is_eager", False):
        return
    set_guid(task.request.get(REQUEST_ID_HEADER) or generate_guid())


@task_postrun.connect
def _request_id_dropped(task=None, **kwargs) -> None:
    """The next task in this process does not inherit the id."""
    from django_guid import clear_guid

    if task is None or getattr(task.request, "is_eager", False):
        return
    clear_guid()
