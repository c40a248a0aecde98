"""The secretariat's register of institutes, contacts and memberships.

The forum's admin page is here too, because its main inline is the forum's memberships.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from forums.adminbase import (
    CountryFilter,
    ScopedStackedInline,
    ScopedTabularInline,
    SecretariatAdmin,
)
from forums.models import Forum
from members.models import (
    Contact,
    FocalPoint,
    Institute,
    Membership,
    MembershipStatusChange,
    Recommendation,
    StateContact,
)
from members.services import (
    InvitationRefused,
    RecommendationDecided,
    invitation_send,
    membership_save,
    recommendation_admit,
    recommendation_decline,
)


class ContactInline(ScopedStackedInline):
    model = Contact
    fields = (("honorific", "full_name"), "position", ("email", "phone"), "is_active")
    show_change_link = True


class InstituteMembershipInline(ScopedTabularInline):
    model = Membership
    fk_name = "institute"
    fields = ("forum", "status", "is_founding_member", "decided_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Institute)
class InstituteAdmin(SecretariatAdmin):
    list_display = ("name", "short_name", "country", "kind", "is_synthetic")
    list_filter = (("country", CountryFilter), "kind", "is_synthetic")
    search_fields = ("name", "short_name", "parent_authority")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ContactInline, InstituteMembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "country", "kind", "parent_authority")}),
        (
            _("Profile"),
            {"fields": ("description", "website", "email", "phone", "address", "logo")},
        ),
        (_("Demo data"), {"fields": ("is_synthetic",), "classes": ["collapse"]}),
    )


class FocalPointInline(ScopedTabularInline):
    model = FocalPoint
    fields = ("forum", "since")
    show_change_link = False


@admin.register(Contact)
class ContactAdmin(SecretariatAdmin):
    list_display = ("full_name", "position", "institute", "email", "is_active")
    list_filter = ("is_active", ("institute", admin.RelatedOnlyFieldListFilter))
    search_fields = ("full_name", "email", "position", "institute__name", "institute__short_name")
    list_select_related = ("institute",)
    autocomplete_fields = ("institute",)
    raw_id_fields = ("user",)
    inlines = [FocalPointInline]
    readonly_fields = ("invitations",)
    actions = ["send_invitation"]

    @admin.display(description=_("invitations to log in"))
    def invitations(self, obj):
        if obj.pk is None:
            return "—"
        rows = obj.invitations.all()
        return (
            format_html_join(
                "",
                "<div>{} — {}: {}</div>",
                (
                    (
                        date_format(row.created_at, "SHORT_DATETIME_FORMAT"),
                        row.email,
                        row.state_label,
                    )
                    for row in rows
                ),
            )
            or "—"
        )

    @admin.action(description=_("Send an invitation to log in"), permissions=["change"])
    def send_invitation(self, request, queryset):
        """Calls ``invitation_send`` for each selected contact the user may manage; the
        queryset is already scoped to the user's secretariat."""
        for contact in queryset.select_related("institute"):
            if not request.user.has_perm("members.manage_contact", contact):
                continue
            try:
                invitation = invitation_send(contact=contact, by=request.user)
            except InvitationRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            invitation.refresh_from_db(fields=["sent_at", "send_error"])
            if invitation.send_error:
                self.message_user(
                    request,
                    _(
                        "The invitation to %(name)s could not be e-mailed (%(error)s); "
                        "send a new one later."
                    )
                    % {"name": contact.full_name, "error": invitation.send_error},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("An invitation to log in was sent to %(name)s <%(email)s>.")
                    % {"name": contact.full_name, "email": invitation.email},
                    messages.SUCCESS,
                )


@admin.register(FocalPoint)
class FocalPointAdmin(SecretariatAdmin):
    list_display = ("contact", "institute", "forum", "since")
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("contact__full_name", "contact__email", "contact__institute__name")
    list_select_related = ("contact__institute", "forum")
    autocomplete_fields = ("contact", "forum")

    @admin.display(description=_("institute"), ordering="contact__institute__name")
    def institute(self, obj):
        return obj.contact.institute


class StatusChangeInline(ScopedTabularInline):
    model = MembershipStatusChange
    fields = ("status", "changed_on", "note", "created_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(SecretariatAdmin):
    list_display = (
        "institute",
        "country",
        "forum",
        "status",
        "is_founding_member",
        "recommended_by",
        "decided_on",
    )
    list_filter = (
        ("forum", admin.RelatedOnlyFieldListFilter),
        "status",
        "is_founding_member",
        ("institute__country", CountryFilter),
    )
    search_fields = ("institute__name", "institute__short_name", "decision")
    list_select_related = ("institute", "forum", "recommended_by")
    autocomplete_fields = ("institute", "forum", "recommended_by")
    date_hierarchy = "decided_on"
    inlines = [StatusChangeInline]

    @admin.display(description=_("country"), ordering="institute__country")
    def country(self, obj):
        return obj.institute.country.name

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change:
            obj.created_by = request.user
        membership_save(membership=obj, by=request.user)


@admin.register(MembershipStatusChange)
class MembershipStatusChangeAdmin(SecretariatAdmin):
    list_display = ("membership", "status", "changed_on", "note")
    list_filter = ("status", ("membership__forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("membership__institute__name", "note")
    list_select_related = ("membership__institute", "membership__forum")
    date_hierarchy = "changed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(ScopedTabularInline):
    model = Membership
    fk_name = "forum"
    fields = ("institute", "status", "is_founding_member", "recommended_by", "decided_on")
    autocomplete_fields = ("institute", "recommended_by")


@admin.register(Forum)
class ForumAdmin(SecretariatAdmin):
    list_display = ("name", "short_name", "framework", "secretariat", "cadence", "founded_on")
    list_filter = (
        ("framework", admin.RelatedOnlyFieldListFilter),
        ("secretariat", admin.RelatedOnlyFieldListFilter),
        "cadence",
    )
    search_fields = ("name", "short_name")
    list_select_related = ("framework", "secretariat")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("framework", "secretariat")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "framework", "secretariat")}),
        (
            _("How the forum works"),
            {
                "fields": (
                    "description",
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

    def save_inline_instance(self, request, instance) -> None:
        if isinstance(instance, Membership):
            membership_save(membership=instance, by=request.user)
        else:
            super().save_inline_instance(request, instance)


@admin.register(StateContact)
class StateContactAdmin(SecretariatAdmin):
    list_display = ("organisation", "country", "full_name", "email", "forum", "is_active")
    list_filter = (
        ("forum", admin.RelatedOnlyFieldListFilter),
        ("country", CountryFilter),
        "is_active",
    )
    search_fields = ("organisation", "full_name", "email")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum",)


@admin.register(Recommendation)
class RecommendationAdmin(SecretariatAdmin):
    """Members' recommendations of new institutions; admitting or declining goes through
    ``recommendation_admit`` / ``recommendation_decline`` only."""

    list_display = ("name", "country", "forum", "recommended_by", "status", "decided_on")
    list_filter = ("status", ("forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "contact_name", "contact_email", "recommended_by__name")
    list_select_related = ("forum", "recommended_by", "institute")
    autocomplete_fields = ("forum", "recommended_by")
    readonly_fields = ("status", "decided_on", "institute")
    actions = ["admit", "decline"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, decide, done_message) -> None:
        decided = 0
        for recommendation in queryset.select_related("forum", "recommended_by"):
            if not request.user.has_perm("members.manage_recommendation", recommendation):
                continue
            try:
                decide(recommendation=recommendation, by=request.user)
            except RecommendationDecided:
                self.message_user(
                    request,
                    _("%(name)s was already decided.") % {"name": recommendation.name},
                    messages.WARNING,
                )
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(name)s could not be admitted: %(error)s")
                    % {"name": recommendation.name, "error": "; ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                decided += 1
        self.message_user(request, done_message % {"n": decided})

    @admin.action(description=_("Admit the selected institutions"), permissions=["change"])
    def admit(self, request, queryset):
        self._decide(
            request, queryset, recommendation_admit, _("%(n)d recommendation(s) admitted.")
        )

    @admin.action(description=_("Decline the selected recommendations"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(
            request, queryset, recommendation_decline, _("%(n)d recommendation(s) declined.")
        )
