from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Rendering official documents (joint statements, action plans, concept papers) to PDF
    and keeping each PDF in step with its document. The apps that own a kind of document
    register it (``documents.registry``); this app knows none of their models."""

    name = "documents"
    verbose_name = _("PDF renderings")
