"""Structured logs (portal/logs.py, portal/celery.py): one JSON object a line with the
request id, which a Celery task enqueued under that id logs too, in a real worker."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django_guid import clear_guid, set_guid

from core.jobs import enqueue
from tests.celery_worker import WorkerProcess, wait_for
from tests.redis_server import RedisServer, use_broker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def console():
    """What the console handler that settings.LOGGING configured writes, as JSON lines."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    handler.setStream(previous)
    clear_guid()


def _log_format(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "LOG_FORMAT")}
    environment.update({"SECRET_KEY": "x" * 50, **env})
    script = (
        "import portal.settings as s; "
        "print(s.LOG_FORMAT, s.LOGGING['handlers']['console']['formatter'])"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_logs_are_json_unless_debug_or_asked_for_text():
    assert _log_format() == "json json"
    assert _log_format(DEBUG="1") == "text text"
    assert _log_format(DEBUG="1", LOG_FORMAT="json") == "json json"
    assert _log_format(LOG_FORMAT="text") == "text text"


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_its_request_id(client, console):
    request_id = uuid.uuid4().hex

    response = client.get("/healthz", HTTP_X_REQUEST_ID=request_id)

    assert response["X-Request-ID"] == request_id
    [line] = [line for line in console() if line["logger"] == "portal.request"]
    assert {k: v for k, v in line.items() if k not in ("time", "process", "duration_ms")} == {
        "level": "INFO",
        "logger": "portal.request",
        "message": "GET /healthz 200",
        "method": "GET",
        "path": "/healthz",
        "view": "healthz",
        "status": 200,
        "request_id": request_id,
        "task_id": "",
        "task_name": "",
    }
    assert line["time"].endswith("+00:00")
    assert isinstance(line["duration_ms"], float)


@pytest.mark.django_db
def test_a_request_without_an_id_or_with_one_not_a_uuid_gets_a_new_one(client, console):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]

    assert len(first) == 32 and len(second) == 32 and first != second
    assert "<script>" not in json.dumps(console())
    assert [line["request_id"] for line in console() if line["logger"] == "portal.request"] == [
        first,
        second,
    ]


def test_an_exception_is_logged_with_its_traceback(console):
    set_guid("abc123")
    try:
        raise ValueError("the reason")
    except ValueError:
        logging.getLogger("portal.test").exception("it failed")

    [line] = console()
    assert (line["message"], line["request_id"], line["level"]) == ("it failed", "abc123", "ERROR")
    assert line["exc_info"].splitlines()[-1] == "ValueError: the reason"


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db
def test_a_task_logs_the_request_id_of_the_request_that_enqueued_it(tmp_path):
    """A real worker on a Redis of its own: its log line for the task carries the id that
    was current where the task was enqueued, and the task's id and name."""
    redis = RedisServer().start()
    previous = use_broker(redis.url)
    worker = WorkerProcess(
        name="logs", concurrency=1, env={"CELERY_BROKER_URL": redis.url, "LOG_FORMAT": "json"}
    )
    try:
        worker.start()
        request_id = uuid.uuid4().hex
        set_guid(request_id)
        enqueue("core.beat_heartbeat")
        clear_guid()

        def finished() -> list[dict]:
            lines = [json.loads(line) for line in worker.output if line.startswith("{")]
            return [line for line in lines if "succeeded in" in line["message"]]

        wait_for(lambda: finished(), timeout=30, message="".join(worker.output[-30:]))
        [line] = finished()
        assert line["request_id"] == request_id
        assert line["task_name"] == "core.beat_heartbeat"
        assert f"core.beat_heartbeat[{line['task_id']}] succeeded in" in line["message"]
    finally:
        worker.stop()
        use_broker(previous)
        redis.kill()


@pytest.mark.worker
@pytest.mark.slow
def test_the_workers_loglevel_rules_celerys_own_lines_under_a_quieter_log_level():
    """LOG_LEVEL=WARNING quiets the portal, but `celery worker --loglevel=INFO` still says
    "ready." (what WorkerProcess, and a supervisor, wait for)."""
    redis = RedisServer().start()
    worker = WorkerProcess(
        name="quiet",
        concurrency=1,
        env={"CELERY_BROKER_URL": redis.url, "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING"},
    )
    try:
        worker.start(timeout=30)
        [ready] = [
            json.loads(line)
            for line in worker.output
            if line.startswith("{") and line.rstrip().endswith("}") and " ready." in line
        ]
        assert (ready["level"], ready["message"]) == ("INFO", "quiet@localhost ready.")
    finally:
        worker.stop()
        redis.kill()
