"""Benchmarks of the catalogue, the web server, PDF rendering and circulation at scale
(``make bench``, ``make bench SCALE=small``; see README.md, "Performance").

Not part of the test suite: it needs a database of its own (``portal_bench``), builds a
large synthetic data set there once, and takes minutes.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
WORK_DIR = Path(tempfile.gettempdir()) / "portal-bench"


@dataclass(frozen=True)
class Scale:
    name: str
    institutes: int
    publications: int
    meetings: int
    catalogue_runs: int
    load_seconds: float
    pdf_runs: int
    emails: int
    big_emails: int


SCALES = {
    "full": Scale("full", 300, 100_000, 2_000, 40, 30.0, 5, 1_000, 10_000),
    "small": Scale("small", 30, 10_000, 200, 20, 10.0, 3, 1_000, 10_000),
    # Not a measurement: proves in seconds that every part still runs (tests/test_bench.py).
    "tiny": Scale("tiny", 10, 300, 20, 3, 2.0, 2, 50, 100),
}


def environment() -> dict[str, str]:
    """The settings every bench process runs with (this one, gunicorn, the Celery worker):
    production settings on loopback, without the HTTPS redirect or a static manifest."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret-0123456789abcdef",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_STORAGE_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "media-private"),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL") or "redis://127.0.0.1:6379/13",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "LOG_LEVEL": "WARNING",
        "MFA_REQUIRED_FOR_STAFF": "0",
    }


def configure() -> None:
    """Sets the bench environment in this process and starts Django."""
    os.environ.update(environment())
    (WORK_DIR / "static").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def rss_peak_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB; 0 if it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_of(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found
