from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forums.adminbase import ScopedTabularInline, SecretariatAdmin
from members.admin import InstituteAdmin
from members.models import Institute
from publications.services import catalogue_index
from secretariat.models import ConceptPaper, ConceptPaperAttachment


class CatalogueAwareInstituteAdmin(InstituteAdmin):
    """The institute page, which also keeps the public catalogue's country facet right when
    an institute's country is corrected. Registered here, at the top of the app layers,
    because `members` cannot import `publications`."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "country" in form.changed_data:
            catalogue_index(publications=obj.publications.all())


admin.site.unregister(Institute)
admin.site.register(Institute, CatalogueAwareInstituteAdmin)


class AttachmentInline(ScopedTabularInline):
    model = ConceptPaperAttachment
    fields = ("title", "file")
    show_change_link = False


@admin.register(ConceptPaper)
class ConceptPaperAdmin(SecretariatAdmin):
    list_display = ("title", "kind", "forum", "activity", "meeting", "status")
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter), "kind", "status")
    search_fields = ("title", "reference", "body")
    list_select_related = ("forum", "activity", "meeting")
    autocomplete_fields = ("forum", "activity", "meeting", "organisers")
    inlines = [AttachmentInline]
    fieldsets = (
        (None, {"fields": ("forum", "kind", "title", "reference", "status")}),
        (_("For"), {"fields": ("activity", "meeting")}),
        (
            _("Organisation"),
            {"fields": ("organisers", "organisers_note", "participants", "financial_terms")},
        ),
        (_("Text"), {"fields": ("body",)}),
    )


@admin.register(ConceptPaperAttachment)
class ConceptPaperAttachmentAdmin(SecretariatAdmin):
    list_display = ("title", "paper")
    search_fields = ("title", "paper__title")
    list_select_related = ("paper",)
    autocomplete_fields = ("paper",)
