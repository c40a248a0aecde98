import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import AuditedModel, name_in_language
from documents.enums import DocumentType, RenderStatus


class RenderJob(models.Model):
    """One PDF rendering: which document, from which version, and how it went."""

    document_type = models.CharField(_("document"), max_length=20, choices=DocumentType.choices)
    object_id = models.PositiveBigIntegerField(_("document id"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        # Its table keeps the name it had when rendering lived in the secretariat app.
        db_table = "secretariat_renderjob"
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["document_type", "object_id", "-created_at"], name="render_job_doc"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.object_id} v{self.version}"


# What each placeholder of a symbol pattern stands for.
SYMBOL_PLACEHOLDERS: dict[str, str] = {
    "{year}": r"\d{4}",
    "{number}": r"\d+",
    "{roman}": r"[IVXLC]+",
    "{code}": r"[A-Za-z0-9.-]+",
}


def symbol_regex(pattern: str) -> re.Pattern[str]:
    """A symbol pattern ("SOC/{year}-{roman}/DEC/{number}") as a regular expression: the
    placeholders stand for their kind of text, everything else for itself."""
    parts = re.split(r"(\{[a-z]+\})", pattern)
    return re.compile(
        "".join(SYMBOL_PLACEHOLDERS.get(part, re.escape(part)) for part in parts) + r"\Z"
    )


def validate_symbol_pattern(pattern: str) -> None:
    unknown = set(re.findall(r"\{[a-z]*\}", pattern)) - set(SYMBOL_PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s: use %(known)s."),
            params={"names": ", ".join(sorted(unknown)), "known": ", ".join(SYMBOL_PLACEHOLDERS)},
        )


class DocumentCategory(AuditedModel):
    """A kind of official document in the register (action plan, joint statement, joint
    communiqué, …): data the secretariat extends, with the pattern its symbols follow."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=120, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Part of the address of its documents that have no symbol."),
    )
    symbol_pattern = models.CharField(
        _("symbol pattern"),
        max_length=120,
        blank=True,
        validators=[validate_symbol_pattern],
        help_text=_(
            "e.g. SOC/{year}-{roman}/DEC/{number}: {year} is four digits, {number} a number, "
            "{roman} a Roman numeral, {code} letters and digits. Empty: any symbol."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of document")
        verbose_name_plural = _("kinds of document")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return name_in_language(self.name, self.name_ru)

    def symbol_matches(self, symbol: str) -> bool:
        return not self.symbol_pattern or bool(symbol_regex(self.symbol_pattern).match(symbol))
