from django.contrib import admin
from django.urls import path

admin.site.site_header = "Think Tank Forums — Secretariat"
admin.site.site_title = "Secretariat"
admin.site.index_title = "Forums, members and their documents"

urlpatterns = [
    path("admin/", admin.site.urls),
]
