"""Fixtures of the secretariat's tests."""

import pytest

from portal.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Tasks run in this process when enqueued: the real task, without a worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
