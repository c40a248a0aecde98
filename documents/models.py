from django.db import models
from django.utils.translation import gettext_lazy as _

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
