"""The secretariat's register of institutes, contacts and memberships.

The forum's admin page is here too, because its main inline is the forum's memberships.
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.adminbase import (
    CheckedFileWidget,
    CountryFilter,
    PrivateFileAdminMixin,
    ScopedTabularInline,
    SecretariatAdmin,
    add_inline,
    transition_form_action,
)
from core.scoping import scope_for_staff
from core.spreadsheets import SpreadsheetImportMixin
from forums.models import Forum
from members.enums import MembershipStatus
from members.forms import validate_logo
from members.harvesting import HarvestNotStarted, harvest_run_queue, harvest_source_save
from members.models import (
    Contact,
    FocalPoint,
    HarvestRun,
    HarvestSource,
    Institute,
    MemberChange,
    Membership,
    MembershipStatusChange,
    Recommendation,
    StateContact,
)
from members.resources import (
    ContactResource,
    FocalPointResource,
    InstituteResource,
    MembershipResource,
)
from members.rules import admitted_member_check, may_reroute_contact
from members.services import (
    InvitationRefused,
    RecommendationDecided,
    institute_public_logo,
    invitation_send,
    member_changes_mark_seen,
    membership_decide,
    membership_save,
    recommendation_admit,
    recommendation_decline,
)

# What decides where a forum's circulations go: the address, whether the contact is
# active, and which institute (so which memberships) it is a contact of.
ROUTING_FIELDS = ("email", "is_active", "institute")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ContactAdminForm(forms.ModelForm):
    """A contact as staff edit it (alone or as a row of its institute): its address and
    whether it is active decide where circulations go, so they may change only for a user
    who runs every forum the contact is a focal point of (``members.rules``)."""

    user: object = None  # set per request by the admin

    def clean(self):
        data = super().clean()
        changed = [name for name in ROUTING_FIELDS if name in self.changed_data]
        if changed and self.instance.pk and not may_reroute_contact(self.user, self.instance):
            for name in changed:
                self.add_error(
                    name,
                    _(
                        "This contact is the focal point of another secretariat's forum: "
                        "only its secretariat may change this."
                    ),
                )
        return data


class _ContactFormWithUser:
    """Hands the request's user to ``ContactAdminForm``."""

    def _with_user(self, form_class, request):
        return type(form_class.__name__, (form_class,), {"user": request.user})


def _mail_state(invitation) -> str:
    """How the invitation's e-mail fared, for staff."""
    if invitation.mail is None:
        return gettext("not e-mailed")
    if invitation.mail.status == "sent":
        return gettext("e-mailed %(when)s") % {
            "when": date_format(invitation.mail.sent_at, "SHORT_DATETIME_FORMAT")
        }
    if invitation.mail.status == "failed":
        return gettext("could not be e-mailed: %(error)s; send a new one") % {
            "error": invitation.mail.last_error
        }
    return gettext("being e-mailed")


class ContactInline(_ContactFormWithUser, ScopedTabularInline):
    """An institute's contacts as rows of a table: an institute with dozens of them would
    be a long page of labelled boxes (and a slow one to draw) as stacked forms."""

    model = Contact
    form = ContactAdminForm
    fields = ("honorific", "full_name", "position", "email", "phone", "is_active")
    show_change_link = True
    can_delete = False  # contacts are deactivated, never deleted: their history stays

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._with_user(formset.form, request)
        return formset


class InstituteMembershipInline(ScopedTabularInline):
    model = Membership
    fk_name = "institute"
    fields = ("forum", "status", "is_founding_member", "decided_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institute", "forum")


class InstituteForumFilter(admin.SimpleListFilter):
    """The institutes with a membership (of any status) in one of the user's forums."""

    title = _("forum")
    parameter_name = "forum"

    def lookups(self, request, model_admin):
        forums = scope_for_staff(Forum.objects.order_by("name"), user=request.user)
        return [(str(forum.pk), forum.label) for forum in forums]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in {key for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(value)
        return queryset.filter(
            Exists(Membership.objects.filter(institute=OuterRef("pk"), forum_id=int(value)))
        )


class InstituteAdminForm(forms.ModelForm):
    """A logo staff upload is checked as a member's is (``validate_logo``): by content,
    size and pixel count, and named after the institute."""

    class Meta:
        model = Institute
        fields = ["logo"]  # the admin's fieldsets name the rest

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        extension = validate_logo(logo)
        logo.name = f"{self.cleaned_data.get('slug') or self.instance.slug}.{extension}"
        return logo


@admin.register(Institute)
class InstituteAdmin(SpreadsheetImportMixin, PrivateFileAdminMixin, SecretariatAdmin):
    """The logo is kept privately and opens through ``<institute>/file/``; its public copy
    follows the institute's standing (``institute_public_logo``)."""

    history_related = (
        ("members.Contact", "institute_id", _("Changes to its contacts")),
        ("members.Membership", "institute_id", _("Changes to its memberships")),
    )

    form = InstituteAdminForm
    private_file_field = "logo"
    resource_classes = [InstituteResource]

    list_display = ("name", "short_name", "country", "kind", "is_synthetic")
    list_filter = (InstituteForumFilter, ("country", CountryFilter), "kind", "is_synthetic")
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "logo":
            # A plain file field: the picture is checked once, by the form (validate_logo),
            # which names a decompression bomb as such instead of "not an image".
            kwargs["form_class"] = forms.FileField
            kwargs["widget"] = CheckedFileWidget(
                url_for=lambda file: reverse(
                    "admin:members_institute_file", args=[file.instance.pk]
                )
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "logo" in form.changed_data:
            institute_public_logo(institute=obj)


class FocalPointInline(ScopedTabularInline):
    model = FocalPoint
    fields = ("forum", "since")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact", "forum")


class LoginMismatchFilter(admin.SimpleListFilter):
    """Contacts whose login signs in with another address than the contact's own: the
    person may have left, or the address changed on one side only."""

    title = _("login")
    parameter_name = "login_mismatch"

    def lookups(self, request, model_admin):
        return [("1", _("signs in with another address"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(user__isnull=False).exclude(user__email__iexact=F("email"))
        return queryset


@admin.register(Contact)
class ContactAdmin(SpreadsheetImportMixin, _ContactFormWithUser, SecretariatAdmin):
    """Logins are bound to contacts only by accepting an invitation: the login is shown,
    never chosen here."""

    form = ContactAdminForm
    resource_classes = [ContactResource]
    list_display = ("full_name", "position", "institute", "email", "is_active", "login")
    list_filter = (
        "is_active",
        LoginMismatchFilter,
        ("institute", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("full_name", "email", "position", "institute__name", "institute__short_name")
    list_select_related = ("institute", "user")
    autocomplete_fields = ("institute",)
    exclude = ("user",)
    inlines = [FocalPointInline]
    readonly_fields = ("login", "invitations")
    actions = ["send_invitation"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._with_user(super().get_form(request, obj, change, **kwargs), request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_reroute_contact(
            request.user, obj
        )

    @admin.display(description=_("login"))
    def login(self, obj):
        if obj is None or obj.user_id is None:
            return "—"
        if obj.user.email.lower() != obj.email.lower():
            return format_html(
                '<strong class="errornote">{}</strong>',
                _("signs in as %(email)s, not the contact's address") % {"email": obj.user.email},
            )
        return obj.user.email

    @admin.display(description=_("invitations to log in"))
    def invitations(self, obj):
        if obj.pk is None:
            return "—"
        rows = obj.invitations.select_related("mail")
        return (
            format_html_join(
                "",
                "<div>{} — {}: {} ({})</div>",
                (
                    (
                        date_format(row.created_at, "SHORT_DATETIME_FORMAT"),
                        row.email,
                        row.state_label,
                        _mail_state(row),
                    )
                    for row in rows
                ),
            )
            or "—"
        )

    change_form_template = "admin/members/contact/change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="members_contact_invite",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The contact's page offers the invitation itself (it was only a bulk action on
        the list) while the contact can get one."""
        if obj is not None:
            context["invite_url"] = (
                reverse("admin:members_contact_invite", args=[obj.pk])
                if obj.user_id is None
                and obj.email
                and obj.is_active
                and request.user.has_perm("members.change_contact")
                and request.user.has_perm("members.manage_contact", obj)
                else None
            )
            # Export and erasure of the person's data (secretariat.admin_personal_data).
            context["may_handle_personal_data"] = request.user.has_perm(
                "members.erase_personal_data", obj
            )
            # Staff who see the contact but may not act are told why the buttons are absent.
            context["personal_data_left_to_operator"] = not context["may_handle_personal_data"]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def invite_view(self, request, object_id):
        """POST only: ``invitation_send`` for this contact, then back to its page with what
        happened (a refusal said in words: a double click is refused by the service)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        contact = self.get_object(request, object_id)
        if not (
            request.user.has_perm("members.change_contact")
            and request.user.has_perm("members.manage_contact", contact)
        ):
            raise PermissionDenied
        self._invite(request, contact)
        return redirect(reverse("admin:members_contact_change", args=[contact.pk]))

    def _invite(self, request, contact) -> None:
        try:
            invitation = invitation_send(contact=contact, by=request.user)
        except InvitationRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            _("An invitation to log in is being e-mailed to %(name)s <%(email)s>.")
            % {"name": contact.full_name, "email": invitation.email},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send an invitation to log in"), permissions=["change"])
    def send_invitation(self, request, queryset):
        """Calls ``invitation_send`` for each selected contact the user may manage; the
        queryset is already scoped to the user's secretariat."""
        for contact in queryset.select_related("institute"):
            if request.user.has_perm("members.manage_contact", contact):
                self._invite(request, contact)


@admin.register(FocalPoint)
class FocalPointAdmin(SpreadsheetImportMixin, SecretariatAdmin):
    resource_classes = [FocalPointResource]
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class MembershipDecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=capfirst(_("decided on")), initial=timezone.localdate, widget=AdminDateWidget
    )
    decision = forms.CharField(
        label=capfirst(_("decision")),
        required=False,
        max_length=255,
        help_text=_("The document or meeting that decided, e.g. a joint statement."),
    )


def _decision_action(name: str, status: str, description: "StrOrPromise", done: "StrOrPromise"):
    """An action recording the secretariat's decision (``membership_decide``) on the
    selected memberships, with its date and the document or meeting that made it."""
    return transition_form_action(
        name=name,
        description=description,
        form_class=MembershipDecisionForm,
        service=membership_decide,
        done=done,
        intro=_("The decision below applies to these memberships:"),
        submit=_("Record the decision"),
        status=status,
    )


@admin.register(Membership)
class MembershipAdmin(SpreadsheetImportMixin, SecretariatAdmin):
    resource_classes = [MembershipResource]
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

    actions = ["admit", "decline", "suspend", "withdraw", "recommend_again"]

    @admin.display(description=_("country"), ordering="institute__country")
    def country(self, obj):
        return obj.institute.country.name

    admit = _decision_action(
        "admit",
        MembershipStatus.ADMITTED,
        _("Admit the selected institutions (or reinstate them)"),
        ngettext_lazy("%(n)d membership admitted.", "%(n)d memberships admitted.", "n"),
    )
    decline = _decision_action(
        "decline",
        MembershipStatus.DECLINED,
        _("Decline the selected recommendations"),
        ngettext_lazy("%(n)d membership declined.", "%(n)d memberships declined.", "n"),
    )
    suspend = _decision_action(
        "suspend",
        MembershipStatus.SUSPENDED,
        _("Suspend the selected members"),
        ngettext_lazy("%(n)d membership suspended.", "%(n)d memberships suspended.", "n"),
    )
    withdraw = _decision_action(
        "withdraw",
        MembershipStatus.WITHDRAWN,
        _("Record the selected members' withdrawal"),
        ngettext_lazy("%(n)d membership withdrawn.", "%(n)d memberships withdrawn.", "n"),
    )
    recommend_again = _decision_action(
        "recommend_again",
        MembershipStatus.RECOMMENDED,
        _("Record the selected institutions as recommended again"),
        ngettext_lazy(
            "%(n)d membership recommended again.", "%(n)d memberships recommended again.", "n"
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        """A membership's institute and forum are fixed once it exists: its decisions and
        history are about that pair."""
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else (*fields, "institute", "forum")

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


class SeenFilter(admin.SimpleListFilter):
    title = _("seen")
    parameter_name = "seen"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet seen")), ("yes", _("Seen"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(seen_at__isnull=self.value() == "no")
        return queryset


@admin.register(MemberChange)
class MemberChangeAdmin(SecretariatAdmin):
    """What members changed in their profiles, contacts and focal points, for the
    secretariat of each of their forums; the staff home counts those not yet seen."""

    list_display = ("changed_at", "institute_link", "forum", "what_changed", "changed_by", "seen")
    list_filter = (SeenFilter, ("forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("institute__name", "summary")
    list_select_related = ("institute", "forum", "changed_by", "seen_by")
    date_hierarchy = "changed_at"
    actions = ["mark_seen"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in MemberChange._meta.fields]

    @admin.display(description=_("institute"), ordering="institute__name")
    def institute_link(self, obj):
        url = reverse("admin:members_institute_history", args=[obj.institute_id])
        return format_html('<a href="{}">{}</a>', url, obj.institute.name)

    @admin.display(description=_("what changed"))
    def what_changed(self, obj):
        return linebreaksbr("\n".join(capfirst(line) for line in obj.summary.splitlines()))

    @admin.display(description=_("seen"), boolean=True, ordering="seen_at")
    def seen(self, obj):
        return obj.seen_at is not None

    @admin.action(description=_("Mark as seen"), permissions=["change"])
    def mark_seen(self, request, queryset):
        count = member_changes_mark_seen(changes=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d change marked as seen.", "%(count)d changes marked as seen.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class MembershipRowForm(forms.ModelForm):
    """A forum's membership row: the institute is chosen when the row is added, then fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "institute" in self.fields:
            self.fields["institute"].disabled = True


# A forum's page shows this many of its memberships, those awaiting a decision first; all
# of them are on the memberships' own list (searched, filtered, decided on in bulk).
MEMBERSHIPS_SHOWN = 25


class FirstMembershipsFormSet(BaseInlineFormSet):
    """The forum's first ``MEMBERSHIPS_SHOWN`` memberships as rows, and blank rows to add
    more: a forum of hundreds would otherwise be a page too long to read and a form too
    large to send back. ``more`` says whether some were left out."""

    @property
    def more(self) -> bool:
        self.get_queryset()
        return self._more

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            awaiting_first = Case(
                When(status=MembershipStatus.RECOMMENDED, then=Value(0)), default=Value(1)
            )
            rows = list(
                super()
                .get_queryset()
                .order_by(awaiting_first, "institute__name", "pk")[: MEMBERSHIPS_SHOWN + 1]
            )
            self._more = len(rows) > MEMBERSHIPS_SHOWN
            self._queryset = rows[:MEMBERSHIPS_SHOWN]
        return self._queryset


class MembershipInline(ScopedTabularInline):
    model = Membership
    form = MembershipRowForm
    formset = FirstMembershipsFormSet
    fk_name = "forum"
    fields = ("institute", "status", "is_founding_member", "recommended_by", "decided_on")
    autocomplete_fields = ("institute", "recommended_by")
    template = "admin/members/membership/forum_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institute", "forum", "recommended_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.all_url = (
            reverse("admin:members_membership_changelist") + f"?forum__id__exact={obj.pk}"
            if obj is not None
            else ""
        )
        return formset

    def save_instance(self, request, instance) -> None:
        membership_save(membership=instance, by=request.user)


add_inline(Forum, MembershipInline)


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
            request,
            queryset,
            recommendation_admit,
            ngettext_lazy("%(n)d recommendation admitted.", "%(n)d recommendations admitted.", "n"),
        )

    @admin.action(description=_("Decline the selected recommendations"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            recommendation_decline,
            ngettext_lazy("%(n)d recommendation declined.", "%(n)d recommendations declined.", "n"),
        )


# --- Harvesting institutes' repositories ----------------------------------------------


@admin.register(HarvestSource)
class HarvestSourceAdmin(SecretariatAdmin):
    """The repositories harvested into the catalogue, one per institute; "Harvest now"
    queues a run for a worker (nothing is harvested in the request)."""

    list_display = ("institute", "base_url", "set_spec", "forum", "is_active", "arrives_approved")
    list_filter = ("is_active", "arrives_approved", ("forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("institute__name", "base_url")
    list_select_related = ("institute", "forum")
    autocomplete_fields = ("institute",)
    readonly_fields = ("harvested_until", "runs_link")
    fieldsets = (
        (None, {"fields": ("institute", "base_url", "set_spec", "forum")}),
        (_("Harvesting"), {"fields": ("is_active", "arrives_approved", "harvested_until")}),
        (_("Runs"), {"fields": ("runs_link",)}),
    )
    actions = ["harvest_now"]

    def get_readonly_fields(self, request, obj=None):
        """A registration stays its institute's: its harvested datestamp is that
        repository's."""
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else (*fields, "institute")

    @admin.display(description=_("harvest runs"))
    def runs_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:members_harvestrun_changelist")
        return format_html(
            '<a href="{}?institute__id__exact={}">{}</a>',
            url,
            obj.institute_id,
            _("The runs of this institute"),
        )

    def save_model(self, request, obj, form, change):
        try:
            harvest_source_save(source=obj, by=request.user)
        except ValidationError as exc:
            # The form checked the forum already (see clean below); a change meanwhile.
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class HarvestSourceForm(form):  # type: ignore[valid-type, misc]
            def clean(self):
                data = super().clean()
                institute = data.get("institute") or (
                    self.instance.institute if self.instance.institute_id else None
                )
                forum = data.get("forum")
                if institute is not None and forum is not None:
                    try:
                        admitted_member_check(institute, forum, field="forum")
                    except ValidationError as exc:
                        self.add_error(None, exc)
                return data

        return HarvestSourceForm

    @admin.action(description=_("Harvest now"), permissions=["change"])
    def harvest_now(self, request, queryset):
        queued = 0
        for source in queryset.select_related("institute"):
            try:
                harvest_run_queue(source=source, by=request.user)
            except HarvestNotStarted as exc:
                self.message_user(
                    request,
                    _("%(object)s: %(reason)s")
                    % {"object": source.institute, "reason": " ".join(exc.messages)},
                    messages.WARNING,
                )
            else:
                queued += 1
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(n)d harvest queued; a worker runs it.",
                    "%(n)d harvests queued; workers run them.",
                    queued,
                )
                % {"n": queued},
                messages.SUCCESS,
            )


@admin.register(HarvestRun)
class HarvestRunAdmin(SecretariatAdmin):
    """Each harvest of a repository, as the harvester recorded it: read-only."""

    list_display = (
        "created_at",
        "institute",
        "forum",
        "status",
        "records_seen",
        "records_new",
        "records_updated",
        "records_withdrawn",
        "records_failed",
        "finished_at",
    )
    list_filter = ("status", ("forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("institute__name", "error")
    list_select_related = ("institute", "forum")
    date_hierarchy = "created_at"
    fields = (
        "institute",
        "forum",
        "base_url",
        "set_spec",
        "status",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "from_datestamp",
        "until_datestamp",
        "records_seen",
        "records_new",
        "records_updated",
        "records_withdrawn",
        "records_failed",
        "error",
        "record_notes",
    )

    # Runs keep no change history (the harvester writes them, nobody edits one): their
    # history page is the admin's own log, after the same scoping as every page.
    object_history_template = "admin/object_history.html"

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("No such object, or it belongs to another secretariat's forum.")
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("notes on records"))
    def record_notes(self, obj):
        if not obj.notes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{}</code>: {}</li>",
                ((note.get("identifier", ""), note.get("reason", "")) for note in obj.notes),
            ),
        )
