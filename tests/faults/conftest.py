"""The fault matrix's parts, all real: a Redis of the test's own that a test may kill or
restart empty (the test process and the workers both use it), Celery worker processes with
their beat, an SMTP server on loopback that misbehaves on demand, and PostgreSQL."""

import pytest

from tests.celery_worker import WorkerProcess
from tests.redis_server import RedisServer, use_broker
from tests.smtp import SmtpSink

# Quick enough for a test, legal for the start-up check (lease ≥ 8 × timeout + 8).
EMAIL_TIMEOUT = 2
LEASE = 24


@pytest.fixture
def redis():
    server = RedisServer().start()
    previous = use_broker(server.url)
    yield server
    use_broker(previous)
    server.kill()


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def name_of(worker) -> str:
    return next(arg for arg in worker.args if arg.startswith("--hostname="))[11:]


@pytest.fixture
def workers(smtp, redis, private_media, tmp_path):
    """Starts a worker (two pool processes and its beat, which runs the resume tasks every
    second) on the test's Redis, SMTP server and database."""
    started = []

    def start(name="w1", *, concurrency=2, beat=True, **env):
        worker = WorkerProcess(
            name=name,
            concurrency=concurrency,
            beat=beat,
            env={
                "CELERY_BROKER_URL": redis.url,
                "EMAIL_URL": smtp.url,
                "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
                "PRIVATE_MEDIA_ROOT": str(private_media),
                "MEDIA_ROOT": str(private_media.parent / "public"),
                "DELIVERY_RETRY_BASE_SECONDS": "1",
                "DELIVERY_RESUME_EVERY_SECONDS": "1",
                "DELIVERY_RESUME_GRACE_SECONDS": "2",
                "DELIVERY_LEASE_SECONDS": str(LEASE),
                "BEAT_DIR": str(tmp_path),
                **env,
            },
        )
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
        # What the worker said, for a failing test's report (pytest shows it then).
        said = [
            line
            for line in worker.output
            if line.startswith(("[", "{")) and "succeeded in" not in line
        ]
        print(f"--- worker {name_of(worker)} ---\n" + "".join(said[-80:]))
