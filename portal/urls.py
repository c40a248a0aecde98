from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularJSONAPIView

from oai import views as oai
from portal import language, metrics, views
from website import discovery, pages, register

admin.site.site_header = _("Think Tank Forums — Secretariat")
admin.site.site_title = _("Secretariat")
admin.site.index_title = _("Forums, members and their documents")
# Staff sign in through allauth (rate limits, 2FA), never through the admin's own form:
# it only sends a signed-in staff user on to the admin. (Wrapping the site's bound view is
# allauth's documented way; mypy refuses any assignment to a method.)
admin.site.login = secure_admin_login(require_GET(admin.site.login))  # type: ignore[method-assign]

forum_patterns = [
    path("", pages.forum_list, name="list"),
    path("<slug:slug>/", pages.forum_detail, name="detail"),
    path("<slug:slug>/meetings/", pages.forum_meeting_list, name="meetings"),
    path("<slug:slug>/reports/<int:year>/", pages.forum_annual_report, name="annual_report"),
    path("<slug:slug>/documents/", register.register, name="register"),
    path(
        "<slug:slug>/documents/<slug:category>/<str:day>/",
        register.document_by_date,
        name="document",
    ),
]
# A symbol has slashes of its own (SOC/2024-II/DEC/2): the PDF's address comes first.
document_patterns = [
    path("", register.register, name="register"),
    path("<path:symbol>/pdf/", register.document_pdf, name="pdf"),
    path("<path:symbol>/", register.document_by_symbol, name="by_symbol"),
]
institute_patterns = [
    path("", pages.institute_list, name="institute_list"),
    path("<slug:slug>/", pages.institute_detail, name="institute_detail"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Prometheus, for a token or a superuser only (docs/adr/0031).
    path("metrics", metrics.metrics, name="metrics"),
    # Browsers ask for it on every page that names none (the admin, PDFs, files).
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("sitemap.xml", discovery.sitemap, name="sitemap"),
    path("i18n/choose/<str:code>/", language.language_choose, name="language_choose"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public API, outside the language prefixes (docs/adr/0023-public-api.md).
    path("api/", include("api.urls")),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # OAI-PMH harvesters: the same answer with and without the slash, no redirect (some
    # harvesters follow none).
    path("oai/", oai.endpoint, name="oai"),
    path("oai", oai.endpoint),
]

# Files kept in a folder are served by the portal (an object store serves its own).
if settings.MEDIA_STORAGE == "local":
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.public_media, name="media")
    )

urlpatterns += i18n_patterns(
    path("", pages.home, name="home"),
    path("admin/", admin.site.urls),
    path("forums/", include((forum_patterns, "forums"))),
    path("documents/", include((document_patterns, "documents"))),
    path("institutes/", include((institute_patterns, "members"))),
    path("", include("actionplans.urls")),
    path("publications/", include("publications.urls")),
    path("answer/", include("secretariat.urls")),
    path("accounts/", include("allauth.urls")),
    path("invitation/", include("members.urls")),
    path("members/", include("workspace.urls")),
    prefix_default_language=False,
)
