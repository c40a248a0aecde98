from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from portal.views import healthz

admin.site.site_header = _("Think Tank Forums — Secretariat")
admin.site.site_title = _("Secretariat")
admin.site.index_title = _("Forums, members and their documents")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
]
