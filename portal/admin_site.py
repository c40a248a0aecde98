"""The secretariat admin's site: Django's, with every URL it adds itself scoped too."""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_noop

from portal.admin_home import grouped_app_list, staff_attention
from secretariat.admin_personal_data import personal_data_urls
from secretariat.admin_report import report_urls

# The admin's titles put a model's name into a sentence ("Change %s"); Russian would need
# it in another case than the nominative the model names give ("Изменить концептуальная
# записка"). The portal's own catalogue words these titles so that the name stands alone.
ADMIN_TITLES = (
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
)


class PortalAdminSite(admin.AdminSite):
    def get_urls(self):
        """Django's "view on site" redirect (``admin:view_on_site``) looks any object up by
        content type and id for any staff user; ours finds it through its ModelAdmin, so
        another secretariat's object, or one of a model the admin does not show, is 404.
        The implementation report of an action plan adds its pages beside the plan's."""
        urls = [url for url in super().get_urls() if getattr(url, "name", "") != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *report_urls(self),
            # A contact's personal data: export and erasure (docs/adr/0032).
            *personal_data_urls(self),
            *urls,
        ]

    def get_app_list(self, request, app_label=None):
        """The home page and the sidebar group the models by the secretariat's work
        (``portal.admin_home``); an app's own page keeps Django's list."""
        app_list = super().get_app_list(request, app_label)
        return app_list if app_label else grouped_app_list(app_list)

    def index(self, request, extra_context=None):
        """The staff home: what waits for them first, then the grouped models."""
        context = {
            "attention": staff_attention(site=self, request=request),
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as exc:
            raise Http404 from exc
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None:
            raise Http404
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValidationError, ValueError) as exc:
            raise Http404 from exc
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
