from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from forums.adminbase import ScopedTabularInline, SecretariatAdmin
from secretariat.models import ConceptPaper, ConceptPaperAttachment


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
