from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forums.adminbase import SecretariatAdmin
from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import (
    catalogue_index,
    publication_approve,
    publication_file_changed,
)


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
    actions = ["approve"]
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

    def save_related(self, request, form, formsets, change):
        """The catalogue index reads the institutes and themes, so it is rebuilt after the
        many-to-many rows are saved."""
        super().save_related(request, form, formsets, change)
        catalogue_index(publications=[form.instance])
        if "file" in form.changed_data:
            publication_file_changed(publication=form.instance)

    @admin.action(description=_("Approve the selected publications"), permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for publication in queryset.exclude(status=PublicationStatus.APPROVED):
            if request.user.has_perm("publications.manage_publication", publication):
                publication_approve(publication=publication, by=request.user)
                approved += 1
        self.message_user(request, _("%(n)d publications approved.") % {"n": approved})
