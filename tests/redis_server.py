"""A Redis server of the test's own on loopback, which the test may kill and start again
(empty, as a Redis without persistence restarts), and the test process's Celery app
pointed at it."""

import contextlib
import os
import shutil
import socket
import subprocess
import time

from portal.celery import app as celery_app
from tests.smtp import free_port


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe,
        ):
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
        return False

    def kill(self) -> None:
        """SIGKILL: whatever it held (queued task messages) is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self) -> "RedisServer":
        self.kill()
        return self.start()


def use_broker(url: str) -> str:
    """Points this process's Celery app at ``url``; returns the previous one. The app picks
    its connections again from the new setting (as after a fork); the old pools stay open
    for whoever else holds them. Celery reads ``CELERY_BROKER_URL`` from the environment
    before its own setting, so both are set."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    os.environ["CELERY_BROKER_URL"] = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return previous
