"""``manage.py healthcheck`` (the Compose healthchecks of worker and beat): exit 0 when
healthy, an error with the reason when not; against a real worker with beat."""

import time

import pytest
import redis
from django.core.management import CommandError, call_command

from tests.celery_worker import WorkerProcess, wait_for
from tests.redis_server import RedisServer, use_broker


@pytest.fixture
def broker(settings):
    """A Redis of this test's own as the broker (settings and this process's Celery app)."""
    server = RedisServer().start()
    settings.CELERY_BROKER_URL = server.url
    previous = use_broker(server.url)
    client = redis.Redis.from_url(server.url)
    client.url = server.url
    yield client
    client.close()
    use_broker(previous)
    server.kill()


def healthcheck(*args: str) -> str:
    try:
        call_command("healthcheck", *args)
    except CommandError as error:
        return f"unhealthy: {error}"
    return "healthy"


@pytest.mark.django_db
def test_the_default_check_is_the_database():
    assert healthcheck() == "healthy"


def test_beat_is_unhealthy_until_it_sent_a_heartbeat(broker):
    assert healthcheck("--beat") == "unhealthy: beat has not sent its heartbeat yet"


def test_beat_is_healthy_with_a_fresh_heartbeat_and_not_with_a_stale_one(broker, settings):
    settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS = 100
    broker.set("portal:beat:scheduled", repr(time.time() - 90))
    assert healthcheck("--beat") == "healthy"

    broker.set("portal:beat:scheduled", repr(time.time() - 110))
    assert healthcheck("--beat") == (
        "unhealthy: beat last sent its heartbeat 110 s ago (more than 100 s)"
    )


def test_beat_is_unhealthy_when_the_broker_does_not_answer(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    assert healthcheck("--beat").startswith("unhealthy: the broker does not answer: ")


def test_a_worker_that_does_not_answer_is_unhealthy(broker):
    assert healthcheck("--worker", "--node", "nobody@localhost", "--timeout", "1") == (
        "unhealthy: the worker nobody@localhost did not answer a ping within 1.0 s"
    )


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db
def test_a_running_worker_and_beat_are_healthy(broker, tmp_path):
    worker = WorkerProcess(
        name="health",
        concurrency=1,
        beat=True,
        env={
            "CELERY_BROKER_URL": broker.url,
            "BEAT_HEARTBEAT_SECONDS": "1",
            "BEAT_DIR": str(tmp_path),
        },
    )
    try:
        worker.start()
        assert healthcheck("--worker", "--node", "health@localhost", "--timeout", "10") == (
            "healthy"
        )
        wait_for(
            lambda: broker.get("portal:beat:ran") is not None,
            timeout=30,
            message="".join(worker.output[-30:]),
        )
        assert healthcheck("--beat") == "healthy"
        sent, ran = (float(t) for t in broker.mget("portal:beat:scheduled", "portal:beat:ran"))
        assert time.time() - 30 < sent <= time.time()
        assert time.time() - 30 < ran <= time.time()
    finally:
        worker.stop()
    assert healthcheck("--worker", "--node", "health@localhost", "--timeout", "1") == (
        "unhealthy: the worker health@localhost did not answer a ping within 1.0 s"
    )
