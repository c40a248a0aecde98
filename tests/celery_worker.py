"""A real Celery worker in its own process group, on the real Redis broker, against the
test database, for tests that need one (and can kill it)."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_test_environment() -> dict[str, str]:
    """The test settings, pointed at the test database and the configured broker."""
    db = settings.DATABASES["default"]
    host = db["HOST"] or "127.0.0.1"
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{db['PORT'] or 5432}"
        f"/{connection.settings_dict['NAME']}"
    )
    return {
        "DJANGO_SETTINGS_MODULE": "portal.test_settings",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


class WorkerProcess:
    def __init__(
        self,
        *,
        name: str,
        env: dict[str, str],
        concurrency: int = 2,
        beat: bool = False,
        settings_env: dict[str, str] | None = None,
    ):
        """``settings_env`` chooses the settings and database (by default the test settings
        on the test database); ``env`` adds what the caller needs on top."""
        self.env = {
            **os.environ,
            **(settings_env if settings_env is not None else worker_test_environment()),
            **env,
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            "-Q",
            "celery,control",
            f"--concurrency={concurrency}",
            f"--hostname={name}@localhost",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        if beat:
            self.args += [
                "--beat",
                "--schedule",
                str(Path(env.get("BEAT_DIR", "/tmp")) / f"{name}-beat"),
            ]
        self.output: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "WorkerProcess":
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(" ready." in line for line in self.output):
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the Celery worker did not start:\n" + "".join(self.output[-50:]))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def pids(self) -> list[int]:
        """The main process and its pool children (for memory readings)."""
        if not self.process:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        extra = children.read_text().split() if children.exists() else []
        return [self.process.pid, *map(int, extra)]

    def kill(self) -> None:
        """SIGKILL to the whole process group: the main process and its pool children."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, *, timeout: float, interval: float = 0.2, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(message or "condition not reached in time")
