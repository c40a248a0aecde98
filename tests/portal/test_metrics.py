"""/metrics (portal/metrics.py): refused to anybody but METRICS_TOKEN's bearer and
superusers; every named series there, with the values of the rows and broker keys seeded
here; a fixed number of queries whatever the number of rows."""

import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from mail.enums import MailStatus
from mail.models import OutboundMail
from publications.models import CatalogueGeneration
from secretariat.models import Delivery
from tests import factories as f
from tests.redis_server import RedisServer

TOKEN = "scrape-token-0123456789abcdef"
SERIES = {
    "portal_http_request_duration_seconds",
    "portal_celery_queue_length",
    "portal_outbox_rows",
    "portal_outbox_oldest_age_seconds",
    "portal_failed_deliveries",
    "portal_broker_up",
    "portal_beat_last_run_timestamp_seconds",
    "portal_beat_last_sent_timestamp_seconds",
    "portal_catalogue_generation_age_seconds",
}


@pytest.fixture(scope="module")
def broker_server():
    server = RedisServer().start()
    yield server
    server.kill()


@pytest.fixture
def broker(settings, broker_server):
    """The broker's Redis, a server of this test's own, empty."""
    settings.CELERY_BROKER_URL = broker_server.url
    client = redis.Redis.from_url(broker_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def samples(body: bytes) -> dict[tuple, float]:
    """{(sample name, ((label, value), ...)): value} of a Prometheus text answer."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def families(body: bytes) -> dict[str, str]:
    return {m.name: m.documentation for m in text_string_to_metric_families(body.decode())}


def _outbound(status: str, age_seconds: float = 0) -> OutboundMail:
    mail = OutboundMail.objects.create(
        to="someone@example.org",
        subject="s",
        body="b",
        template="t",
        message_id=f"<{time.monotonic_ns()}@test>",
        status=status,
        sent_at=timezone.now() if status == MailStatus.SENT else None,
    )
    OutboundMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(seconds=age_seconds)
    )
    return mail


def _delivery(status: str, age_seconds: float = 0) -> Delivery:
    delivery = f.DeliveryFactory(
        status=status, sent_at=timezone.now() if status == MailStatus.SENT else None
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        updated_at=timezone.now() - timedelta(seconds=age_seconds)
    )
    return delivery


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "authorization", "status"),
    [
        ("anonymous", None, 401),
        ("anonymous", "Bearer wrong-token", 401),
        ("anonymous", f"Basic {TOKEN}", 401),
        ("anonymous", f"Bearer {TOKEN}x", 401),
        ("member", None, 403),
        ("cica", None, 403),
        ("cica", "Bearer wrong-token", 401),
        ("superuser", "Bearer wrong-token", 401),
        ("anonymous", f"Bearer {TOKEN}", 200),
        ("superuser", None, 200),
    ],
)
def test_metrics_answer_only_the_token_and_superusers(
    client, log_in_as, broker, token, who, authorization, status
):
    log_in_as(who)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    _outbound(MailStatus.FAILED)

    response = client.get("/metrics", **headers)

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    if status == 200:
        assert set(families(response.content)) >= SERIES
    else:
        assert b"portal_" not in response.content
        assert b"failed" not in response.content
        assert response.content in (b"Unauthorized\n", b"Forbidden\n")
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


@pytest.mark.django_db
def test_no_token_is_accepted_while_metrics_token_is_empty(client, settings, broker):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer  ").status_code == 401


@pytest.mark.django_db
def test_metrics_are_not_redirected_to_https(client, settings, broker, token):
    """Prometheus scrapes the container over plain HTTP, as the healthcheck does."""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200


@pytest.mark.django_db
def test_every_series_shows_the_seeded_state(client, broker, token):
    _outbound(MailStatus.QUEUED, age_seconds=600)
    _outbound(MailStatus.QUEUED, age_seconds=60)
    _outbound(MailStatus.SENDING, age_seconds=30)
    for _ in range(3):
        _outbound(MailStatus.FAILED, age_seconds=7200)
    _outbound(MailStatus.SENT, age_seconds=99999)
    _delivery(MailStatus.QUEUED, age_seconds=900)
    _delivery(MailStatus.FAILED, age_seconds=120)
    _delivery(MailStatus.FAILED, age_seconds=50)
    broker.rpush("celery", "m1", "m2", "m3")
    broker.rpush("celery\x06\x166", "prioritised")
    broker.rpush("control", "m4")
    broker.set("portal:beat:ran", "1780000000.5")
    broker.set("portal:beat:scheduled", "1780000001.25")
    now = time.time()
    CatalogueGeneration.objects.update_or_create(pk=1, defaults={"value": int((now - 300) * 1e6)})

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    values = samples(response.content)
    rows = {labels: v for (name, labels), v in values.items() if name == "portal_outbox_rows"}
    assert rows == {
        (("outbox", "notices"), ("state", "queued")): 2.0,
        (("outbox", "notices"), ("state", "sending")): 1.0,
        (("outbox", "notices"), ("state", "sent")): 1.0,
        (("outbox", "notices"), ("state", "failed")): 3.0,
        (("outbox", "deliveries"), ("state", "queued")): 1.0,
        (("outbox", "deliveries"), ("state", "sending")): 0.0,
        (("outbox", "deliveries"), ("state", "sent")): 0.0,
        (("outbox", "deliveries"), ("state", "failed")): 2.0,
    }
    ages = {
        labels: round(v / 10) * 10
        for (name, labels), v in values.items()
        if name == "portal_outbox_oldest_age_seconds"
    }
    assert ages == {
        (("outbox", "notices"), ("state", "queued")): 600,
        (("outbox", "notices"), ("state", "sending")): 30,
        (("outbox", "notices"), ("state", "failed")): 7200,
        (("outbox", "deliveries"), ("state", "queued")): 900,
        (("outbox", "deliveries"), ("state", "sending")): 0,
        (("outbox", "deliveries"), ("state", "failed")): 120,
    }
    assert values[("portal_failed_deliveries", (("outbox", "notices"),))] == 3.0
    assert values[("portal_failed_deliveries", (("outbox", "deliveries"),))] == 2.0
    assert values[("portal_celery_queue_length", (("queue", "celery"),))] == 4.0
    assert values[("portal_celery_queue_length", (("queue", "control"),))] == 1.0
    assert values[("portal_broker_up", ())] == 1.0
    assert values[("portal_beat_last_run_timestamp_seconds", ())] == 1780000000.5
    assert values[("portal_beat_last_sent_timestamp_seconds", ())] == 1780000001.25
    assert round(values[("portal_catalogue_generation_age_seconds", ())]) in (300, 301)


@pytest.mark.django_db
def test_every_series_has_its_meaning_written_out(client, broker, token):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    documented = families(response.content)
    assert {name: bool(documented.get(name, "").strip()) for name in SERIES} == dict.fromkeys(
        SERIES, True
    )


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_reported_not_an_error(client, settings, token):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    values = samples(response.content)
    assert response.status_code == 200
    assert values[("portal_broker_up", ())] == 0.0
    assert [name for name, _ in values if name == "portal_celery_queue_length"] == []
    assert values[("portal_failed_deliveries", (("outbox", "notices"),))] == 0.0


@pytest.mark.django_db
def test_request_latency_is_counted_by_view_method_and_status(client, broker, token):
    def count(body: bytes, view: str, status: str) -> float:
        key = (
            "portal_http_request_duration_seconds_count",
            (("method", "GET"), ("status", status), ("view", view)),
        )
        return samples(body).get(key, 0.0)

    before = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content

    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page-at-all/").status_code == 404

    after = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content
    assert count(after, "healthz", "200") - count(before, "healthz", "200") == 2
    assert count(after, "unmatched", "404") - count(before, "unmatched", "404") == 1
    assert count(after, "metrics", "200") - count(before, "metrics", "200") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_a_scrape_takes_three_queries_whatever_the_rows(
    client, broker, token, django_assert_num_queries, n
):
    for i in range(n):
        _outbound([MailStatus.QUEUED, MailStatus.FAILED, MailStatus.SENT][i % 3])
        _delivery([MailStatus.QUEUED, MailStatus.FAILED][i % 2])

    with django_assert_num_queries(3):
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
