"""The catalogue's use of Django's cache (``CACHE_URL``; Redis in production).

Everything stored is keyed by the catalogue's generation (docs/adr/0008), so an entry is
never read after the data it came from changed. A cache that cannot answer is a miss,
logged, never an error page.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
TIMEOUT = 24 * 60 * 60


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)
        return None


def cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)
