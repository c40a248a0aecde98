"""Atom feeds of the publications approved last: the whole catalogue and each forum's.

Entries come in the order they were approved (a report dated 2019 approved today is the
first entry), each ``updated`` at its approval. Three queries whatever the number of
entries (four with the forum): the publications, their institutes and their themes. A
reader that already has the current feed gets 304 Not Modified from one query (two with
the forum), before anything is read or rendered (``feed_validators``). Every address in a
feed is on SITE_URL, whatever host the feed was fetched from.
"""

import datetime
import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.http import Validators
from core.site import portal_name
from core.urls import absolute_url, canonical_host
from forums.models import Forum
from publications.enums import Language
from publications.models import CatalogueGeneration, Publication
from publications.selectors import publication_newly_approved

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FEED_LENGTH = 50


class CatalogueAtom1Feed(Atom1Feed):
    """Atom 1.0 with every author of an entry and the abstract as a plain-text summary
    (Django's own writes a single author and an HTML summary)."""

    def write_items(self, handler):
        """Each entry in its publication's language (``xml:lang``), as Django writes it
        otherwise."""
        for item in self.items:
            language = item.get("language")
            handler.startElement("entry", {"xml:lang": language} if language else {})
            self.add_item_elements(handler, item)
            handler.endElement("entry")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item["summary"]:
            handler.addQuickElement("summary", item["summary"], {"type": "text"})


FEED_FIELDS = (
    "slug",
    "title",
    "authors",
    "abstract",
    "language",
    "published_on",
    "created_at",
    "updated_at",
    "reviewed_at",
)


def newest_publications(*, forum: Forum | None = None) -> list[Publication]:
    """The publications approved last, with what an entry shows and nothing more."""
    return publication_newly_approved(limit=FEED_LENGTH, forum=forum, fields=FEED_FIELDS)


def feed_validators(request: HttpRequest, forum: str | None = None) -> Validators:
    """The feed's ETag and Last-Modified from the catalogue's generation (which changes
    with every committed write to anything a feed shows: publications, their institutes
    and themes, forums' names) and, for a forum's feed, the forum's last change: one query
    each, no publication read. None without a generation (a database without the
    catalogue's triggers): the feed is then rendered every time."""
    generation = CatalogueGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    if generation is None:
        return None
    # The value is at least the commit's clock in microseconds (migration 0004).
    changed = datetime.datetime.fromtimestamp(generation / 1_000_000, tz=datetime.UTC)
    parts: list[object] = [generation, get_language(), settings.SITE_URL, settings.RELEASE]
    parts.append(portal_name())
    if forum is not None:
        forum_changed = list(Forum.objects.filter(slug=forum).values_list("updated_at", flat=True))
        parts += [forum, *forum_changed]
        changed = max([changed, *forum_changed])
    key = "|".join(str(part) for part in parts)
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', changed


class PublicationFeed(Feed):
    """What every catalogue feed shares: the format, the author and the entries."""

    feed_type = CatalogueAtom1Feed

    def author_name(self) -> str:
        return portal_name()

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_link(self, item: Publication) -> str:
        return absolute_url(item.get_absolute_url())

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
        """When it was approved (when it became new to the catalogue)."""
        return item.reviewed_at or item.updated_at

    def item_categories(self, item: Publication) -> list[str]:
        return [theme.label for theme in item.themes.all()]

    def item_extra_kwargs(self, item: Publication) -> dict:
        authors = item.author_list or [institute.name for institute in item.institutes.all()]
        language = item.language if item.language != Language.OTHER else ""
        return {"authors": authors, "summary": item.abstract, "language": language}


class CatalogueFeed(PublicationFeed):
    title = _("New publications of the think tank forums")
    subtitle = _("The newest publications approved for the catalogue.")

    def link(self) -> str:
        return absolute_url(reverse("publications:catalogue"))

    def feed_url(self) -> str:
        return absolute_url(reverse("publications:feed"))

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
        return absolute_url(f"{reverse('publications:catalogue')}?{urlencode({'forum': obj.pk})}")

    def feed_url(self, obj: Forum) -> str:
        return absolute_url(reverse("publications:forum_feed", kwargs={"forum": obj.slug}))

    def items(self, obj: Forum) -> list[Publication]:
        return newest_publications(forum=obj)
