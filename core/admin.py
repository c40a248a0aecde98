"""The guard against lost updates (``core.adminbase.RowStateAdminMixin``) also on the admin
pages the portal takes as they are from Django and allauth: logins, groups, e-mail
addresses, authenticators. (Every admin of the portal's own apps has it through
``SecretariatAdmin``.) Runs after their admin modules: ``core`` comes after them in
``INSTALLED_APPS``."""

from django.contrib import admin

from core.adminbase import RowStateAdminMixin

_TAKEN_AS_THEY_ARE = ("auth", "account", "mfa")

for model, model_admin in list(admin.site._registry.items()):
    if model._meta.app_label in _TAKEN_AS_THEY_ARE and not isinstance(
        model_admin, RowStateAdminMixin
    ):
        admin_class = type(model_admin)
        admin.site.unregister(model)
        admin.site.register(
            model, type(admin_class.__name__, (RowStateAdminMixin, admin_class), {})
        )
