from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from forums.adminbase import CountryFilter, ScopedTabularInline, SecretariatAdmin
from forums.models import Framework, FrameworkMemberState, Secretariat, Theme


@admin.register(Theme)
class ThemeAdmin(SecretariatAdmin):
    list_display = ("name", "name_ru", "slug")
    search_fields = ("name", "name_ru")
    prepopulated_fields = {"slug": ("name",)}


class FrameworkMemberStateInline(ScopedTabularInline):
    model = FrameworkMemberState
    fields = ("country", "joined_on")
    show_change_link = False


@admin.register(Framework)
class FrameworkAdmin(SecretariatAdmin):
    list_display = ("name", "short_name", "working_languages", "member_state_count")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FrameworkMemberStateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_state_count=Count("member_states"))
            .order_by("name")
        )

    @admin.display(description=_("member states"), ordering="member_state_count")
    def member_state_count(self, obj):
        return obj.member_state_count


@admin.register(Secretariat)
class SecretariatModelAdmin(SecretariatAdmin):
    list_display = ("name", "operator", "email")
    search_fields = ("name",)
    list_select_related = ("operator",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("operator",)
    filter_horizontal = ("staff",)


@admin.register(FrameworkMemberState)
class FrameworkMemberStateAdmin(SecretariatAdmin):
    list_display = ("country", "framework", "joined_on")
    list_filter = (("framework", admin.RelatedOnlyFieldListFilter), ("country", CountryFilter))
    search_fields = ("framework__name",)
    list_select_related = ("framework",)
    autocomplete_fields = ("framework",)
