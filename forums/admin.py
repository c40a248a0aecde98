from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.adminbase import CountryFilter, ScopedTabularInline, SecretariatAdmin
from core.rules import is_active_superuser
from forums.models import Forum, Framework, FrameworkMemberState, Secretariat, Theme


@admin.register(Theme)
class ThemeAdmin(SecretariatAdmin):
    """Themes are one vocabulary shared by every forum (docs/adr/0002): staff see and use
    them; only superusers add, rename or delete one, since a change shows in every forum."""

    list_display = ("name", "name_ru", "slug")
    search_fields = ("name", "name_ru")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request):
        return is_active_superuser(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_active_superuser(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_active_superuser(request.user) and super().has_delete_permission(request, obj)


class FrameworkMemberStateInline(ScopedTabularInline):
    model = FrameworkMemberState
    fields = ("country", "joined_on")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("framework")


@admin.register(Framework)
class FrameworkAdmin(SecretariatAdmin):
    list_display = ("name", "short_name", "working_languages", "member_state_count")
    search_fields = ("name", "name_ru", "short_name", "short_name_ru")
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
    search_fields = ("name", "name_ru")
    list_select_related = ("operator",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("operator",)
    filter_horizontal = ("staff",)

    def get_readonly_fields(self, request, obj=None):
        """Who works for a secretariat is a superuser's decision: it grants its forums."""
        fields = super().get_readonly_fields(request, obj)
        return fields if is_active_superuser(request.user) else (*fields, "staff")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(FrameworkMemberState)
class FrameworkMemberStateAdmin(SecretariatAdmin):
    list_display = ("country", "framework", "joined_on")
    list_filter = (("framework", admin.RelatedOnlyFieldListFilter), ("country", CountryFilter))
    search_fields = ("framework__name",)
    list_select_related = ("framework",)
    autocomplete_fields = ("framework",)


@admin.register(Forum)
class ForumAdmin(SecretariatAdmin):
    """Its memberships are shown by the members app (``core.adminbase.add_inline``)."""

    history_related = (("members.Membership", "forum_id", _("Changes to its memberships")),)

    list_display = ("name", "short_name", "framework", "secretariat", "cadence", "founded_on")
    list_filter = (
        ("framework", admin.RelatedOnlyFieldListFilter),
        ("secretariat", admin.RelatedOnlyFieldListFilter),
        "cadence",
    )
    search_fields = ("name", "name_ru", "short_name", "short_name_ru")
    list_select_related = ("framework", "secretariat")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("framework", "secretariat")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "name_ru"),
                    ("short_name", "short_name_ru"),
                    "slug",
                    "framework",
                    "secretariat",
                )
            },
        ),
        (
            _("How the forum works"),
            {
                "fields": (
                    "description",
                    "description_source",
                    "founded_on",
                    "founding_document",
                    "cadence",
                    "hosting_principle",
                    "admission_rule",
                    "orientation",
                    "website",
                )
            },
        ),
    )
