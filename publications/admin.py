from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forums.adminbase import SecretariatAdmin
from publications.models import Publication


@admin.register(Publication)
class PublicationAdmin(SecretariatAdmin):
    list_display = ("title", "forum", "kind", "language", "published_on", "status")
    list_filter = (
        "status",
        ("forum", admin.RelatedOnlyFieldListFilter),
        "kind",
        "language",
        "is_synthetic",
        ("themes", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "subtitle", "authors", "doi", "isbn")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum", "institutes", "themes", "activities")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_on"
    readonly_fields = ("submitted_by", "reviewed_by", "reviewed_at")
    fieldsets = (
        (None, {"fields": ("title", "subtitle", "slug", "authors", "forum", "institutes")}),
        (
            _("Description"),
            {"fields": ("kind", "language", "published_on", "abstract", "keywords", "themes")},
        ),
        (_("File and identifiers"), {"fields": ("file", "url", "doi", "isbn")}),
        (_("Action plan"), {"fields": ("activities",)}),
        (
            _("Review"),
            {"fields": ("status", "return_reason", "submitted_by", "reviewed_by", "reviewed_at")},
        ),
    )
