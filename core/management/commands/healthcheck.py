"""``manage.py healthcheck [--worker | --beat]``: exit status 0 when healthy, 1 with the
reason on stderr when not; for the Compose healthchecks of the worker and beat
containers (docs/adr/0031, README "Monitoring")."""

import socket
import time

import redis
from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from core.heartbeat import SCHEDULED, heartbeat_times


class Command(BaseCommand):
    help = (
        "Exit 0 if this process kind is healthy: by default the database answers; --worker: "
        "this node's Celery worker answers a ping through the broker; --beat: Celery beat "
        "sent its heartbeat within BEAT_HEARTBEAT_MAX_AGE_SECONDS."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--worker", action="store_true", help="check this node's worker")
        kind.add_argument("--beat", action="store_true", help="check beat's heartbeat")
        parser.add_argument(
            "--node",
            default=f"celery@{socket.gethostname()}",
            help="the worker's node name (default: celery@<this host's name>)",
        )
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="seconds to wait for a worker's answer"
        )

    def handle(self, *args, worker: bool, beat: bool, node: str, timeout: float, **options):
        if worker:
            self._worker(node=node, timeout=timeout)
        elif beat:
            self._beat()
        else:
            self._database()
        self.stdout.write("ok")

    def _database(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as exc:
            raise CommandError(f"the database does not answer: {exc}") from None

    def _worker(self, *, node: str, timeout: float) -> None:
        try:
            with current_app.connection_for_write() as broker:
                broker.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
        except Exception as exc:  # whatever the transport raises
            raise CommandError(f"the broker does not answer: {exc}") from None
        answers = current_app.control.ping(destination=[node], timeout=timeout)
        if not any(node in answer for answer in answers):
            raise CommandError(f"the worker {node} did not answer a ping within {timeout} s")

    def _beat(self) -> None:
        try:
            sent = heartbeat_times()[SCHEDULED]
        except redis.RedisError as exc:
            raise CommandError(f"the broker does not answer: {exc}") from None
        if sent is None:
            raise CommandError("beat has not sent its heartbeat yet")
        age = time.time() - sent
        if age > settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS:
            raise CommandError(
                f"beat last sent its heartbeat {age:.0f} s ago "
                f"(more than {settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS:.0f} s)"
            )
