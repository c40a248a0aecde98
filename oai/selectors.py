"""What the OAI-PMH endpoint reads: records (publications that are or were public), in
datestamp order, a page at a time; the sets; the earliest datestamp."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from forums.models import Forum
from members.models import Institute
from oai.protocol import OaiRequest, SetSpec
from publications.models import Publication

# What a record's header and metadata show (oai.metadata): nothing else of the row is read.
RECORD_FIELDS = (
    "pk",
    "public_changed_at",
    "status",
    "title",
    "subtitle",
    "slug",
    "authors",
    "kind",
    "language",
    "published_on",
    "abstract",
    "keywords",
    "url",
    "doi",
    "isbn",
    "container_title",
    "publisher",
    "forum__id",
    "forum__name",
    "forum__slug",
)
HEADER_FIELDS = ("pk", "public_changed_at", "status", "forum__id", "forum__slug")
Links = Publication.institutes.through


def records() -> QuerySet[Publication]:
    """Every publication that is or was public: approved ones are records, those approved
    once and now returned or withdrawn are deleted records; one never approved has no
    ``public_changed_at`` and is never a record."""
    return Publication.objects.filter(public_changed_at__isnull=False)


def _in_set(rows: QuerySet[Publication], spec: SetSpec) -> QuerySet[Publication]:
    if spec.kind == "forum":
        if not spec.slug:
            return rows
        forum = Forum.objects.filter(slug=spec.slug).order_by().values("pk")[:1]
        return rows.filter(forum_id=Subquery(forum))
    if not spec.slug:
        return rows.filter(Exists(Links.objects.filter(publication_id=OuterRef("pk"))))
    links = Links.objects.filter(institute__slug=spec.slug)
    return rows.filter(pk__in=links.values("publication_id"))


@dataclass(frozen=True)
class Record:
    """A publication as a record shows it: the row (with its forum), its institutes as
    (name, slug) by name, and its themes' names."""

    publication: Publication
    institutes: list[tuple[str, str]]
    themes: list[str]


def record_page(*, request: OaiRequest, size: int, with_metadata: bool) -> list[Record]:
    """The next ``size`` + 1 records of a harvest (the one more says whether a page
    follows), after the token's last (datestamp, id): one range of the datestamp index
    however deep the page, then one query for the institutes and one for the themes."""
    rows = records()
    if request.set_spec is not None:
        rows = _in_set(rows, request.set_spec)
    if request.from_ is not None:
        rows = rows.filter(public_changed_at__gte=request.from_)
    if request.until is not None:
        rows = rows.filter(public_changed_at__lte=request.until)
    if request.after is not None:
        # A row comparison, which PostgreSQL reads as one index condition: the page starts
        # right after the last record listed, however many share its datestamp (a forum's
        # rename gives all its records the same second).
        after = Tuple(F("public_changed_at"), F("id"))
        rows = rows.filter(TupleGreaterThan(after, request.after))
    page = list(_ordered(rows, with_metadata=with_metadata)[: size + 1])
    return _with_relations(page, with_metadata=with_metadata)


def record_get(*, publication_id: int, with_metadata: bool = True) -> Record | None:
    page = list(_ordered(records().filter(pk=publication_id), with_metadata=with_metadata))
    return next(iter(_with_relations(page, with_metadata=with_metadata)), None)


def _ordered(rows: QuerySet[Publication], *, with_metadata: bool) -> QuerySet[Publication]:
    return (
        rows.select_related("forum")
        .only(*(RECORD_FIELDS if with_metadata else HEADER_FIELDS))
        .order_by("public_changed_at", "pk")
    )


def _with_relations(page: list[Publication], *, with_metadata: bool) -> list[Record]:
    """The page's institutes and themes read as values, not models: a page of a hundred
    records builds no other objects."""
    ids = [publication.pk for publication in page]
    institutes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    themes: dict[int, list[str]] = defaultdict(list)
    if ids:
        links = Links.objects.filter(publication_id__in=ids).order_by(
            "institute__name", "institute_id"
        )
        for publication_id, name, slug in links.values_list(
            "publication_id", "institute__name", "institute__slug"
        ):
            institutes[publication_id].append((name, slug))
    if ids and with_metadata:
        theme_links = Publication.themes.through.objects.filter(publication_id__in=ids)
        for publication_id, name in theme_links.order_by("theme__name", "theme_id").values_list(
            "publication_id", "theme__name"
        ):
            themes[publication_id].append(name)
    return [Record(p, institutes[p.pk], themes[p.pk]) for p in page]


def earliest_datestamp() -> datetime.datetime | None:
    earliest: datetime.datetime | None = records().aggregate(first=Min("public_changed_at"))[
        "first"
    ]
    return earliest


def set_list() -> tuple[list[Forum], list[Institute]]:
    """The forums and institutes that have records, by slug: each is a set."""
    forums = Forum.objects.filter(Exists(records().filter(forum_id=OuterRef("pk"))))
    linked = Links.objects.filter(
        institute_id=OuterRef("pk"), publication__public_changed_at__isnull=False
    )
    institutes = Institute.objects.filter(Exists(linked))
    return (
        list(forums.only("pk", "name", "slug").order_by("slug")),
        list(institutes.only("pk", "name", "slug").order_by("slug")),
    )
