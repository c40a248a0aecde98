"""What crawlers read first: robots.txt and the sitemap.

``/sitemap.xml`` is a sitemap index; each section (``website.sitemaps.SITEMAPS``) and each
further page of a long section is ``/sitemap.xml?section=<name>[&p=<n>]``, so the whole
sitemap lives at the root and needs no URL of its own per section.
"""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as sitemap_section
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from website.sitemaps import SITEMAPS

# Private areas, at the root and under each language prefix.
DISALLOWED = ("/admin/", "/accounts/", "/members/")
LOCALISED = ("/accounts/", "/members/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    prefixes = [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += [f"Disallow: {prefix}{path}" for prefix in prefixes for path in LOCALISED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """The index, or with ``?section=`` one page of a section (an unknown section or a
    page past the end is a 404)."""
    section = request.GET.get("section")
    if section is None:
        return sitemap_index(request)
    # Django only reads the sections; the stubs ask for a dict of exactly their union type.
    return sitemap_section(request, SITEMAPS, section=section)  # type: ignore[arg-type]


@x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri(reverse("sitemap"))
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        site = sitemap_class()
        lastmod = site.get_latest_lastmod()
        for page in range(1, site.page_count() + 1):
            query: dict[str, str | int] = {"section": section}
            if page > 1:
                query["p"] = page
            # Django annotates last_mod as a bool, but it is the date the template writes.
            entries.append(SitemapIndexItem(f"{base}?{urlencode(query)}", lastmod))  # type: ignore[arg-type]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
