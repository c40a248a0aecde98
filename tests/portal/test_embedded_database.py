"""`make run` keeps its data in SQLite, which has no row locks: two requests writing at
once (a double click on "Circulate", two staff pressing "Send again") must wait their
turn, not fail with "database is locked" (a 500)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Two threads each read, think, then write inside one transaction: with SQLite's default
# (deferred) transactions both hold a read lock and neither can upgrade it.
SCRIPT = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE clicks (n integer)")
errors, start = [], threading.Barrier(2)

def click():
    start.wait()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM clicks")
                time.sleep(0.3)
                cursor.execute("INSERT INTO clicks VALUES (1)")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=click) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM clicks")
    print(cursor.fetchone()[0], errors)
"""


def test_two_writers_at_once_on_the_embedded_database_both_succeed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "2 []"


@pytest.mark.slow
def test_every_migration_applies_to_the_embedded_database(tmp_path):
    """`make run` migrates a new SQLite file: a migration only PostgreSQL can run (an
    index with NULLS LAST, a trigger) must be skipped there, not stop the command."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    run = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert (run.returncode, run.stderr[-2000:]) == (0, "")
