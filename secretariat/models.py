"""What the secretariat sends to members: concept papers and administrative notes."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models import Activity, Meeting
from forums.models import AuditedModel, Forum
from members.models import Institute
from secretariat.enums import PaperKind, PaperStatus


class ConceptPaper(AuditedModel):
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

    forum_scope = "forum"
    history = HistoricalRecords()

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


class ConceptPaperAttachment(AuditedModel):
    paper = models.ForeignKey(
        ConceptPaper,
        verbose_name=_("concept paper"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to="concept-papers/%Y/",
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "odt"])],
    )

    forum_scope = "paper__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["paper", "title"]

    def __str__(self) -> str:
        return self.title
