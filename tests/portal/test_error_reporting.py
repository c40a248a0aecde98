"""Error reports (portal/error_reporting.py): nothing starts without SENTRY_DSN; with one,
a view's unhandled exception reaches an HTTP server on loopback that stands in for
Sentry, with the request id and without the visitor's cookies or address."""

import gzip
import json
import os
import subprocess
import sys
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest
import sentry_sdk

from tests.celery_worker import worker_test_environment

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, sentry_sdk
django.setup()
from django.conf import settings
from django.test import Client
from django.urls import clear_url_caches
print("active" if sentry_sdk.is_initialized() else "inactive")
if sentry_sdk.is_initialized():
    settings.ROOT_URLCONF = "tests.portal.error_urls"
    clear_url_caches()
    response = Client(raise_request_exception=False).get(
        "/fail/", HTTP_X_REQUEST_ID=REQUEST_ID, HTTP_COOKIE="sessionid=cookie-secret-value",
        REMOTE_ADDR="203.0.113.9",
    )
    print(response.status_code)
    sentry_sdk.flush(timeout=10)
"""


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def sentry_stand_in():
    Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def run(request_id: str, **env: str) -> list[str]:
    environment = {**os.environ, **worker_test_environment(), **env}
    completed = subprocess.run(
        [sys.executable, "-c", f"REQUEST_ID = {request_id!r}\n" + SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout.split()


def test_no_error_reporting_starts_in_this_process_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.is_initialized() is False


@pytest.mark.django_db
def test_nothing_is_sent_without_a_dsn(sentry_stand_in):
    assert run(uuid.uuid4().hex, SENTRY_DSN="") == ["inactive"]
    assert Collector.received == []


@pytest.mark.django_db
def test_an_unhandled_exception_is_reported_without_personal_data(sentry_stand_in):
    request_id = uuid.uuid4().hex
    port = sentry_stand_in.server_address[1]

    output = run(request_id, SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42")

    assert output == ["active", "500"]
    events = [
        json.loads(line)
        for body in Collector.received
        for line in body.splitlines()
        if b'"exception"' in line
    ]
    assert len(events) == 1
    [event] = events
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == (
        "RuntimeError",
        "the view failed on purpose",
    )
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "production"
    everything = b"".join(Collector.received)
    assert b"cookie-secret-value" not in everything
    assert b"203.0.113.9" not in everything
