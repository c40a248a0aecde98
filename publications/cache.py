"""The catalogue's use of Django's cache (``CACHE_URL``; Redis in production).

Everything stored is keyed by, or carries, the catalogue's generation (docs/adr/0008), so
an entry is never taken for current after the data it came from changed; the facet
counts alone may be served from an earlier generation while a worker recounts them (never
in a cached page). A cache that cannot answer is a miss, logged, never an error page.
"""

import hashlib
import logging
from collections.abc import Collection
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

from publications.models import CatalogueGeneration
from publications.search import uses_full_text

logger = logging.getLogger(__name__)
TIMEOUT = 24 * 60 * 60
# Requests carrying either cookie may see something of their own (a signed-in header,
# a message): they are never answered from, nor stored in, the page cache.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def cache_get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)
        return None


def cache_set(key: str, value: Any) -> None:
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)


def cache_add(key: str, value: Any, timeout: int) -> bool:
    """Stores ``value`` only if ``key`` is absent; True if this call stored it."""
    try:
        return bool(cache.add(key, value, timeout))
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)
        return False


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("catalogue cache unavailable", exc_info=True)


def catalogue_generation() -> int | None:
    """The catalogue's generation (``CatalogueGeneration``), or None when cached catalogue
    data must not be used: on a database without its triggers, and inside a transaction,
    whose own writes are not counted until it commits."""
    if not uses_full_text() or connection.in_atomic_block:
        return None
    return CatalogueGeneration.objects.filter(pk=1).values_list("value", flat=True).first()


def _page_key(request: HttpRequest, known: Collection[str]) -> str:
    if not settings.CATALOGUE_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return ""
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return ""
    generation = catalogue_generation()
    if generation is None:
        return ""
    # Not the scheme or host: pages print their absolute addresses from SITE_URL
    # (core.urls), so every host name the portal answers to shares one copy. The query in
    # one order whatever order it came in, each value once.
    query = urlencode(
        sorted((name, value) for name in known for value in set(request.GET.getlist(name)) if value)
    )
    address = f"{request.path}?{query}"
    address = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"catalogue:page:{generation}:{settings.RELEASE}:{get_language()}:{address}"


NOT_KEPT = "keep_out_of_page_cache"


def keep_out_of_page_cache(response: HttpResponse) -> HttpResponse:
    """Marks an answer that ``cached_public_page`` must not store: one that shows something
    older than its generation (facet counts of an earlier one, while they are recounted),
    or an address that is not the one way of writing its page."""
    setattr(response, NOT_KEPT, True)
    return response


def cached_public_page(*, params: Collection[str] = ()):
    """Answers anonymous visitors from the cache: a page of the catalogue (or of one
    publication) is the same for all of them until the catalogue's generation or the
    deployed code changes, so it is rendered once per address, language, generation and
    release. Only 200 answers that set no cookie, hold no CSRF token and show nothing
    stale (``keep_out_of_page_cache``) are kept; the middleware still adds its headers
    (security, CSP, Content-Language) to every answer.

    ``params`` are the query parameters the page reads. An address with any other is sent
    (301) to the same address without them, so unknown parameters can neither fill the
    cache with copies of one page nor end up in the links the page prints. The known ones
    are keyed in one order, and a page is kept only when the view took every parameter as
    written (``keep_out_of_page_cache`` otherwise: an unknown sort, a page "01", a search
    that found nothing), so the addresses that can fill the cache are the pages that
    exist, not the endless ways of writing them."""
    known = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if unknown := set(request.GET) - known:
                return _without(request, unknown)
            key = _page_key(request, known)
            if key and (hit := cache_get(key)) is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                patch_vary_headers(response, ("Cookie",))  # as the rendered page says
                return response
            response = view(request, *args, **kwargs)
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            keep = response.status_code == 200 and not getattr(response, NOT_KEPT, False)
            if key and keep and not personal and not response.streaming:
                cache_set(key, (response.content, response["Content-Type"]))
            return response

        return wrapper

    return decorator


def _without(request: HttpRequest, names: set[str]) -> HttpResponse:
    query = request.GET.copy()
    for name in names:
        query.pop(name)
    encoded = query.urlencode()
    return HttpResponsePermanentRedirect(request.path + (f"?{encoded}" if encoded else ""))
