from django.contrib import admin

from core.adminbase import SecretariatAdmin
from core.rules import is_active_superuser
from documents.models import DocumentCategory


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(SecretariatAdmin):
    """The kinds of document are one list shared by every forum: staff add the kinds
    their forums need; only superusers rename or delete one, since a change shows in every
    forum's register."""

    list_display = ("name", "name_ru", "slug", "symbol_pattern")
    search_fields = ("name", "name_ru", "symbol_pattern")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "name_ru", "slug", "symbol_pattern")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not is_active_superuser(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_active_superuser(request.user) and super().has_delete_permission(request, obj)
