from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from core.adminbase import (
    CheckedFileWidget,
    PrivateFileAdminMixin,
    SecretariatAdmin,
    file_summary,
    transition_action,
    transition_form_action,
)
from publications.models import Publication
from publications.services import (
    catalogue_index,
    publication_approve,
    publication_file_changed,
    publication_return,
)
from publications.validators import read_pdf_upload


class PublicationAdminForm(forms.ModelForm):
    """Staff's uploads are checked by content as members' are (``read_pdf_upload``): the
    file is served to the public once approved."""

    class Meta:
        model = Publication
        fields = ("file",)  # the admin adds the rest from its fieldsets

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            read_pdf_upload(upload)
        return upload


@admin.register(Publication)
class PublicationAdmin(PrivateFileAdminMixin, SecretariatAdmin):
    """Submitted PDFs open (as attachments) through ``<publication>/file/``, whatever the
    status: they are in private storage until approved."""

    form = PublicationAdminForm
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
        (_("File and identifiers"), {"fields": ("file", "file_details", "url", "doi", "isbn")}),
        (_("Action plan"), {"fields": ("activities",)}),
        (
            _("Review"),
            {"fields": ("status", "return_reason", "submitted_by", "reviewed_by", "reviewed_at")},
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "file_details")

    @admin.display(description=_("the PDF"))
    def file_details(self, obj):
        """What staff need before approving: the file (opened through a checked view), its
        size and pages, and the start of its text."""
        if obj is None or not obj.file:
            return "—"
        preview = obj.extracted_text[:600].strip()
        details = format_html(
            "{}{}",
            ngettext(" · %(n)d page", " · %(n)d pages", obj.page_count or 0) % {"n": obj.page_count}
            if obj.page_count
            else "",
            format_html('<blockquote class="file-preview">{}…</blockquote>', preview)
            if preview
            else format_html("<p>{}</p>", _("No text read from it yet.")),
        )
        return file_summary(
            obj.file,
            url=reverse("admin:publications_publication_file", args=[obj.pk]),
            details=details,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = CheckedFileWidget(
                url_for=lambda file: reverse(
                    "admin:publications_publication_file", args=[file.instance.pk]
                )
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def private_file_name(self, obj) -> str:
        return f"{obj.slug}.pdf"

    def save_related(self, request, form, formsets, change):
        """The catalogue index reads the institutes and themes, so it is rebuilt after the
        many-to-many rows are saved."""
        super().save_related(request, form, formsets, change)
        catalogue_index(publications=[form.instance])
        if "file" in form.changed_data:
            publication_file_changed(publication=form.instance)

    approve = transition_action(
        name="approve",
        description=_("Approve the selected publications"),
        service=publication_approve,
        done=ngettext_lazy("%(n)d publication approved.", "%(n)d publications approved.", "n"),
    )


class ReturnReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=_("E-mailed to whoever submitted the publication."),
    )


return_with_reason = transition_form_action(
    name="return_with_reason",
    description=_("Return with a reason"),
    form_class=ReturnReasonForm,
    service=publication_return,
    done=ngettext_lazy(
        "%(n)d publication returned.",
        "%(n)d publications returned.",
        "n",
    ),
    intro=_(
        "These publications leave the catalogue and go back to whoever submitted them; "
        "the reason below is e-mailed to each submitter we know of:"
    ),
    submit=_("Return the publications"),
)


PublicationAdmin.actions = [*PublicationAdmin.actions, return_with_reason]
