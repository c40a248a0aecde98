"""Signs of life kept on the broker's Redis (docs/adr/0031): when Celery beat last sent
its heartbeat task, and when a worker last ran it. Kept there and not in the cache
(CACHE_URL may be per process) nor in the database (one write a minute for nothing):
every process of the portal reaches the broker. A broker that is not Redis, or does not
answer, reads as "never" and writes nothing."""

import logging
import time
from urllib.parse import urlsplit

import redis
from django.conf import settings

logger = logging.getLogger(__name__)
HEARTBEAT_TASK = "core.beat_heartbeat"
SCHEDULED = "scheduled"
RAN = "ran"
KEYS = {SCHEDULED: "portal:beat:scheduled", RAN: "portal:beat:ran"}


def broker_client(*, timeout: float = 2.0) -> redis.Redis | None:
    """A client of the broker's Redis, or None where the broker is something else."""
    url = settings.CELERY_BROKER_URL
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        return None
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def heartbeat_record(*, kind: str) -> None:
    """Stores now as the time of ``kind`` (SCHEDULED or RAN); a failure is logged only."""
    client = broker_client()
    if client is None:
        return
    try:
        client.set(KEYS[kind], repr(time.time()))
    except redis.RedisError:
        logger.warning("heartbeat not recorded: the broker does not answer", exc_info=True)
    finally:
        client.close()


def heartbeat_parse(value: bytes | str | None) -> float | None:
    """A stored time as a Unix timestamp (None for never or an unreadable value)."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def heartbeat_times() -> dict[str, float | None]:
    """When beat last sent the heartbeat and when a worker last ran it (Unix time or
    None); raises ``redis.RedisError`` when the broker does not answer."""
    client = broker_client()
    if client is None:
        return dict.fromkeys(KEYS)
    try:
        values = client.mget([KEYS[SCHEDULED], KEYS[RAN]])
    finally:
        client.close()
    return {SCHEDULED: heartbeat_parse(values[0]), RAN: heartbeat_parse(values[1])}
