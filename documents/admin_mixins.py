"""The PDF side of the admin page of a rendered document, and of the parts a document's PDF
shows, for the ModelAdmins of the apps that own them.

``RenderedDocumentAdminMixin`` adds a "PDF" section (the current file with its size, pages
and the start of its text, its version, the last rendering), a preview, a "Render PDF now"
button and a "Render the PDF" action, and every save that changes a document has it
rendered again. ``PartOfDocumentAdminMixin`` renders a document again when one of its parts
(an activity of a plan, a signatory of a statement) changes, moves or goes. Every view finds
its object through ``get_object``, which is scoped to the user's secretariat, so another
secretariat's document answers 404.
"""

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.adminbase import file_size, pdf_details
from core.files import file_response
from documents.models import RenderJob
from documents.services import (
    document_changed,
    document_pdf_bytes,
    document_render_enqueue,
)

if TYPE_CHECKING:
    _ModelAdminBase = admin.ModelAdmin[Any]  # what the mixins below are mixed into
else:
    _ModelAdminBase = object

PDF_FIELDS = ("pdf_link", "version", "last_render")


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponseBase:
    return file_response(pdf, content_type="application/pdf", filename=filename, inline=True)


class RenderedDocumentAdminMixin(_ModelAdminBase):
    """For a ModelAdmin of a ``RenderedDocument``; ``document_type`` names which."""

    document_type: str
    change_form_template = "admin/documents/rendered_document/change_form.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Our change form adds its buttons on top of the one the app's own admin uses
        (its ``change_form_template``, else the admin's usual per-model lookup), so the
        buttons that admin adds stay."""
        opts = self.opts
        base = super().change_form_template or [
            f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
            f"admin/{opts.app_label}/change_form.html",
            "admin/change_form.html",
        ]
        names = [base] if isinstance(base, str) else base
        context["rendered_document_base"] = select_template(names).template  # type: ignore[arg-type]  # names is a list of template names here
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PDF_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("PDF"), {"fields": PDF_FIELDS}))

    def get_actions(self, request):
        """Adds "Render PDF" to whatever actions the app's own admin has."""
        actions = super().get_actions(request)
        if IS_POPUP_VAR not in request.GET and self.has_change_permission(request):
            actions["render_pdfs"] = self.get_action("render_pdfs")
        return actions

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/pdf/preview/",
                view(self.pdf_preview_view),
                name=self._url_name("pdf_preview"),
            ),
            path(
                "<path:object_id>/pdf/render/",
                view(self.pdf_render_view),
                name=self._url_name("pdf_render"),
            ),
            path(
                "<path:object_id>/pdf/",
                view(self.pdf_download_view),
                name=self._url_name("pdf_download"),
            ),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        """After the inlines, so the version covers them too; unchanged saves render
        nothing."""
        super().save_related(request, form, formsets, change)
        if not change:
            document_render_enqueue(document=form.instance)  # version 1, its first PDF
        elif form.has_changed() or any(fs.has_changed() for fs in formsets):
            document_changed(document=form.instance)

    # --- The "PDF" section -----------------------------------------------------------------

    def pdf_url(self, obj) -> str:
        return reverse(f"admin:{self._url_name('pdf_download')}", args=[obj.pk])

    def pdf_download_view(self, request, object_id):
        """The document's PDF (kept in private storage, whatever its status) for staff who
        may see the document."""
        document = self.scoped_object(request, object_id)
        if not document.pdf:
            raise Http404("This document has no PDF yet.")
        return file_response(
            document.pdf.open("rb"),
            content_type="application/pdf",
            filename=PurePosixPath(document.pdf.name).name,
            inline=True,
        )

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if obj is None or not obj.pdf:
            return gettext("Not rendered yet.")
        if obj.has_current_pdf:
            state = gettext("current")
        else:
            state = gettext("of version %(pdf)s; the document is at version %(version)s") % {
                "pdf": obj.pdf_version,
                "version": obj.version,
            }
        return format_html(
            '<a href="{}">{}</a> ({}) · {}{}',
            self.pdf_url(obj),
            PurePosixPath(obj.pdf.name).name,
            state,
            file_size(obj.pdf),
            pdf_details(pages=obj.pdf_pages, preview=obj.pdf_preview),
        )

    @admin.display(description=_("last rendering"))
    def last_render(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        job = (
            RenderJob.objects.filter(document_type=self.document_type, object_id=obj.pk)
            .order_by("-created_at", "-pk")
            .first()
        )
        if job is None:
            return "—"
        when = job.finished_at or job.started_at or job.created_at
        text = gettext("%(status)s, version %(version)s, %(when)s") % {
            "status": job.get_status_display(),
            "version": job.version,
            "when": date_format(when, "DATETIME_FORMAT"),
        }
        if job.error:
            return format_html("{}: {}", text, job.error)
        return text

    # --- Views and actions -----------------------------------------------------------------

    def scoped_object(self, request, object_id, *, change: bool = False) -> Any:
        """The object ``object_id`` if the user's secretariat has it and the user may see it
        (or, with ``change``, change it); 404 or 403 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such document, or it belongs to another secretariat's forum.")
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def pdf_preview_view(self, request, object_id):
        """Renders the document as it is now, without storing it."""
        obj = self.scoped_object(request, object_id)
        pdf = document_pdf_bytes(document_type=self.document_type, object_id=obj.pk)
        return pdf_response(pdf, filename=f"{obj.file_stem}-preview.pdf")

    def pdf_render_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.scoped_object(request, object_id, change=True)
        document_render_enqueue(document=obj)
        self.message_user(request, gettext("The PDF will be rendered in a moment."))
        return redirect(reverse(f"admin:{self._url_name('change')}", args=[obj.pk]))

    @admin.action(description=_("Render the PDF of the selected documents"))
    def render_pdfs(self, request, queryset):
        count = 0
        for obj in queryset:
            document_render_enqueue(document=obj)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s PDF will be rendered in a moment.",
                "%(count)s PDFs will be rendered in a moment.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class PartOfDocumentAdminMixin(_ModelAdminBase):
    """Activities belong to a plan's PDF and signatories to a statement's: changing or
    deleting one on its own admin page, deleting several from the list ("Delete selected")
    or moving one to another document changes each document concerned, which is rendered
    again."""

    document_attribute = ""

    def _document_changed(self, obj) -> None:
        document = getattr(obj, self.document_attribute, None)
        if document is not None:
            document_changed(document=document)

    def _document_model(self):
        return self.model._meta.get_field(self.document_attribute).related_model

    def _previous_document(self, form, change):
        """The document an existing object was moved away from by this form, if any."""
        name = self.document_attribute
        previous = form.initial.get(name)
        if not change or name not in form.changed_data or previous is None:
            return None
        return self._document_model()._default_manager.filter(pk=previous).first()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            self._document_changed(form.instance)
        previous = self._previous_document(form, change)
        if previous is not None:
            document_changed(document=previous)

    def delete_model(self, request, obj):
        document = getattr(obj, self.document_attribute, None)
        super().delete_model(request, obj)
        if document is not None:
            document_changed(document=document)

    def delete_queryset(self, request, queryset):
        """The changelist's "Delete selected": each document that loses a part changes
        once, however many of its parts go."""
        documents = list(
            self._document_model()._default_manager.filter(
                pk__in=queryset.values(f"{self.document_attribute}_id")
            )
        )
        super().delete_queryset(request, queryset)
        for document in documents:
            document_changed(document=document)
