from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans and meetings")

    def ready(self) -> None:
        from actionplans.documents import register_documents

        register_documents()
