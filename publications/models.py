"""The catalogue of the member institutions' publications."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace, Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models import Activity
from core.files import private_storage
from core.models import AuditedModel
from core.workflow import Workflow
from forums.models import Forum, Theme
from members.models import Institute
from publications.enums import Language, PublicationKind, PublicationStatus
from publications.validators import doi_normalize

KIND_LABELS = dict(PublicationKind.choices)
LANGUAGE_LABELS = dict(Language.choices)


def _private_storage():
    return private_storage


def isbn_digits() -> Replace:
    """The stored ISBN without its hyphens and spaces, upper-case: what a search compares
    (``publications.search.identifier_query``), and what the ISBN index holds."""
    return Replace(Replace(Upper("isbn"), Value("-"), Value("")), Value(" "), Value(""))


class Publication(AuditedModel):
    """A catalogue item. Members submit; it is public only once the secretariat approves."""

    title = models.CharField(_("title"), max_length=500)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    authors = models.TextField(
        _("authors"), blank=True, help_text=_("One per line, as “Family name, Given names”.")
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.PROTECT,
        related_name="publications",
        db_index=False,  # publication_forum_date below leads with it
    )
    institutes = models.ManyToManyField(
        Institute, verbose_name=_("institutes"), related_name="publications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PublicationKind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    published_on = models.DateField(_("date of publication"))
    container_title = models.CharField(
        _("published in"),
        max_length=300,
        blank=True,
        help_text=_("The journal, periodical or series it appeared in. Required for an article."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty when the institutes published it themselves."),
    )
    abstract = models.TextField(_("abstract"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    activities = models.ManyToManyField(
        Activity,
        verbose_name=_("action plan activities"),
        blank=True,
        related_name="publications",
        help_text=_("The activities this publication fulfils."),
    )
    file = models.FileField(
        _("PDF file"),
        storage=_private_storage,
        upload_to="publications/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    # While approved, a copy of ``file`` in the public storage, served by URL; the file
    # itself never leaves the private storage (docs/adr/0010).
    public_file = models.FileField(
        _("public copy of the PDF"), upload_to="publications/%Y/", blank=True, editable=False
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.SUBMITTED,
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_publications",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    extracted_text = models.TextField(_("text extracted from the PDF"), blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    # Kept up to date by a PostgreSQL trigger (migrations 0003 and 0004, docs/adr/0004 and
    # 0008); always NULL on SQLite, where the catalogue falls back to a simpler search.
    # ``search_vector`` (every searched field, the PDF's text too) decides what matches;
    # ``search_head`` (title, authors, keywords, abstract: small enough to stay in the row)
    # orders the matches by relevance.
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)
    is_synthetic = models.BooleanField(_("synthetic demo data"), default=False)
    # A publication harvested from an institute's repository (members.HarvestSource): the
    # institute and the record's OAI identifier there, which the next harvests find it by.
    harvested_from = models.ForeignKey(
        Institute,
        verbose_name=_("harvested from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    oai_identifier = models.CharField(
        _("OAI identifier"), max_length=255, blank=True, editable=False
    )
    # When what the public sees of it last changed (approved, returned, edited while
    # approved, an institute, forum or theme of it renamed), to the second; NULL while it
    # has never been approved. Written only by PostgreSQL triggers (migration 0013), so
    # every writer moves it; the OAI-PMH endpoint pages on it
    # (docs/adr/0025-oai-pmh-records-and-datestamps.md).
    public_changed_at = models.DateTimeField(
        _("public record last changed"), null=True, blank=True, editable=False
    )

    forum_scope = "forum"
    # Members submit and withdraw (and, by editing, submit a returned one again); the
    # secretariat approves, or returns with a reason, also an approved one it takes back.
    workflow = Workflow(
        initial=[PublicationStatus.SUBMITTED],
        moves={
            PublicationStatus.SUBMITTED: [
                PublicationStatus.APPROVED,
                PublicationStatus.RETURNED,
                PublicationStatus.WITHDRAWN,
            ],
            PublicationStatus.RETURNED: [PublicationStatus.SUBMITTED, PublicationStatus.WITHDRAWN],
            PublicationStatus.APPROVED: [PublicationStatus.RETURNED],
        },
        transition_fields=("return_reason", "reviewed_by", "reviewed_at"),
    )
    history = HistoricalRecords(
        excluded_fields=[
            "extracted_text",
            "page_count",
            "search_vector",
            "search_head",
            "public_file",
            "public_changed_at",
        ]
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="publication_doi_unique"
            ),
            models.UniqueConstraint(
                fields=["harvested_from", "oai_identifier"],
                condition=~Q(oai_identifier=""),
                name="publication_oai_identifier_unique",
            ),
            models.CheckConstraint(
                condition=Q(oai_identifier="") | Q(harvested_from__isnull=False),
                name="publication_oai_identifier_has_institute",
            ),
            models.CheckConstraint(
                condition=Q(published_on__gte=datetime.date(1900, 1, 1))
                & Q(published_on__lte=datetime.date(2100, 12, 31)),
                name="publication_date_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=PublicationStatus.RETURNED) | ~Q(return_reason=""),
                name="publication_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values),
                name="publication_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on", "-id"], name="publication_status_date"),
            models.Index(fields=["status", "title", "id"], name="publication_status_title"),
            # The admin's list, which shows every status: its orders and its ISBN search.
            models.Index(fields=["-published_on", "-id"], name="publication_date"),
            models.Index(fields=["title", "id"], name="publication_title"),
            # An ISBN is found however it was typed (hyphens, spaces, a lower-case x).
            models.Index(isbn_digits(), condition=~Q(isbn=""), name="publication_isbn_digits"),
            # Staff see their forums' rows: listed newest first, counted, and joined to a
            # filter's ids (a theme, the newest matches of a search) from this index alone.
            models.Index(fields=["forum", "-published_on", "-id"], name="publication_forum_date"),
            # The OAI-PMH records (every publication ever public) in datestamp order: each
            # page of a harvest, of all records or of one forum's, is one range of these.
            models.Index(
                fields=["public_changed_at", "id"],
                condition=Q(public_changed_at__isnull=False),
                name="publication_oai_datestamp",
            ),
            models.Index(
                fields=["forum", "public_changed_at", "id"],
                condition=Q(public_changed_at__isnull=False),
                name="publication_oai_forum",
            ),
            # The feeds of new publications: approved rows, the latest approval first.
            models.Index(
                F("reviewed_at").desc(nulls_last=True),
                F("id").desc(),
                condition=Q(status=PublicationStatus.APPROVED),
                name="publication_approved",
            ),
            models.Index(
                F("forum"),
                F("reviewed_at").desc(nulls_last=True),
                F("id").desc(),
                condition=Q(status=PublicationStatus.APPROVED),
                name="publication_forum_approved",
            ),
        ]

    def clean(self) -> None:
        """A DOI is kept as the DOI itself, however it was pasted (``doi_normalize``); an
        article names the journal it appeared in, which every citation of it needs."""
        super().clean()
        self.container_title = self.container_title.strip()
        self.publisher = self.publisher.strip()
        if self.kind == PublicationKind.ARTICLE and not self.container_title:
            raise ValidationError(
                {"container_title": _("Name the journal or periodical the article appeared in.")}
            )
        if self.doi:
            try:
                self.doi = doi_normalize(self.doi)
            except ValidationError as exc:
                raise ValidationError({"doi": exc.messages}) from exc

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.APPROVED

    # Django's get_FOO_display() translates every choice's label to find one: on a list
    # of results that is most of the page's time. These translate only the one needed.
    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def language_label(self) -> str:
        return str(LANGUAGE_LABELS.get(self.language, self.language))

    # The stubs declare Django's generated method, which this one replaces.
    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        """As Django's, translating only this kind's label (an export of 100,000
        publications spent 50 s in Django's, which translates every choice to find it)."""
        return self.kind_label

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


class CatalogueFacet(models.Model):
    """The public catalogue's narrow index: one row per approved publication and facet
    value (its forum, kind, language, year, each institute, country and theme).

    Written only by ``publications.services.catalogue_index``; every facet count of the
    catalogue page is one GROUP BY over this table (docs/adr/0004)."""

    class Name(models.TextChoices):
        FORUM = "forum", _("Forum")
        INSTITUTE = "institute", _("Institute")
        COUNTRY = "country", _("Country")
        KIND = "kind", _("Kind")
        THEME = "theme", _("Theme")
        LANGUAGE = "language", _("Language")
        YEAR = "year", _("Year")

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="facets", db_index=False
    )
    name = models.CharField(max_length=12, choices=Name.choices)
    value = models.CharField(max_length=140)

    class Meta:
        verbose_name = _("catalogue facet")
        verbose_name_plural = _("catalogue facets")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "name", "value"], name="catalogue_facet_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["name", "value", "publication"], name="catalogue_facet_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class CatalogueGeneration(models.Model):
    """One row whose ``value`` changes, at commit, with every transaction that writes
    anything the public catalogue shows (publications, their facet rows, forums, themes,
    institutes): PostgreSQL triggers keep it (migration 0004). Cached catalogue data is
    keyed by it, so a cache entry can never outlive the data it was computed from
    (docs/adr/0008)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("catalogue generation")
        verbose_name_plural = _("catalogue generations")

    def __str__(self) -> str:
        return str(self.value)
