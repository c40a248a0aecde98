"""What crawlers read first: robots.txt and the sitemap.

``/sitemap.xml`` is a sitemap index; each section (``website.sitemaps.SITEMAPS``) and each
further page of a long section is ``/sitemap.xml?section=<name>[&p=<n>]``, so the whole
sitemap lives at the root and needs no URL of its own per section.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_safe

from core.urls import absolute_url
from publications.cache import cache_get, cache_set, catalogue_generation
from website.sitemaps import SITEMAPS, PortalSitemap

T = TypeVar("T")

# Private areas, at the root and under each language prefix.
DISALLOWED = ("/admin/", "/accounts/", "/members/", "/i18n/")
LOCALISED = ("/accounts/", "/members/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    prefixes = [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += [f"Disallow: {prefix}{path}" for prefix in prefixes for path in LOCALISED]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """The index, or with ``?section=`` one page of a section (an unknown section or a
    page past the end is a 404). Both answer conditional requests (ETag, Last-Modified)."""
    section = request.GET.get("section")
    if section is None:
        return sitemap_index(request)
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    page = request.GET.get("p", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("No such sitemap page.")
    return sitemap_page(request, SITEMAPS[section](), section=section, page=int(page))


def _cached(key: str, generation: int | None, compute: Callable[[], T]) -> T:
    """``compute()``, kept under the catalogue's generation when there is one (the
    caller says whether it covers everything the value is made of)."""
    if generation is None:
        return compute()
    full_key = f"sitemap:{generation}:{settings.RELEASE}:{key}"
    if (hit := cache_get(full_key)) is not None:
        return hit
    value = compute()
    cache_set(full_key, value)
    return value


def _conditional(
    request: HttpRequest, body: bytes, etag: str, last_modified: int | None
) -> HttpResponse:
    """The XML with its validators, or 304 Not Modified if the client has it already."""
    response = HttpResponse(body, content_type="application/xml")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    return conditional or response


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def sitemap_page(
    request: HttpRequest, site: PortalSitemap, *, section: str, page: int
) -> HttpResponse:
    """One page of a section. Sections the catalogue's generation covers (publications,
    forums, the fixed pages) are rendered once per generation, address and release."""
    base = absolute_url("")
    generation = catalogue_generation() if site.in_catalogue_generation else None

    def compute() -> tuple[bytes, str, int | None] | bool:
        """The body, its ETag and last change; False for a page past the end (None
        would read as a cache miss)."""
        rendered = site.render(page=page, base=base)
        if rendered is None:
            return False
        text, latest = rendered
        body = text.encode()
        return body, _etag(body), int(latest.timestamp()) if latest else None

    key = f"{section}:{page}:{hashlib.sha256(base.encode()).hexdigest()[:16]}"
    result = _cached(key, generation, compute)
    if not isinstance(result, tuple):
        raise Http404("No such sitemap page.")
    body, etag, last_modified = result
    return _conditional(request, body, etag, last_modified)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Every page of every section, counted in the database without loading a row: one
    aggregate per section, none for the sections the catalogue's generation covers once
    they are cached."""
    base = absolute_url(reverse("sitemap"))
    generation = catalogue_generation()
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        rows, lastmod = _cached(
            f"{section}:summary",
            generation if site.in_catalogue_generation else None,
            site.summary,
        )
        for page in range(1, site.page_count(rows) + 1):
            query: dict[str, str | int] = {"section": section}
            if page > 1:
                query["p"] = page
            # Django annotates last_mod as a bool, but it is the date the template writes.
            entries.append(SitemapIndexItem(f"{base}?{urlencode(query)}", lastmod))  # type: ignore[arg-type]
    body = render_to_string("sitemap_index.xml", {"sitemaps": entries}).encode()
    return _conditional(request, body, _etag(body), None)
