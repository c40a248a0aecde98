"""The public pages search engines should find, one Sitemap per section.

Every page is listed in each of the portal's languages, with hreflang alternates. Only
public things appear: approved publications, published joint statements, and institutes
admitted to a forum.
"""

import datetime
import math

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from actionplans.enums import StatementStatus
from actionplans.models import JointStatement
from forums.models import Forum
from members.models import Institute
from publications.models import Publication
from publications.selectors import public_publications
from website.selectors import public_institutes

# Per sitemap page, counting each language's URL; the protocol allows 50,000.
SITEMAP_LIMIT = 10_000


class PortalSitemap(Sitemap):
    limit = SITEMAP_LIMIT
    i18n = True
    alternates = True
    x_default = True

    def page_count(self) -> int:
        """The section's pages, counted in the database: Django's paginator would load
        every row (a pair per language) only to count them."""
        items = self.items()
        n = items.count() if isinstance(items, QuerySet) else len(list(items))
        # Django's own list of the sitemap's languages; private, so the stubs leave it out.
        languages = self._languages()  # type: ignore[attr-defined]
        return max(1, math.ceil(n * len(languages) / self.limit))


class PageSitemap(PortalSitemap):
    def items(self) -> list[str]:
        return ["home", "publications:catalogue"]

    def location(self, item: str) -> str:
        return reverse(item)


class ForumSitemap(PortalSitemap):
    def items(self) -> QuerySet[Forum]:
        return Forum.objects.only("pk", "slug").order_by("name", "pk")

    def location(self, item: Forum) -> str:
        return reverse("forums:detail", kwargs={"slug": item.slug})


class InstituteSitemap(PortalSitemap):
    def items(self) -> QuerySet[Institute]:
        # Public ones only; the demo data's synthetic institutes are not offered to crawlers.
        return (
            public_institutes().filter(is_synthetic=False).only("pk", "slug").order_by("name", "pk")
        )

    def location(self, item: Institute) -> str:
        return reverse("members:institute_detail", kwargs={"slug": item.slug})


class PublicationSitemap(PortalSitemap):
    def items(self) -> QuerySet[Publication]:
        return (
            public_publications()
            .filter(is_synthetic=False)
            .only("pk", "slug", "updated_at")
            .order_by("-published_on", "-id")
        )

    def location(self, item: Publication) -> str:
        return reverse("publications:detail", kwargs={"slug": item.slug})

    def lastmod(self, item: Publication) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        """One aggregate, instead of Django's default of loading every item."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class StatementSitemap(PortalSitemap):
    def items(self) -> QuerySet[JointStatement]:
        return (
            JointStatement.objects.filter(status=StatementStatus.PUBLISHED)
            .only("pk", "slug")
            .order_by("-published_on", "pk")
        )

    def location(self, item: JointStatement) -> str:
        return reverse("actionplans:statement_detail", kwargs={"slug": item.slug})


SITEMAPS: dict[str, type[PortalSitemap]] = {
    "pages": PageSitemap,
    "forums": ForumSitemap,
    "institutes": InstituteSitemap,
    "publications": PublicationSitemap,
    "statements": StatementSitemap,
}
