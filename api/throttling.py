"""The limit on anonymous clients' requests, counted in the cache (``CACHE_URL``: Redis
where several processes serve, so the limit holds across them)."""

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """``API_RATE_LIMIT`` requests per client address (``"120/minute"``), read at every
    request so that a changed setting applies at once. The client's address is found as
    for the login limits: ``TRUSTED_CLIENT_IP_HEADER`` if set, else the entry
    ``TRUSTED_PROXY_COUNT`` places from the end of ``X-Forwarded-For`` (DRF's
    ``NUM_PROXIES``), else the connection's address. Over the limit: 429 with
    ``Retry-After``."""

    scope = "anon"

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_ident(self, request: Request) -> str:
        header = settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
        if header:
            value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
            if value:
                return value
        return super().get_ident(request)
