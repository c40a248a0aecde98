#!/bin/sh
# Container entrypoint: with RUN_MIGRATIONS=1, wait for the database and apply migrations,
# then run the given command (gunicorn, celery worker, celery beat, manage.py ...).
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    attempts="${DB_WAIT_ATTEMPTS:-30}"
    n=1
    while :; do
        rc=0
        # Exit status 75 (EX_TEMPFAIL) means "database not reachable yet"; anything else
        # (bad settings, missing SECRET_KEY, ...) is not worth retrying.
        python -c '
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.db import OperationalError, connection

try:
    connection.ensure_connection()
except OperationalError as exc:
    print("entrypoint: database not ready:", str(exc).strip().splitlines()[0], file=sys.stderr)
    sys.exit(75)
' || rc=$?
        [ "$rc" -eq 0 ] && break
        if [ "$rc" -ne 75 ]; then
            echo "entrypoint: cannot check the database (error above)" >&2
            exit "$rc"
        fi
        if [ "$n" -ge "$attempts" ]; then
            echo "entrypoint: database not reachable after $n attempts, giving up" >&2
            exit 1
        fi
        echo "entrypoint: waiting for the database ($n/$attempts)" >&2
        n=$((n + 1))
        sleep 2
    done

    echo "entrypoint: applying migrations" >&2
    python manage.py migrate --noinput
fi

exec "$@"
