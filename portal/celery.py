"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_init

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
