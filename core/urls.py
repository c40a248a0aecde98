"""The portal's published addresses: every absolute URL it prints (canonical links, feed
ids and links, sitemaps, calendar and citation URLs, e-mails) is built from
``settings.SITE_URL``, never from the request's Host, so a forged or internal host name
cannot end up in what crawlers, feed readers and caches keep."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse()`` or ``get_absolute_url()`` gives it) on SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path


def canonical_host() -> str:
    """The portal's host name from SITE_URL: stable identifiers (feed entry ids, calendar
    UIDs) use it whatever host a request came in on."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
