"""The public pages search engines should find, one section per kind of page.

Every page is listed in each of the portal's languages, with hreflang alternates. Only
public things appear: approved publications, published joint statements, and institutes
admitted to a forum.

A section is read a page at a time in SQL (the slugs and dates of that page's rows only)
and written out as text: at 100,000 publications, Django's own sitemap built a pair per
row and language and rendered them through a template, seconds and tens of megabytes per
page.
"""

import datetime
import math
from collections.abc import Iterator
from html import escape

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from actionplans.enums import ActionPlanStatus, StatementStatus
from forums.models import Forum
from publications.models import Publication
from publications.selectors import public_publications
from website.register import register_entries
from website.selectors import public_institutes

# Per sitemap page, counting each language's URL; the protocol allows 50,000.
SITEMAP_LIMIT = 10_000
SLUG = "__slug__"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
TAIL = "\n</urlset>\n"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class PortalSitemap:
    """A section of the sitemap. Each row is a slug (or, for fixed pages, a URL name) and
    the date of its last change, if the section knows it.

    ``in_catalogue_generation``: everything the section lists is covered by the
    catalogue's generation (docs/adr/0008), so its pages may be cached under it."""

    limit = SITEMAP_LIMIT
    url_name = ""
    has_lastmod = False
    in_catalogue_generation = False

    def items(self) -> QuerySet:
        raise NotImplementedError

    def rows_per_page(self) -> int:
        """Whole rows per page: each row is one URL per language."""
        return max(1, self.limit // len(languages()))

    def summary(self) -> tuple[int, datetime.datetime | None]:
        """The number of rows and the latest change of any (None without dates): one
        aggregate query, no row loaded."""
        if not self.has_lastmod:
            return self.items().count(), None
        result = self.items().aggregate(n=Count("pk"), latest=Max("updated_at"))
        return result["n"], result["latest"]

    def page_count(self, rows: int) -> int:
        return max(1, math.ceil(rows / self.rows_per_page()))

    def page_rows(self, page: int) -> list[tuple[str, datetime.datetime | None]]:
        """The page's (slug, last change) pairs, read by offset along the section's order.
        One query."""
        size = self.rows_per_page()
        start = (page - 1) * size
        fields = ("slug", "updated_at") if self.has_lastmod else ("slug",)
        rows = self.items().values_list(*fields)[start : start + size]
        if self.has_lastmod:
            return list(rows)
        return [(slug, None) for (slug,) in rows]

    def paths(self) -> dict[str, tuple[str, str]]:
        """{language: (path before the slug, path after it)} of the section's URL."""
        result = {}
        for code in languages():
            with translation.override(code):
                path = reverse(self.url_name, kwargs={"slug": SLUG})
            before, after = path.split(SLUG)
            result[code] = (before, after)
        return result

    def locations(
        self, rows: list[tuple[str, datetime.datetime | None]], base: str
    ) -> Iterator[dict[str, str]]:
        """Each row's absolute URL per language (escaped for XML)."""
        paths = self.paths()
        for slug, _changed in rows:
            safe = escape(slug)
            yield {code: f"{base}{before}{safe}{after}" for code, (before, after) in paths.items()}

    def render(self, *, page: int, base: str) -> tuple[str, datetime.datetime | None] | None:
        """The page's XML and the latest change of its rows (None unless the section has
        dates), or None for a page past the end (page 1 always exists, if empty)."""
        rows = self.page_rows(page)
        if not rows and page > 1:
            return None
        default = settings.LANGUAGE_CODE
        zone = timezone.get_current_timezone()
        parts = [HEAD]
        latest = None
        for (_slug, changed), urls in zip(rows, self.locations(rows, escape(base)), strict=True):
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{url}"/>'
                for code, url in urls.items()
            )
            links += f'<xhtml:link rel="alternate" hreflang="x-default" href="{urls[default]}"/>'
            lastmod = ""
            if changed is not None:
                lastmod = f"<lastmod>{changed.astimezone(zone).date().isoformat()}</lastmod>"
                latest = changed if latest is None else max(latest, changed)
            parts += [f"<url><loc>{url}</loc>{lastmod}{links}</url>" for url in urls.values()]
        parts.append(TAIL)
        return "".join(parts), latest


class PageSitemap(PortalSitemap):
    """The fixed pages; their rows are URL names."""

    in_catalogue_generation = True
    names = ("home", "publications:catalogue")

    def summary(self) -> tuple[int, datetime.datetime | None]:
        return len(self.names), None

    def page_rows(self, page: int) -> list[tuple[str, datetime.datetime | None]]:
        size = self.rows_per_page()
        return [(name, None) for name in self.names[(page - 1) * size : page * size]]

    def locations(
        self, rows: list[tuple[str, datetime.datetime | None]], base: str
    ) -> Iterator[dict[str, str]]:
        for name, _changed in rows:
            urls = {}
            for code in languages():
                with translation.override(code):
                    urls[code] = base + escape(reverse(name))
            yield urls


class ForumSitemap(PortalSitemap):
    url_name = "forums:detail"
    in_catalogue_generation = True  # a forum's slug is in the generation

    def items(self) -> QuerySet[Forum]:
        return Forum.objects.order_by("name", "pk")


class InstituteSitemap(PortalSitemap):
    url_name = "members:institute_detail"

    def items(self) -> QuerySet:
        # Public ones only; the demo data's synthetic institutes are not offered to crawlers.
        return public_institutes().filter(is_synthetic=False).order_by("name", "pk")


class PublicationSitemap(PortalSitemap):
    url_name = "publications:detail"
    has_lastmod = True
    in_catalogue_generation = True

    def items(self) -> QuerySet[Publication]:
        # By id, newest first: the primary key's index pages it.
        return public_publications().filter(is_synthetic=False).order_by("-id")


class DocumentSitemap(PortalSitemap):
    """The register (of every forum and of each) and each public document at its
    register address. A forum adopts a handful of documents a year: the section is read
    whole (four queries) and cut into pages here."""

    def _urls(self) -> list[str]:
        urls = [reverse("documents:register")]
        urls += [
            reverse("forums:register", kwargs={"slug": slug})
            for slug in Forum.objects.order_by("name", "pk").values_list("slug", flat=True)
        ]
        # The documents themselves; a forum page links its annual reports.
        return urls + [entry.url for entry in register_entries() if entry.document is not None]

    def summary(self) -> tuple[int, datetime.datetime | None]:
        """The registers and the public documents, counted in one query."""
        counts = Forum.objects.aggregate(
            forums=Count("pk", distinct=True),
            plans=Count(
                "action_plans",
                filter=Q(action_plans__status=ActionPlanStatus.ADOPTED),
                distinct=True,
            ),
            statements=Count(
                "joint_statements",
                filter=Q(joint_statements__status=StatementStatus.PUBLISHED),
                distinct=True,
            ),
        )
        return 1 + counts["forums"] + counts["plans"] + counts["statements"], None

    def page_rows(self, page: int) -> list[tuple[str, datetime.datetime | None]]:
        size = self.rows_per_page()
        rows: list[tuple[str, datetime.datetime | None]] = [
            (str(index), None) for index in range(len(self._urls()))
        ]
        return rows[(page - 1) * size : page * size]

    def locations(
        self, rows: list[tuple[str, datetime.datetime | None]], base: str
    ) -> Iterator[dict[str, str]]:
        per_language = {}
        for code in languages():
            with translation.override(code):
                per_language[code] = self._urls()
        for index, _changed in rows:
            yield {code: base + escape(urls[int(index)]) for code, urls in per_language.items()}


SITEMAPS: dict[str, type[PortalSitemap]] = {
    "pages": PageSitemap,
    "forums": ForumSitemap,
    "institutes": InstituteSitemap,
    "publications": PublicationSitemap,
    # Statements are in the register's section, at their register address.
    "documents": DocumentSitemap,
}
