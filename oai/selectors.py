"""What the OAI-PMH endpoint reads: records (publications that are or were public), in
datestamp order, a page at a time; the sets; the earliest datestamp."""

import datetime

from django.db.models import Exists, F, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

from forums.models import Forum, Theme
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


def record_page(*, request: OaiRequest, size: int, with_metadata: bool) -> list[Publication]:
    """The next ``size`` + 1 records of a harvest (the one more says whether a page
    follows), after the token's last (datestamp, id): one range of the datestamp index
    however deep the page, and one query for each relation."""
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
    return list(_with_relations(rows, with_metadata=with_metadata)[: size + 1])


def record_get(*, publication_id: int, with_metadata: bool = True) -> Publication | None:
    return _with_relations(records().filter(pk=publication_id), with_metadata=with_metadata).first()


def _with_relations(rows: QuerySet[Publication], *, with_metadata: bool) -> QuerySet[Publication]:
    institutes = Institute.objects.only("pk", "name", "slug").order_by("name", "pk")
    rows = (
        rows.select_related("forum")
        .only(*(RECORD_FIELDS if with_metadata else HEADER_FIELDS))
        .order_by("public_changed_at", "pk")
        .prefetch_related(Prefetch("institutes", queryset=institutes))
    )
    if with_metadata:
        themes = Theme.objects.only("pk", "name").order_by("name", "pk")
        rows = rows.prefetch_related(Prefetch("themes", queryset=themes))
    return rows


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
