"""Reads of the public catalogue: the search page, a publication's page, feeds and exports.

Only approved publications are ever returned by anything here.
"""

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from core.jobs import enqueue_on_commit
from forums.models import Forum, Theme
from members.models import Institute
from publications.cache import cache_add, cache_delete, cache_get, cache_set, catalogue_generation
from publications.enums import Language, PublicationKind, PublicationStatus
from publications.filters import CatalogueFilter
from publications.models import CatalogueFacet, Publication
from publications.search import cache_text, uses_full_text, with_rank, words_of

if TYPE_CHECKING:
    _Paginator = Paginator[Publication]
else:
    _Paginator = Paginator  # not subscriptable at run time

PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": pgettext_lazy("sort order", "Title"),
}
FACET_ORDER = ("forum", "theme", "kind", "country", "institute", "language", "year")
FACET_TITLES = {
    "forum": _("Forum"),
    "theme": _("Theme"),
    "kind": _("Kind"),
    "country": _("Country"),
    "institute": _("Institute"),
    "language": _("Language"),
    "year": _("Year"),
}
FACET_LIMIT = {"institute": 15, "year": 12}
# Relevance orders the newest RELEVANCE_WINDOW matches; a multiple of every page size, so
# no page straddles its end.
RELEVANCE_WINDOW = 1000


def public_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(status=PublicationStatus.APPROVED)


def public_institutes_prefetch() -> "Prefetch[Any]":
    return Prefetch(
        "institutes", queryset=Institute.objects.only("pk", "name", "short_name", "slug", "country")
    )


@dataclass(frozen=True)
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    choices: list[FacetChoice]
    more: int = 0


@dataclass
class Catalogue:
    filterset: CatalogueFilter
    page: Page[Publication] | None = None
    total: int = 0
    facets: list[Facet] = field(default_factory=list)
    sort: str = "newest"
    per_page: int = DEFAULT_PER_PAGE
    # Names the facets (of the generation they were counted for) in the cache ("" when
    # they must not be cached): what is derived from them alone, such as their HTML, may
    # be cached under it too.
    facets_key: str = ""
    # Counted for an earlier generation, served while a worker recounts them: the page
    # must not be kept in the page cache.
    facets_are_stale: bool = False

    @property
    def is_valid(self) -> bool:
        return self.page is not None


class WindowPaginator(_Paginator):
    """Pages of a result set whose size is already known (the facet query counted it: no
    COUNT query), each fetched by ``fetch(offset, limit, total=…)``.

    A count that may be out of date (``exact=False``: counted before the catalogue's last
    change) still numbers the pages, but a page in the first half is read forward, with
    one row more than it shows: a match added since is listed, and a next page offered
    when there is one. A page in the second half is still read from the end, by the old
    count: off by the rows changed since, and bounded."""

    def __init__(
        self,
        fetch: Callable[..., list[Publication]],
        per_page: int,
        *,
        count: int,
        exact: bool = True,
    ):
        super().__init__([], per_page)
        self._fetch = fetch
        self._known_count = count
        self._exact = exact

    @cached_property
    def count(self) -> int:
        return self._known_count

    def page(self, number: int | str) -> Page[Publication]:
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        if not self._exact and offset <= self.count / 2:
            rows = self._fetch(offset, self.per_page + 1, total=None)
            self.count = max(self.count, offset + len(rows))
            return Page(rows[: self.per_page], number, self)
        limit = max(0, min(self.per_page, self.count - offset))
        return Page(self._fetch(offset, limit, total=self.count), number, self)


def _sort(data: QueryDict, *, has_query: bool) -> str:
    sort = data.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not has_query):
        return "relevance" if has_query else "newest"
    return sort


def _per_page(data: QueryDict) -> int:
    value = data.get("per_page", "")
    return int(value) if value.isdigit() and int(value) in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


ORDERINGS = {
    "newest": ("-published_on", "-id"),
    "oldest": ("published_on", "id"),
    "title": ("title", "id"),
}


def _reversed(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)


# What a result card shows: nothing else is read (not the PDF's text nor the vectors, in
# TOAST; not the review fields).
CARD_FIELDS = (
    "slug",
    "title",
    "subtitle",
    "authors",
    "kind",
    "language",
    "published_on",
    "abstract",
    "forum__name",
    "forum__name_ru",
)


def _page_rows(
    ids: QuerySet[Publication, Any], ordering: tuple[str, ...], *, text: str = ""
) -> list[Publication]:
    """The publications whose ids the subquery ``ids`` selects, in this order (by rank
    first if ``text``), with what a result card shows (one query, and one for their
    institutes)."""
    rows = public_publications().filter(pk__in=ids)
    if text:
        rows = with_rank(rows, text)
        ordering = ("-rank", *ordering)
    rows = (
        rows.order_by(*ordering)
        .only(*CARD_FIELDS)
        .select_related("forum")
        .prefetch_related(public_institutes_prefetch())
    )
    return list(rows)


def _fetch_ordered(
    matched: QuerySet[Publication],
    ordering: tuple[str, ...],
    offset: int,
    limit: int,
    total: int | None,
) -> list[Publication]:
    """A page in a stored order: the page's ids first (an index-only walk of the order's
    index, without reading the rows it skips), then those rows. A page in the second half
    is taken from the other end, so no page skips more than half the results (forward
    whatever its place if ``total`` is None, unknown)."""
    if limit <= 0:
        return []
    from_end = offset if total is None else total - offset - limit
    if from_end < offset:
        backwards = _reversed(ordering)
        ids = matched.order_by(*backwards).values("pk")[from_end : from_end + limit]
        return _page_rows(ids, backwards)[::-1]
    return _page_rows(matched.order_by(*ordering).values("pk")[offset : offset + limit], ordering)


def _fetch_relevant(
    matched: QuerySet[Publication], text: str, offset: int, limit: int, total: int | None
) -> list[Publication]:
    """A page by relevance. Ranking every match of a common word would read every match
    (tens of thousands of rows); instead the RELEVANCE_WINDOW newest matches come first,
    most relevant first, then the older matches, newest first. The window's ids come from
    the date index (or the search index, for rarer words), and only they are ranked."""
    if limit <= 0:
        return []
    newest = ORDERINGS["newest"]
    if offset >= RELEVANCE_WINDOW:
        return _fetch_ordered(matched, newest, offset, limit, total)
    window = matched.order_by(*newest).values("pk")[:RELEVANCE_WINDOW]
    ranked = with_rank(public_publications().filter(pk__in=window), text)
    ids = ranked.order_by("-rank", *newest).values("pk")[offset : offset + limit]
    return _page_rows(ids, newest, text=text)


def _facet_counts(matched: QuerySet[Publication] | None) -> dict[str, dict[str, int]]:
    rows = CatalogueFacet.objects.all()
    if matched is not None:
        rows = rows.filter(publication_id__in=matched.values("pk"))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for name, value, n in rows.values_list("name", "value").annotate(n=Count("*")).order_by():
        counts[name][value] = n
    return counts


def _labels(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Display names for the facet values present: one query per model that has any."""
    labels: dict[str, dict[str, str]] = {
        "kind": {k: str(v) for k, v in PublicationKind.choices},
        "language": {k: str(v) for k, v in Language.choices},
        "country": {code: Country(code).name for code in counts.get("country", {})},
        "year": {y: y for y in counts.get("year", {})},
    }
    if ids := counts.get("forum"):
        labels["forum"] = {
            str(pk): name for pk, name in Forum.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    if ids := counts.get("theme"):
        labels["theme"] = {str(t.pk): t.label for t in Theme.objects.filter(pk__in=ids)}
    if ids := counts.get("institute"):
        top = sorted(ids, key=lambda v: -ids[v])[: FACET_LIMIT["institute"]]
        labels["institute"] = {
            str(pk): short or name
            for pk, name, short in Institute.objects.filter(pk__in=top).values_list(
                "pk", "name", "short_name"
            )
        }
    return labels


def _facets(
    counts: dict[str, dict[str, int]],
    labels: dict[str, dict[str, str]],
    selected: dict[str, list[str]],
) -> list[Facet]:
    facets = []
    for name in FACET_ORDER:
        values = counts.get(name, {})
        chosen = set(selected.get(name) or [])
        choices = [
            FacetChoice(
                value=v, label=labels.get(name, {}).get(v, v), count=n, selected=v in chosen
            )
            for v, n in values.items()
            if v in labels.get(name, {})
        ]
        if name == "year":
            choices.sort(key=lambda c: c.value, reverse=True)
        else:
            choices.sort(key=lambda c: (-c.count, c.label))
        limit = FACET_LIMIT.get(name)
        more = 0
        if limit and len(choices) > limit:
            keep = choices[:limit] + [c for c in choices[limit:] if c.selected]
            more = len(choices) - len(keep)
            choices = keep
        facets.append(Facet(name=name, title=str(FACET_TITLES[name]), choices=choices, more=more))
    return facets


def _facets_digest(cleaned: dict[str, Any]) -> str:
    """The canonical state of the filters, as a stable part of a cache key."""
    state = {
        name: sorted(str(v) for v in value) if isinstance(value, list) else str(value)
        for name, value in cleaned.items()
        if value not in (None, "", [])
    }
    state["q"] = cache_text(cleaned.get("q") or "")
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:32]


def _facets_key(generation: int, digest: str) -> str:
    return f"catalogue:facets:{generation}:{get_language()}:{digest}"


def _counted_key(digest: str) -> str:
    return f"catalogue:facets:counted:{get_language()}:{digest}"


def _recount_key(digest: str) -> str:
    return f"catalogue:facets:recount:{get_language()}:{digest}"


@dataclass(frozen=True)
class FacetState:
    """What the facets of one state of the filters are counted from and stored under."""

    matched: QuerySet[Publication] | None
    selected: dict[str, list[str]]
    digest: str
    query: str  # the filters' parameters, for a worker to count them again

    @classmethod
    def of(cls, filterset: CatalogueFilter) -> "FacetState":
        cleaned = filterset.form.cleaned_data
        params = QueryDict(mutable=True)
        for name in filterset.base_filters:
            if values := filterset.data.getlist(name):
                params.setlist(name, values)
        return cls(
            matched=filterset.qs if filterset.is_filtered else None,
            selected={name: [str(v) for v in cleaned.get(name) or []] for name in FACET_ORDER},
            digest=_facets_digest(cleaned),
            query=params.urlencode(),
        )


def _count(state: FacetState) -> tuple[int, list[Facet]]:
    counts = _facet_counts(state.matched)
    return sum(counts.get("forum", {}).values()), _facets(counts, _labels(counts), state.selected)


# A recount asked of the workers and not done within this many seconds (no worker, a
# broker that is down) is done by the next page itself, as when nothing was counted.
RECOUNT_WAIT = 30
RECOUNT_ASKED_KEPT = 600  # the mark that one was asked, should nothing ever remove it


def _recount_asked(state: FacetState) -> bool:
    """Whether a worker is, or will shortly be, recounting these facets: asks it if
    nobody has (one task per state of the filters, however many pages ask at once)."""
    key = _recount_key(state.digest)
    asked = cache_get(key)
    if asked is None:
        if cache_add(key, time.time(), RECOUNT_ASKED_KEPT):
            enqueue_on_commit("publications.recount_catalogue_facets", state.query, get_language())
        return True
    if time.time() - asked < RECOUNT_WAIT:
        return True
    cache_delete(key)
    return False


@dataclass(frozen=True)
class CountedFacets:
    total: int
    facets: list[Facet]
    key: str  # names them in the cache (Catalogue.facets_key)
    is_stale: bool


def _total_and_facets(state: FacetState, generation: int | None) -> CountedFacets:
    """The number of results and the facets. They are kept in the cache with the
    generation they were counted for (docs/adr/0008): served as they are while it is
    current; once the catalogue has changed, still served (marked stale) while a worker
    recounts them; counted here only when there is nothing to serve at all."""
    if generation is None:
        return CountedFacets(*_count(state), key="", is_stale=False)
    counted: tuple[int, int, list[Facet]] | None = cache_get(_counted_key(state.digest))
    if counted is not None:
        counted_for, total, facets = counted
        if counted_for == generation:
            return CountedFacets(total, facets, _facets_key(generation, state.digest), False)
        if _recount_asked(state):
            return CountedFacets(total, facets, _facets_key(counted_for, state.digest), True)
    total, facets = _count(state)
    cache_set(_counted_key(state.digest), (generation, total, facets))
    return CountedFacets(total, facets, _facets_key(generation, state.digest), False)


def catalogue_facets_recount(*, data: QueryDict) -> None:
    """Counts the facets of this state of the filters for the catalogue's current
    generation and stores them for the pages that serve them stale meanwhile; then the
    next change may ask again. Safe to run twice (a second run finds them current)."""
    filterset = CatalogueFilter(data, queryset=public_publications())
    if not filterset.is_valid():
        return
    state = FacetState.of(filterset)
    try:
        generation = catalogue_generation()
        if generation is None:
            return
        counted = cache_get(_counted_key(state.digest))
        if counted is None or counted[0] != generation:
            cache_set(_counted_key(state.digest), (generation, *_count(state)))
    finally:
        cache_delete(_recount_key(state.digest))


def catalogue_search(*, data: QueryDict) -> Catalogue:
    """The catalogue page for these parameters. Invalid parameters give a Catalogue whose
    ``page`` is None (the view answers 400 with the form's errors); a page past the end
    raises ``django.core.paginator.InvalidPage`` (the view answers 404).

    Queries, whatever the page size: the catalogue's generation; unless cached (current,
    or stale while a worker recounts them), one GROUP BY for every facet's counts (which
    also gives the total) and one per facet model that has values to name; one for the
    page; one for the page's institutes. While the counts are stale, so is the total the
    pages are numbered by (see ``WindowPaginator``), for the seconds until the recount."""
    filterset = CatalogueFilter(data, queryset=public_publications())
    catalogue = Catalogue(filterset=filterset)
    if not filterset.is_valid():
        return catalogue
    text = filterset.form.cleaned_data.get("q") or ""
    catalogue.sort = _sort(data, has_query=bool(words_of(text)))
    catalogue.per_page = _per_page(data)
    state = FacetState.of(filterset)
    counted = _total_and_facets(state, catalogue_generation())
    catalogue.total, catalogue.facets = counted.total, counted.facets
    catalogue.facets_key, catalogue.facets_are_stale = counted.key, counted.is_stale

    rows = state.matched if state.matched is not None else public_publications()
    total = catalogue.total
    if catalogue.sort == "relevance":
        fetch = partial(_fetch_relevant, rows, text, total=total)
    else:
        fetch = partial(_fetch_ordered, rows, ORDERINGS[catalogue.sort], total=total)
    paginator = WindowPaginator(fetch, catalogue.per_page, count=total, exact=not counted.is_stale)
    catalogue.page = paginator.page(data.get("page") or 1)
    catalogue.total = paginator.count
    return catalogue


def publication_public_detail(*, slug: str) -> Publication:
    """An approved publication with what its page shows; DoesNotExist otherwise."""
    return (
        public_publications()
        .select_related("forum")
        .prefetch_related(public_institutes_prefetch(), "themes")
        .get(slug=slug)
    )


RELATED_CANDIDATES = 200

# For each theme and institute the publication has, its RELATED_CANDIDATES most recently
# entered publications (an index-only walk of ``catalogue_facet_lookup`` per value); those
# candidates are scored by how many of the values they share.
_RELATED_SQL = """
SELECT c.publication_id
FROM unnest(%(names)s::text[], %(values)s::text[]) AS mine(name, value)
CROSS JOIN LATERAL (
    SELECT f.publication_id FROM publications_cataloguefacet f
    WHERE f.name = mine.name AND f.value = mine.value AND f.publication_id <> %(pk)s
    ORDER BY f.publication_id DESC LIMIT %(candidates)s
) c
JOIN publications_publication p ON p.id = c.publication_id
GROUP BY c.publication_id, p.published_on
ORDER BY count(*) DESC, p.published_on DESC, c.publication_id DESC
LIMIT %(limit)s
"""


def _related_ids(publication: Publication, shared: list[tuple[str, str]], limit: int) -> list[int]:
    if uses_full_text():
        with connection.cursor() as cursor:
            cursor.execute(
                _RELATED_SQL,
                {
                    "names": [name for name, _value in shared],
                    "values": [value for _name, value in shared],
                    "pk": publication.pk,
                    "candidates": RELATED_CANDIDATES,
                    "limit": limit,
                },
            )
            return [row[0] for row in cursor.fetchall()]
    # Elsewhere (SQLite, a demo's few hundred rows): score every publication sharing one.
    condition = Q()
    for name, value in shared:
        condition |= Q(name=name, value=value)
    scored = (
        CatalogueFacet.objects.filter(condition)
        .exclude(publication=publication)
        .values("publication")
        .annotate(score=Count("*"))
        .order_by("-score", "-publication__published_on", "-publication")[:limit]
    )
    return [row["publication"] for row in scored]


def publication_related(*, publication: Publication, limit: int = 5) -> list[Publication]:
    """Approved publications sharing the most themes or institutes with this one; at scale,
    chosen among the most recent ones sharing each (a bounded amount of work)."""
    shared = list(
        CatalogueFacet.objects.filter(
            publication=publication, name__in=("theme", "institute")
        ).values_list("name", "value")
    )
    if not shared:
        return []
    ids = _related_ids(publication, shared, limit)
    by_id = public_publications().select_related("forum").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# What a short list of publications (home page, an institute's page) shows.
LIST_FIELDS = ("slug", "title", "language", "published_on")


def publication_newly_approved(
    *, limit: int, forum: Forum | None = None, fields: tuple[str, ...] = LIST_FIELDS
) -> list[Publication]:
    """The publications approved last (of a forum), newest approval first, whatever the
    date they were published on: a report dated 2019 approved today heads the list.
    Approved rows without a review time (older data) come after, newest id first. Three
    queries (the rows from the index ``publication_approved`` or
    ``publication_forum_approved``, their institutes, their themes)."""
    rows = public_publications()
    if forum is not None:
        rows = rows.filter(forum=forum)
    rows = rows.order_by(F("reviewed_at").desc(nulls_last=True), "-id").only("pk", *fields)
    return list(rows.prefetch_related(public_institutes_prefetch(), "themes")[:limit])


def publication_newest(
    *,
    limit: int,
    forum: Forum | None = None,
    institute: Institute | None = None,
    fields: tuple[str, ...] = LIST_FIELDS,
    with_themes: bool = False,
) -> list[Publication]:
    """The newest approved publications (of a forum, of an institute), with their
    institutes and only the ``fields`` shown: two queries, three ``with_themes``."""
    rows = public_publications()
    if forum is not None:
        rows = rows.filter(forum=forum)
    if institute is not None:
        rows = rows.filter(institutes=institute)
    prefetch: list[str | Prefetch[Any]] = [
        public_institutes_prefetch(),
        *(["themes"] if with_themes else []),
    ]
    rows = rows.order_by("-published_on", "-id").only("pk", *fields)
    return list(rows.prefetch_related(*prefetch)[:limit])


# The whole-search export reads the matches this many at a time (docs/adr/0026).
EXPORT_CHUNK = 1000
# What no export shows: the PDF's text and the search vectors (in TOAST), the files, the
# review and the audit columns (each datetime costs a conversion per row).
EXPORT_DEFERRED = (
    "extracted_text",
    "search_vector",
    "search_head",
    "return_reason",
    "file",
    "public_file",
    "page_count",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "submitted_by",
    "reviewed_by",
    "reviewed_at",
)


def catalogue_export_filter(*, data: QueryDict) -> CatalogueFilter:
    """The catalogue's filters for these parameters, to validate before an export."""
    return CatalogueFilter(data, queryset=public_publications())


def _before(publication: Publication) -> RawSQL:
    """``(published_on, id) < (its own)``: a row comparison, which PostgreSQL serves from
    the ``(status, published_on DESC, id DESC)`` index as one range."""
    table = connection.ops.quote_name(Publication._meta.db_table)
    return RawSQL(
        f"({table}.published_on, {table}.id) < (%s, %s)",
        (publication.published_on, publication.pk),
        output_field=BooleanField(),
    )


# The institute's columns the citations read (``public_institutes_prefetch``'s).
EXPORT_INSTITUTE_FIELDS = ("id", "name", "short_name", "slug", "country")


def _give_institutes(chunk: list[Publication], known: dict[int, Institute]) -> None:
    """Gives each publication of ``chunk`` its institutes, by name, as
    ``prefetch_related("institutes")`` would (``publication.institutes.all()`` queries
    nothing), in one query of id pairs and names; an institute is one instance however
    many publications name it (``known``, across the chunks of one export). Prefetching
    made a model instance per pair, most of an export's time."""
    pairs = (
        Publication.institutes.through.objects.filter(publication_id__in=[p.pk for p in chunk])
        .order_by("institute__name", "institute_id")
        .values_list("publication_id", *(f"institute__{f}" for f in EXPORT_INSTITUTE_FIELDS))
    )
    given: dict[int, list[Institute]] = defaultdict(list)
    db = Publication.objects.db
    for publication_id, *values in pairs:
        institute = known.get(values[0])
        if institute is None:
            institute = known[values[0]] = Institute.from_db(db, EXPORT_INSTITUTE_FIELDS, values)
        given[publication_id].append(institute)
    for publication in chunk:
        # What Django's prefetch_related_objects stores for a many-to-many relation (the
        # stubs do not declare these private attributes).
        institutes: QuerySet[Institute] = QuerySet(model=Institute)
        institutes._result_cache = given[publication.pk]
        institutes._prefetch_done = True  # type: ignore[attr-defined]
        publication._prefetched_objects_cache = {"institutes": institutes}  # type: ignore[attr-defined]


def _give_forums(chunk: list[Publication]) -> None:
    """Gives each publication of ``chunk`` its forum in one query, one instance per forum
    (a join would make one per row, and send the forum's columns with every row)."""
    forums = Forum.objects.in_bulk({publication.forum_id for publication in chunk})
    for publication in chunk:
        publication.forum = forums[publication.forum_id]


def catalogue_export_chunks(
    *, filterset: CatalogueFilter, chunk_size: int = EXPORT_CHUNK
) -> Iterator[list[Publication]]:
    """Every approved publication a valid ``filterset`` matches, newest first (by date,
    then id), ``chunk_size`` at a time, each with its forum and institutes: three queries
    a chunk (the rows, their forums, their institutes), one more when the last chunk is
    full. Each chunk starts after the last row of the one before (keyset, not OFFSET), so
    a chunk costs the same at the end as at the start and memory holds one chunk."""
    matched = filterset.qs.defer(*EXPORT_DEFERRED)
    known: dict[int, Institute] = {}
    last: Publication | None = None
    while True:
        rows = matched if last is None else matched.filter(_before(last))
        chunk = list(rows.order_by(*ORDERINGS["newest"])[:chunk_size])
        if chunk:
            _give_forums(chunk)
            _give_institutes(chunk, known)
            yield chunk
        if len(chunk) < chunk_size:
            return
        last = chunk[-1]
