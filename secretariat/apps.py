from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("Secretariat documents")

    def ready(self) -> None:
        # The PDF pages of statements, plans and concept papers, and the implementation
        # report, over the admins the apps registered: the admin app is listed first in
        # INSTALLED_APPS, so its autodiscovery (every app's admin module) has run by now.
        from secretariat import admin_documents  # noqa: F401
