from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from actionplans.forms import MeetingAdminForm
from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    Activity,
    ActivityModerator,
    ActivityTranslation,
    JointStatement,
    JointStatementTranslation,
    Meeting,
    MeetingSpeaker,
    Signatory,
    date_passed_q,
)
from actionplans.resources import MeetingResource
from actionplans.selectors import forum_host_rotation, host_rotations, meeting_host_proposal
from actionplans.services import (
    moderation_confirm,
    moderation_decline,
    plan_adopt,
    plan_reopen,
    plan_version_save,
    statement_adopt,
    statement_publish,
    statement_reopen,
    statement_unpublish,
)
from core.adminbase import (
    CountryFilter,
    ScopedStackedInline,
    ScopedTabularInline,
    SecretariatAdmin,
    add_inline,
    transition_action,
)
from core.concurrency import RowStateGuard, lock_row
from core.scoping import scope_for_staff
from core.spreadsheets import SpreadsheetImportMixin
from documents.admin_mixins import PartOfDocumentAdminMixin, RenderedDocumentAdminMixin
from documents.enums import DocumentType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from forums.models import Forum, HostRotationCountry


class ActivityInline(ScopedStackedInline):
    model = Activity
    fields = (
        ("number", "kind", "status"),
        ("title", "short_title"),
        "text",
        "themes",
        ("time_frame",),
    )
    filter_horizontal = ("themes",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")


class PlanVersionForm(RowStateGuard, forms.Form):
    """A plan's title, preamble and paragraphs in one other language; ``instance``, the
    version as saved (None before it is), refuses to save over a change made to it since
    the page was opened (``core.concurrency``)."""

    title = forms.CharField(label=_("title"), max_length=255)
    preamble = forms.CharField(label=_("preamble"), required=False, widget=forms.Textarea)
    is_official = forms.BooleanField(
        label=_("official version"),
        required=False,
        help_text=_("Part of the document as adopted; otherwise the secretariat's translation."),
    )
    source = forms.CharField(
        label=_("source of the text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, activities, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        for activity in activities:
            self.fields[f"activity_{activity.pk}"] = forms.CharField(
                label=_("Activity %(number)s") % {"number": activity.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )


class ActionPlanTranslationInline(ScopedStackedInline):
    """The plan's title and preamble in its other languages; its paragraphs in them are
    entered beside the original on the plan's "Language versions" page."""

    model = ActionPlanTranslation
    fields = (("language", "is_official"), "title", "preamble", "source")
    extra = 0
    show_change_link = False


@admin.register(ActionPlan)
class ActionPlanAdmin(RenderedDocumentAdminMixin, SecretariatAdmin):
    history_related = (("actionplans.Activity", "plan_id", _("Changes to its activities")),)
    document_type = DocumentType.ACTION_PLAN

    list_display = (
        "title",
        "forum",
        "year",
        "document_symbol",
        "adopting_body",
        "adopted_on",
        "status",
        "activity_count",
    )
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter), "status", "year")
    search_fields = ("title", "document_symbol", "adopting_body", "preamble")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum",)
    date_hierarchy = "adopted_on"
    inlines = [ActionPlanTranslationInline, ActivityInline]
    actions = ["adopt", "reopen"]
    fieldsets = (
        (None, {"fields": ("forum", "year", "title", "status")}),
        (
            _("Adoption"),
            {
                "fields": (
                    ("category", "document_symbol"),
                    "adopting_body",
                    "adopted_at",
                    "adopted_on",
                )
            },
        ),
        (
            _("Heading and preamble"),
            {"fields": ("language", "heading_en", "heading_ru", "preamble", "source")},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(activity_count=Count("activities"))
            .order_by("-year", "forum__name")
        )

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj):
        return obj.activity_count

    # --- Language versions, entered beside the original --------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/versions/<str:language>/",
                self.admin_site.admin_view(self.versions_view),
                name="actionplans_actionplan_versions",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["version_languages"] = [
                (code, name) for code, name in self._version_languages(obj).items()
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _version_languages(plan: ActionPlan) -> dict[str, "StrOrPromise"]:
        """The languages a plan may have versions in: its framework's (all the portal's
        where the framework names none), its original's aside."""
        names = dict(settings.DOCUMENT_LANGUAGES)
        return {
            code: names[code]
            for code in plan.forum.framework.language_codes
            if code != plan.language
        }

    def versions_view(self, request, object_id, language):
        """The plan in ``language`` beside its original, paragraph by paragraph; saved
        through ``plan_version_save``. A version being sent is one transaction with the
        plan's row locked, so it is compared with the page as opened and saved before
        anyone else's version of it."""
        if request.method != "POST":
            return self._versions_page(request, object_id, language)
        with transaction.atomic():
            lock_row(ActionPlan, object_id)
            return self._versions_page(request, object_id, language)

    def _versions_page(self, request, object_id, language):
        plan = self.scoped_object(request, object_id, change=request.method == "POST")
        names = dict(settings.DOCUMENT_LANGUAGES)
        if language not in self._version_languages(plan):
            raise Http404("No such language version of this plan.")
        activities = list(plan.activities.order_by("number"))
        version = ActionPlanTranslation.objects.filter(plan=plan, language=language).first()
        texts = dict(
            ActivityTranslation.objects.filter(activity__plan=plan, language=language).values_list(
                "activity_id", "text"
            )
        )
        form = PlanVersionForm(
            request.POST or None,
            activities=activities,
            instance=version,
            initial={
                "title": version.title if version else "",
                "preamble": version.preamble if version else "",
                "is_official": version.is_official if version else False,
                "source": version.source if version else "",
                **{f"activity_{a.pk}": texts.get(a.pk, "") for a in activities},
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                plan_version_save(
                    plan=plan,
                    language=language,
                    title=form.cleaned_data["title"],
                    preamble=form.cleaned_data["preamble"],
                    is_official=form.cleaned_data["is_official"],
                    source=form.cleaned_data["source"],
                    texts={a.pk: form.cleaned_data[f"activity_{a.pk}"] for a in activities},
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("The %(language)s version is saved; the PDF will be rendered again.")
                    % {"language": names[language]},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:actionplans_actionplan_change", args=[plan.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": plan,
            "title": _("%(language)s version: %(title)s")
            % {"language": names[language], "title": plan.title},
            "form": form,
            "rows": [(a, form[f"activity_{a.pk}"]) for a in activities],
            "language": language,
            "language_name": names[language],
            "original_language_name": names.get(plan.language, plan.language),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/actionplans/actionplan/versions.html", context)

    adopt = transition_action(
        name="adopt",
        description=_("Record the selected plans as adopted"),
        service=plan_adopt,
        done=ngettext_lazy("%(n)d plan adopted.", "%(n)d plans adopted.", "n"),
    )
    reopen = transition_action(
        name="reopen",
        description=_("Reopen the selected plans as drafts"),
        service=plan_reopen,
        done=ngettext_lazy("%(n)d plan reopened.", "%(n)d plans reopened.", "n"),
    )


class ModeratorInline(ScopedTabularInline):
    model = ActivityModerator
    fields = ("institute", "theme", "status", "decided_on", "note")
    autocomplete_fields = ("institute", "theme")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institute", "theme")


class MeetingOutputInline(ScopedTabularInline):
    model = Meeting
    fields = ("title", "kind", "status", "starts_on", "place")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("meetings held for this activity")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("forum")


@admin.register(Activity)
class ActivityAdmin(PartOfDocumentAdminMixin, SecretariatAdmin):
    document_attribute = "plan"

    list_display = ("__str__", "plan", "kind", "status", "time_frame")
    list_filter = (
        ("plan__forum", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        ("themes", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "short_title", "text", "plan__title", "plan__document_symbol")
    list_select_related = ("plan",)
    autocomplete_fields = ("plan",)
    filter_horizontal = ("themes",)
    inlines = [ModeratorInline, MeetingOutputInline]
    fields = (
        "plan",
        ("number", "kind", "status"),
        ("title", "short_title"),
        "text",
        "themes",
        ("starts_on", "ends_on", "time_frame"),
        "outputs",
    )


@admin.register(ActivityModerator)
class ActivityModeratorAdmin(SecretariatAdmin):
    list_display = ("activity", "institute", "theme", "status", "decided_on")
    list_filter = ("status", ("activity__plan__forum", admin.RelatedOnlyFieldListFilter))
    search_fields = ("institute__name", "theme__name", "activity__title")
    list_select_related = ("activity", "institute", "theme")
    autocomplete_fields = ("activity", "institute", "theme")
    actions = ["confirm", "decline"]

    confirm = transition_action(
        name="confirm",
        description=_("Confirm the selected moderators"),
        service=moderation_confirm,
        done=ngettext_lazy("%(n)d moderation confirmed.", "%(n)d moderations confirmed.", "n"),
    )
    decline = transition_action(
        name="decline",
        description=_("Decline the selected moderators"),
        service=moderation_decline,
        done=ngettext_lazy("%(n)d moderation declined.", "%(n)d moderations declined.", "n"),
    )


class DatePassedFilter(admin.SimpleListFilter):
    """Meetings still "planned" whose dates are over: what staff have yet to record."""

    title = _("outcome")
    parameter_name = "date_passed"

    def lookups(self, request, model_admin):
        return [("yes", _("Date passed, not recorded"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(date_passed_q(timezone.localdate()))
        return queryset


class SpeakerInline(ScopedTabularInline):
    model = MeetingSpeaker
    fields = ("position", "name", "role")
    extra = 0
    show_change_link = False


@admin.register(Meeting)
class MeetingAdmin(SpreadsheetImportMixin, SecretariatAdmin):
    """A meeting's host is held to its forum's host rotation (``MeetingAdminForm``); the
    form says which host the rotation proposes."""

    form = MeetingAdminForm
    resource_classes = [MeetingResource]
    list_display = ("title", "forum", "kind", "status", "when", "place", "host_country")
    list_filter = (
        ("forum", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        DatePassedFilter,
        ("host_country", CountryFilter),
    )
    search_fields = ("title", "theme", "place", "description")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum", "activity", "host_institute", "participants", "themes")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "starts_on"
    inlines = [SpeakerInline]
    fieldsets = (
        (None, {"fields": ("forum", "activity", "kind", "ordinal", "title", "slug", "status")}),
        (_("Theme"), {"fields": ("theme", "themes")}),
        (
            _("When and where"),
            {
                "fields": (
                    ("starts_on", "ends_on"),
                    ("window_start", "window_end"),
                    ("host_country", "host_institute"),
                    "host_rotation_override_reason",
                    "place",
                ),
                "description": _(
                    "Give confirmed dates, or until then a tentative window "
                    "(e.g. 1 September – 31 October 2024 for “September or October 2024”)."
                ),
            },
        ),
        (_("Participants"), {"fields": ("participants", "description")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "host_country" in form.base_fields:
            proposal = self._rotation_proposal(request, obj)
            if proposal:
                form.base_fields["host_country"].help_text = proposal
        return form

    def _rotation_proposal(self, request, obj) -> str:
        """What the host rotation proposes: for a meeting, at its place in the rotation;
        on the add page, next in each forum the user may manage that has a rotation.
        Worked out once per request (Django builds the form twice)."""
        answers = request.__dict__.setdefault("_rotation_proposals", {})
        key = obj.pk if obj is not None else None
        if key in answers:
            return answers[key]
        if obj is not None:
            proposed = meeting_host_proposal(meeting=obj)
            text = ""
            if proposed:
                text = _(
                    "The host rotation (the secretariat's rule) proposes %(country)s for "
                    "this meeting."
                ) % {"country": proposed.name}
        else:
            scoped = scope_for_staff(Forum.objects.order_by("name"), user=request.user)
            forums = {forum.pk: forum for forum in scoped}
            rotations = host_rotations(forums=forums.values())
            text = " ".join(
                _("Next host by the rotation of %(forum)s (the secretariat's rule): %(country)s.")
                % {"forum": forum, "country": rotations[forum.pk].next_host.name}
                for forum in forums.values()
                if forum.pk in rotations
            )
        answers[key] = text
        return text

    @admin.display(description=_("when"), ordering="starts_on")
    def when(self, obj):
        if obj.is_date_passed:
            return format_html(
                '{} <strong class="date-passed">{}</strong>',
                obj.when,
                _("date passed — record what happened"),
            )
        return obj.when


class HostRotationInline(ScopedTabularInline):
    """A forum's host rotation, on the forum's page: the secretariat's rule as rows, and
    above them the host it proposes next and the hosts so far."""

    model = HostRotationCountry
    fields = ("group", "turn", "country")
    show_change_link = False
    template = "admin/actionplans/host_rotation_inline.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.forum = obj
        formset.rotation = forum_host_rotation(forum=obj) if obj is not None else None
        return formset


add_inline(Forum, HostRotationInline)


class SignatoryInline(ScopedTabularInline):
    model = Signatory
    fields = ("position", "institute")
    autocomplete_fields = ("institute",)
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institute")


class StatementTranslationInline(ScopedStackedInline):
    """The statement in its other languages, each below the original's text."""

    model = JointStatementTranslation
    fields = (("language", "is_official"), "title", "text", "source")
    extra = 0
    show_change_link = False


@admin.register(JointStatement)
class JointStatementAdmin(RenderedDocumentAdminMixin, SecretariatAdmin):
    history_related = (
        ("actionplans.Signatory", "statement_id", _("Changes to its participating institutions")),
        (
            "actionplans.JointStatementTranslation",
            "statement_id",
            _("Changes to its language versions"),
        ),
    )
    document_type = DocumentType.STATEMENT

    list_display = ("title", "forum", "document_symbol", "place", "adopted_on", "status")
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter), "status")
    search_fields = ("title", "document_symbol", "text", "place")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum", "meeting")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "adopted_on"
    inlines = [SignatoryInline, StatementTranslationInline]
    actions = ["adopt", "publish", "unpublish", "reopen"]
    fieldsets = (
        (None, {"fields": ("forum", "meeting", "title", "slug", "status")}),
        (
            _("Adoption"),
            {
                "fields": (
                    ("category", "document_symbol"),
                    "place",
                    "adopted_on",
                    "published_on",
                )
            },
        ),
        (_("Text"), {"fields": ("language", "text", "source")}),
    )

    adopt = transition_action(
        name="adopt",
        description=_("Record the selected statements as adopted"),
        service=statement_adopt,
        done=ngettext_lazy("%(n)d statement adopted.", "%(n)d statements adopted.", "n"),
    )
    publish = transition_action(
        name="publish",
        description=_("Publish the selected statements"),
        service=statement_publish,
        done=ngettext_lazy("%(n)d statement published.", "%(n)d statements published.", "n"),
    )
    unpublish = transition_action(
        name="unpublish",
        description=_("Take the selected statements off the public site"),
        service=statement_unpublish,
        done=ngettext_lazy(
            "%(n)d statement taken off the public site.",
            "%(n)d statements taken off the public site.",
            "n",
        ),
    )
    reopen = transition_action(
        name="reopen",
        description=_("Reopen the selected statements as drafts"),
        service=statement_reopen,
        done=ngettext_lazy("%(n)d statement reopened.", "%(n)d statements reopened.", "n"),
    )


@admin.register(Signatory)
class SignatoryAdmin(PartOfDocumentAdminMixin, SecretariatAdmin):
    document_attribute = "statement"

    list_display = ("statement", "position", "institute")
    list_filter = (("statement__forum", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("statement__title", "institute__name")
    list_select_related = ("statement", "institute")
    autocomplete_fields = ("statement", "institute")
