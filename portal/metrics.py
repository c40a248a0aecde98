"""``/metrics`` for Prometheus (docs/adr/0031, README "Monitoring").

Request latency is counted by a middleware as requests come; everything else is read at
scrape time by ``PortalCollector`` in a fixed number of queries (three, whatever the
number of rows) and one round trip to the broker's Redis. Under gunicorn the latency of
every worker process is added up through ``PROMETHEUS_MULTIPROC_DIR``
(docker/gunicorn.conf.py). The answer goes to a bearer token equal to ``METRICS_TOKEN``
or to a signed-in superuser only, and is never cached.
"""

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator

import redis
from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from core.heartbeat import KEYS, RAN, SCHEDULED, broker_client, heartbeat_parse
from mail.enums import MailStatus
from mail.models import OutboundMail
from publications.models import CatalogueGeneration
from secretariat.models import Delivery

logger = logging.getLogger(__name__)

# The Celery queues every worker consumes (settings.CELERY_TASK_ROUTES, docker-compose.yml).
QUEUES = ("celery", "control")
# Celery's Redis transport keeps a queue's prioritised messages in lists of their own.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

# Time-sensitive states of an outbox row: how long the oldest has been in it matters.
# (Sent rows are history: their count is shown, their age is not.)
AGED_STATES = (MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)
# Each outbox: its label, its model, and the field an age is measured from ("owed since":
# OutboundMail's creation; a delivery's last change, as it has no creation time).
OUTBOXES = (("notices", OutboundMail, "created_at"), ("deliveries", Delivery, "updated_at"))

REQUEST_LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from a request's arrival to its answer, by view (URL name), method and status.",
    ["view", "method", "status"],
    registry=None,  # on the registry of each scrape (below), never the global one
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
_LATENCY_REGISTRY = CollectorRegistry(auto_describe=True)
_LATENCY_REGISTRY.register(REQUEST_LATENCY)


class RequestLatencyMiddleware:
    """Observes every request's duration, and logs one line per request (``portal.request``:
    method, path, view, status, duration) that carries its request id. The view label is
    the URL's name (bounded), never the path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match is not None else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method, str(response.status_code)).observe(duration)
        logging.getLogger("portal.request").info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
            },
        )
        return response


class PortalCollector(Collector):
    """The portal's state, read when Prometheus asks."""

    def collect(self) -> Iterator[Metric]:
        yield from self._outboxes()
        yield from self._broker()
        yield self._catalogue()

    def _outboxes(self) -> Iterator[Metric]:
        rows = GaugeMetricFamily(
            "portal_outbox_rows",
            "Outbox rows (e-mails owed) by outbox and state.",
            labels=["outbox", "state"],
        )
        oldest = GaugeMetricFamily(
            "portal_outbox_oldest_age_seconds",
            "Age of the oldest outbox row in a queued, sending or failed state (0 if none).",
            labels=["outbox", "state"],
        )
        failed = GaugeMetricFamily(
            "portal_failed_deliveries",
            "E-mails given up on (state failed: refused, or out of attempts), by outbox.",
            labels=["outbox"],
        )
        now = time.time()
        for label, model, since in OUTBOXES:
            counts = dict.fromkeys(MailStatus.values, (0, None))
            for row in (
                model.objects.order_by().values("status").annotate(n=Count("id"), first=Min(since))
            ):
                counts[row["status"]] = (row["n"], row["first"])
            for state, (n, first) in counts.items():
                rows.add_metric([label, state], n)
                if state in AGED_STATES:
                    age = max(now - first.timestamp(), 0.0) if first is not None else 0.0
                    oldest.add_metric([label, state], age)
            failed.add_metric([label], counts[MailStatus.FAILED][0])
        yield from (rows, oldest, failed)

    def _broker(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("portal_broker_up", "1 if the broker's Redis answered the scrape.")
        depth = GaugeMetricFamily(
            "portal_celery_queue_length",
            "Task messages waiting in a Celery queue (not yet taken by a worker).",
            labels=["queue"],
        )
        ran = GaugeMetricFamily(
            "portal_beat_last_run_timestamp_seconds",
            "Unix time a worker last ran the heartbeat that Celery beat sends (0: never).",
        )
        sent = GaugeMetricFamily(
            "portal_beat_last_sent_timestamp_seconds",
            "Unix time Celery beat last sent its heartbeat task (0: never).",
        )
        client = broker_client()
        try:
            if client is None:
                raise redis.ConnectionError("the broker is not Redis")
            pipe = client.pipeline(transaction=False)
            for queue in QUEUES:
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(queue + suffix)
            pipe.mget([KEYS[SCHEDULED], KEYS[RAN]])
            *lengths, (scheduled, last_run) = pipe.execute()
        except redis.RedisError:
            logger.warning("metrics: the broker does not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        finally:
            if client is not None:
                client.close()
        up.add_metric([], 1)
        step = len(_PRIORITY_SUFFIXES)
        for n, queue in enumerate(QUEUES):
            depth.add_metric([queue], sum(lengths[n * step : (n + 1) * step]))
        ran.add_metric([], heartbeat_parse(last_run) or 0)
        sent.add_metric([], heartbeat_parse(scheduled) or 0)
        yield from (up, depth, ran, sent)

    def _catalogue(self) -> Metric:
        """The catalogue's generation is the time (µs) of the last commit that changed
        what it shows (publications migration 0004): its age is how long the cached
        catalogue has been current."""
        age = GaugeMetricFamily(
            "portal_catalogue_generation_age_seconds",
            "Seconds since the public catalogue last changed (its cache generation).",
        )
        value = CatalogueGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
        if value:
            age.add_metric([], max(time.time() - value / 1_000_000, 0.0))
        return age


def _authorised(request: HttpRequest) -> bool:
    """A bearer token equal to METRICS_TOKEN (compared in constant time; no token is
    accepted while it is empty), else a signed-in superuser's session."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if given.startswith("Bearer "):
        return bool(token) and hmac.compare_digest(
            given.removeprefix("Bearer ").encode(), token.encode()
        )
    return bool(request.user.is_authenticated and request.user.is_superuser)


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, to METRICS_TOKEN's bearer or a superuser; 403 to anyone
    else signed in, 401 to everybody else (nothing of what is inside)."""
    if not _authorised(request):
        if request.user.is_authenticated and "Authorization" not in request.headers:
            return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        latency = CollectorRegistry()
        multiprocess.MultiProcessCollector(latency)
    else:
        latency = _LATENCY_REGISTRY
    state = CollectorRegistry()
    state.register(PortalCollector())
    body = generate_latest(latency) + generate_latest(state)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
