"""What the secretariat sends to members: concept papers and administrative notes."""

from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models import MAX_YEAR, MIN_YEAR, Activity, Meeting
from core.files import private_storage
from core.models import AuditedModel, RenderedDocument
from core.workflow import Workflow
from forums.models import Forum
from mail.models import OUTBOX_WORKFLOW, OutboxAttempt
from members.models import Contact, Institute
from secretariat.enums import (
    AnswerChannel,
    Attendance,
    CirculationStatus,
    DeliveryStatus,
    PaperKind,
    PaperStatus,
)


def _private_storage():
    return private_storage


class ConceptPaper(RenderedDocument, AuditedModel):
    """A concept paper or administrative note, circulated in advance of a planned activity
    or meeting; it says who organises, who participates and the terms of financial support."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="concept_papers"
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=PaperKind.choices, default=PaperKind.CONCEPT_PAPER
    )
    title = models.CharField(_("title"), max_length=255)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concept_papers",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concept_papers",
    )
    organisers = models.ManyToManyField(
        Institute, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    organisers_note = models.TextField(_("organisers (as worded)"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    financial_terms = models.TextField(_("terms of financial support"), blank=True)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PaperStatus.choices, default=PaperStatus.DRAFT
    )
    # Drafted, marked ready, circulated (by starting a circulation, which it stays after).
    workflow = Workflow(
        initial=[PaperStatus.DRAFT],
        moves={
            PaperStatus.DRAFT: [PaperStatus.READY, PaperStatus.CIRCULATED],
            PaperStatus.READY: [PaperStatus.DRAFT, PaperStatus.CIRCULATED],
        },
    )
    # Concept papers go to their recipients, not to the public.
    pdf = models.FileField(
        _("PDF"),
        storage=_private_storage,
        upload_to="concept-papers/pdf/%Y/",
        blank=True,
        editable=False,
    )

    forum_scope = "forum"
    history = HistoricalRecords(excluded_fields=RenderedDocument.UNTRACKED)

    class Meta:
        verbose_name = _("concept paper or note")
        verbose_name_plural = _("concept papers and notes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(meeting__isnull=False),
                name="concept_paper_has_activity_or_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_stem(self) -> str:
        return (
            slugify(self.reference.replace("/", " ")) or slugify(self.title)[:80] or "concept-paper"
        )


def _attachment_name(attachment: "ConceptPaperAttachment", filename: str) -> str:
    """``concept-papers/attachments/<year>/<paper>-<title>.<ext>``: named by what they are."""
    extension = PurePosixPath(filename).suffix.lower()
    stem = "-".join(
        part for part in (attachment.paper.file_stem, slugify(attachment.title)[:60]) if part
    )
    return f"concept-papers/attachments/{timezone.now():%Y}/{stem}{extension}"


class AnnualReport(RenderedDocument, AuditedModel):
    """A forum's annual report of one year in one language, as a PDF that a worker renders
    and ``documents_refresh`` keeps in step with the data (docs/adr/0016). It is made of
    public data only, so it is public: its current PDF is copied to the public storage."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    forum_scope = "forum"
    history = HistoricalRecords(excluded_fields=RenderedDocument.UNTRACKED)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["forum", "-year", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "year", "language"], name="annual_report_one_per_language"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="annual_report_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} — {self.year} ({self.language})"

    @property
    def is_public(self) -> bool:
        return True

    @property
    def file_stem(self) -> str:
        """``<forum>-annual-report-<year>-<language>``; the forum is loaded with it
        wherever a file is named (the kind's queryset, the admin's)."""
        return f"{self.forum.slug}-annual-report-{self.year}-{self.language}"


class ConceptPaperAttachment(AuditedModel):
    paper = models.ForeignKey(
        ConceptPaper,
        verbose_name=_("concept paper"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=255)
    # For the secretariat only, like the paper before it is circulated: private storage.
    file = models.FileField(
        _("file"),
        storage=_private_storage,
        upload_to=_attachment_name,
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "odt"])],
    )
    # What staff see of a PDF on its admin page, read by the upload's check: a PDF
    # attached before these were kept, or another kind of document, shows its size only.
    pdf_pages = models.PositiveIntegerField(_("pages"), null=True, editable=False)
    pdf_preview = models.TextField(_("start of the PDF's text"), blank=True, editable=False)

    forum_scope = "paper__forum"
    # They follow the file, which the history records.
    history = HistoricalRecords(excluded_fields=["pdf_pages", "pdf_preview"])

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["paper", "title"]

    def __str__(self) -> str:
        return self.title


class Circulation(AuditedModel):
    """One sending of a concept paper or note to its recipients. Each recipient is a
    ``Delivery`` row: PostgreSQL, not the broker, is the record of what went out."""

    paper = models.ForeignKey(
        ConceptPaper,
        verbose_name=_("concept paper or note"),
        on_delete=models.PROTECT,
        related_name="circulations",
    )
    subject = models.CharField(_("subject"), max_length=255)
    message = models.TextField(_("covering message"), blank=True)
    paper_version = models.PositiveIntegerField(_("version sent"), default=1)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CirculationStatus.choices,
        default=CirculationStatus.PREPARING,
    )
    # The document exactly as it went out, kept with the circulation: a later edit of the
    # paper makes a new version of the paper, not of what these recipients received.
    pdf = models.FileField(
        _("PDF sent"),
        storage=_private_storage,
        upload_to="circulations/%Y/",
        blank=True,
        editable=False,
    )
    error = models.TextField(_("why the document could not be prepared"), blank=True)
    # The one-time token of the form that started it: the same form sent twice (a double
    # click, a retry after an error page) finds this circulation instead of making another.
    request_token = models.CharField(
        _("request"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    forum_scope = "paper__forum"
    # A worker renders the paper (rendering never runs in a web request) and keeps its PDF
    # here; only then do the deliveries go out. A failed preparation can be tried again.
    workflow = Workflow(
        initial=[CirculationStatus.PREPARING],
        moves={
            CirculationStatus.PREPARING: [CirculationStatus.READY, CirculationStatus.FAILED],
            CirculationStatus.FAILED: [CirculationStatus.PREPARING],
        },
        transition_fields=("error",),
    )
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """The document going to one recipient: queued → sending → sent, or failed with the
    reason. Claimed by a conditional UPDATE, so no two workers send the same row
    (docs/adr/0005)."""

    circulation = models.ForeignKey(
        Circulation,
        verbose_name=_("circulation"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    claim_token = models.CharField(_("claim"), max_length=32, blank=True, editable=False)

    forum_scope = "circulation__paper__forum"
    workflow = OUTBOX_WORKFLOW
    attempt_model: ClassVar[type["DeliveryAttempt"]]  # set below, once it is defined

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["circulation", "organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["circulation", "email"], name="delivery_once_per_address"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["circulation", "status"], name="delivery_progress"),
            # An institute's deliveries by circulation (the member's documents awaiting an
            # answer: its first delivery of each circulation, and whether any was answered).
            models.Index(fields=["institute", "circulation", "id"], name="delivery_of_institute"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a copy that a worker's death made us
        send twice is recognisable as the same message."""
        return (
            f"<delivery-{self.pk}.circulation-{self.circulation_id}@{settings.MESSAGE_ID_DOMAIN}>"
        )


class DeliveryAttempt(OutboxAttempt):
    """One attempt to send a delivery (forums.models.OutboxAttempt)."""

    row = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", db_index=False
    )

    forum_scope = "row__circulation__paper__forum"

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(fields=["row", "number"], name="delivery_attempt_once"),
        ]


Delivery.attempt_model = DeliveryAttempt


class Answer(AuditedModel):
    """A recipient's answer to a circulated document: attending or not, who comes, remarks.
    Given in the member portal or through the signed link in the e-mail."""

    delivery = models.OneToOneField(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="answer"
    )
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)
    attendees = models.TextField(
        _("who will come"),
        blank=True,
        help_text=_("One person a line: name, position."),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    channel = models.CharField(_("answered through"), max_length=10, choices=AnswerChannel.choices)

    forum_scope = "delivery__circulation__paper__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.get_attendance_display()
