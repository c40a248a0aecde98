from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forums.adminbase import SecretariatAdmin
from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import (
    catalogue_index,
    publication_approve,
    publication_file_changed,
    publication_return,
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
        self.message_user(
            request,
            ngettext("%(n)d publication approved.", "%(n)d publications approved.", approved)
            % {"n": approved},
        )


class ReturnReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("E-mailed to whoever submitted the publication."),
    )


@admin.action(description=_("Return with a reason"), permissions=["change"])
def return_with_reason(modeladmin, request, queryset):
    """Asks for the reason on an intermediate page, then returns every selected publication
    the user may manage (publications.services.publication_return)."""
    form = ReturnReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        returned = 0
        for publication in queryset.exclude(status=PublicationStatus.WITHDRAWN):
            if request.user.has_perm("publications.manage_publication", publication):
                publication_return(
                    publication=publication, by=request.user, reason=form.cleaned_data["reason"]
                )
                returned += 1
        modeladmin.message_user(
            request, _("%(n)d publications returned to their submitters.") % {"n": returned}
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Return with a reason"),
        "opts": modeladmin.model._meta,
        "form": form,
        "publications": queryset,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "publications/admin_return.html", context)


PublicationAdmin.actions = [*PublicationAdmin.actions, return_with_reason]
