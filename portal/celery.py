"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import worker_init

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
