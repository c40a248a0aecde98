"""Atom feeds of the newest approved publications: the whole catalogue and each forum's.

Three queries whatever the number of entries (four with the forum): the publications, their
institutes and their themes.
"""

import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.site import portal_name
from forums.models import Forum
from core.urls import canonical_host
from publications.models import Publication
from publications.selectors import publication_newest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FEED_LENGTH = 50


class CatalogueAtom1Feed(Atom1Feed):
    """Atom 1.0 with every author of an entry and the abstract as a plain-text summary
    (Django's own writes a single author and an HTML summary)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item["summary"]:
            handler.addQuickElement("summary", item["summary"], {"type": "text"})


FEED_FIELDS = ("slug", "title", "authors", "abstract", "published_on", "created_at", "updated_at")


def newest_publications(*, forum: Forum | None = None) -> list[Publication]:
    """The newest approved publications, with what an entry shows and nothing more."""
    return publication_newest(limit=FEED_LENGTH, forum=forum, fields=FEED_FIELDS, with_themes=True)


class PublicationFeed(Feed):
    """What every catalogue feed shares: the format, the author and the entries."""

    feed_type = CatalogueAtom1Feed

    def author_name(self) -> str:
        return portal_name()

    def item_title(self, item: Publication) -> str:
        return item.title

    # No description: the abstract is the entry's plain-text summary. Django takes None
    # here (and writes no HTML summary); the stubs say it must be a str.
    def item_description(self, item: Publication) -> None:  # type: ignore[override]
        return None

    def item_guid(self, item: Publication) -> str:
        """A tag URI on the portal's canonical host: the same whatever host or language
        the feed was fetched in, and whatever the publication's slug becomes."""
        host = canonical_host()
        return f"tag:{host},{item.created_at:%Y-%m-%d}:publications/{item.pk}"

    def item_pubdate(self, item: Publication) -> datetime.datetime:
        return datetime.datetime.combine(item.published_on, datetime.time.min, tzinfo=datetime.UTC)

    def item_updateddate(self, item: Publication) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Publication) -> list[str]:
        return [theme.label for theme in item.themes.all()]

    def item_extra_kwargs(self, item: Publication) -> dict:
        authors = item.author_list or [institute.name for institute in item.institutes.all()]
        return {"authors": authors, "summary": item.abstract}


class CatalogueFeed(PublicationFeed):
    title = _("New publications of the think tank forums")
    subtitle = _("The newest publications approved for the catalogue.")

    def link(self) -> str:
        return reverse("publications:catalogue")

    def feed_url(self) -> str:
        return reverse("publications:feed")

    def items(self) -> list[Publication]:
        return newest_publications()


class ForumCatalogueFeed(PublicationFeed):
    def get_object(self, request, forum: str) -> Forum:
        return Forum.objects.only("pk", "name", "name_ru", "slug").get(slug=forum)

    def title(self, obj: Forum) -> str:
        return _("%(forum)s: new publications") % {"forum": obj.label}

    def subtitle(self, obj: Forum) -> "StrOrPromise":
        return _("The newest publications of this forum approved for the catalogue.")

    def link(self, obj: Forum) -> str:
        return f"{reverse('publications:catalogue')}?{urlencode({'forum': obj.pk})}"

    def feed_url(self, obj: Forum) -> str:
        return reverse("publications:forum_feed", kwargs={"forum": obj.slug})

    def items(self, obj: Forum) -> list[Publication]:
        return newest_publications(forum=obj)
