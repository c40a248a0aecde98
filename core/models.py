"""The base classes every app's models build on (abstract: no tables of their own).

``AuditedModel`` is the base of every domain model in the portal: it records who created
and last changed a row, and registers the ``<app>.manage_<model>`` object permission.
``RenderedDocument`` is what a document rendered to PDF keeps of its PDF.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from core.files import private_files
from core.rules import can_manage


def name_in_language(name: str, name_ru: str) -> str:
    """A shared vocabulary's name as a page shows it: the Russian one on Russian pages,
    where there is one; else the English."""
    if name_ru and (get_language() or "").startswith("ru"):
        return name_ru
    return name


def name_language(name_ru: str) -> str:
    """The language of what ``name_in_language`` shows (for a ``lang`` attribute)."""
    return "ru" if name_ru and (get_language() or "").startswith("ru") else "en"


class ForumStaffManaged(RulesModel):
    """A row the admin opens only for superusers and the staff of the secretariat running
    its forum (``<app>.manage_<model>``, ``core.rules.can_manage``)."""

    class Meta:
        abstract = True

    @classmethod
    def preprocess_rules_permissions(cls, perms):
        if not cls._meta.abstract:
            perms.setdefault("manage", can_manage)


class AuditedModel(ForumStaffManaged):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The ORM path from this model to its Forum; None for shared reference data.
    forum_scope: ClassVar[str | None] = None
    forum_scope_shows_unowned: ClassVar[bool] = False

    class Meta:
        abstract = True


class RenderedDocument(models.Model):
    """A document the portal renders to PDF. ``version`` is raised by the services that
    change its content; the PDF records the version it was rendered from, so a page links
    it only while it is current (docs/adr/0006).

    Every PDF is kept in the private storage (``pdf``); while the document is public
    (``is_public``: a published statement, an adopted plan) a copy of its current PDF is
    in the public storage (``public_pdf``), served by URL (docs/adr/0010). A draft is never
    written where the public can fetch it."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    pdf = models.FileField(
        _("PDF"), storage=private_files, upload_to="documents/%Y/", blank=True, editable=False
    )
    public_pdf = models.FileField(
        _("public copy of the PDF"), upload_to="documents/%Y/", blank=True, editable=False
    )
    pdf_version = models.PositiveIntegerField(_("PDF of version"), null=True, editable=False)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, editable=False)
    # A digest of the HTML the PDF was made from: what the PDF shows, whoever changed it
    # (an institute renamed, a command, the shell), is compared with it (docs/adr/0006).
    pdf_fingerprint = models.CharField(
        _("fingerprint of the PDF's content"), max_length=64, blank=True, editable=False
    )

    # What staff see of the PDF on the document's admin page, read when it is stored; a PDF
    # stored before these were kept has neither (its page shows the size only).
    pdf_pages = models.PositiveIntegerField(_("pages"), null=True, editable=False)
    pdf_preview = models.TextField(_("start of the PDF's text"), blank=True, editable=False)

    # Rendering is not a change of the document: its history leaves these out.
    UNTRACKED = [
        "pdf",
        "public_pdf",
        "pdf_version",
        "pdf_rendered_at",
        "pdf_fingerprint",
        "pdf_pages",
        "pdf_preview",
    ]

    class Meta:
        abstract = True

    @property
    def has_current_pdf(self) -> bool:
        return bool(self.pdf) and self.pdf_version == self.version

    @property
    def is_public(self) -> bool:
        """Whether the public may read the document (and so download its PDF)."""
        return False

    @property
    def file_stem(self) -> str:
        """What its files are named after: its symbol or title, never an id."""
        return "document"
