"""Reads of the public catalogue: the search page, a publication's page, feeds and exports.

Only approved publications are ever returned by anything here.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from forums.models import Forum, Theme
from members.models import Institute
from publications.enums import Language, PublicationKind, PublicationStatus
from publications.filters import CatalogueFilter
from publications.models import CatalogueFacet, Publication
from publications.search import with_rank, words_of

PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": _("Title"),
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


def public_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(status=PublicationStatus.APPROVED)


def public_institutes_prefetch() -> Prefetch:
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
    page: Page | None = None
    total: int = 0
    facets: list[Facet] = field(default_factory=list)
    sort: str = "newest"
    per_page: int = DEFAULT_PER_PAGE

    @property
    def is_valid(self) -> bool:
        return self.page is not None


class KnownCountPaginator(Paginator):
    """A paginator told the total (the facet query already counted it): no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _sort(data: QueryDict, *, has_query: bool) -> str:
    sort = data.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not has_query):
        return "relevance" if has_query else "newest"
    return sort


def _per_page(data: QueryDict) -> int:
    value = data.get("per_page", "")
    return int(value) if value.isdigit() and int(value) in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


def _ordered(qs: QuerySet, *, sort: str, text: str) -> QuerySet:
    if sort == "relevance":
        return with_rank(qs, text).order_by("-rank", "-published_on", "-id")
    if sort == "oldest":
        return qs.order_by("published_on", "id")
    if sort == "title":
        return qs.order_by("title", "id")
    return qs.order_by("-published_on", "-id")


def _facet_counts(matched: QuerySet | None) -> dict[str, dict[str, int]]:
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


def _facets(counts, labels, selected: dict[str, list[str]]) -> list[Facet]:
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


def catalogue_search(*, data: QueryDict) -> Catalogue:
    """The catalogue page for these parameters. Invalid parameters give a Catalogue whose
    ``page`` is None (the view answers 400 with the form's errors); a page number past the
    end raises ``django.core.paginator.InvalidPage`` (the view answers 404).

    Queries, whatever the page size: one GROUP BY for every facet's counts (which also gives
    the total), one per facet model that has values to name, one for the page, one for the
    page's institutes."""
    filterset = CatalogueFilter(data, queryset=public_publications())
    catalogue = Catalogue(filterset=filterset)
    if not filterset.is_valid():
        return catalogue
    text = filterset.form.cleaned_data.get("q") or ""
    has_query = bool(words_of(text))
    catalogue.sort = _sort(data, has_query=has_query)
    catalogue.per_page = _per_page(data)
    matched = filterset.qs if filterset.is_filtered else None

    counts = _facet_counts(matched)
    catalogue.total = sum(counts.get("forum", {}).values())
    selected = {
        name: [str(v) for v in filterset.form.cleaned_data.get(name) or []] for name in FACET_ORDER
    }
    catalogue.facets = _facets(counts, _labels(counts), selected)

    rows = _ordered(
        matched if matched is not None else public_publications(), sort=catalogue.sort, text=text
    )
    # The list never shows the PDF text or the search vector: they stay in TOAST.
    rows = rows.defer("extracted_text", "search_vector").select_related("forum")
    rows = rows.prefetch_related(public_institutes_prefetch())
    paginator = KnownCountPaginator(rows, catalogue.per_page, count=catalogue.total)
    catalogue.page = paginator.page(data.get("page") or 1)
    return catalogue


def publication_public_detail(*, slug: str) -> Publication:
    """An approved publication with what its page shows; DoesNotExist otherwise."""
    return (
        public_publications()
        .select_related("forum")
        .prefetch_related(public_institutes_prefetch(), "themes")
        .get(slug=slug)
    )


def publication_related(*, publication: Publication, limit: int = 5) -> list[Publication]:
    """Approved publications sharing the most themes or institutes with this one."""
    mine = CatalogueFacet.objects.filter(
        publication=publication, name__in=("theme", "institute")
    ).values_list("name", "value")
    shared = Q()
    for name, value in mine:
        shared |= Q(name=name, value=value)
    if not shared:
        return []
    scored = (
        CatalogueFacet.objects.filter(shared)
        .exclude(publication=publication)
        .values("publication")
        .annotate(score=Count("*"))
        .order_by("-score", "-publication__published_on", "-publication")[:limit]
    )
    ids = [row["publication"] for row in scored]
    by_id = public_publications().select_related("forum").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def publication_latest(*, limit: int) -> list[Publication]:
    """The newest approved publications with their institutes (two queries)."""
    rows = public_publications().prefetch_related(public_institutes_prefetch())
    return list(rows.order_by("-published_on", "-id")[:limit])


def publication_list_for_institute(*, institute: Institute, limit: int) -> list[Publication]:
    """An institute's newest approved publications with their institutes (two queries)."""
    rows = public_publications().filter(institutes=institute)
    rows = rows.prefetch_related(public_institutes_prefetch())
    return list(rows.order_by("-published_on", "-id")[:limit])
