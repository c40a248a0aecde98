import datetime
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db.models import Max, Min, QuerySet
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
from core.scoping import scope_for_staff
from core.spreadsheets import FORMATS, SpreadsheetImportMixin, ZipWithAttachments
from forums.models import Forum, Theme
from publications.models import Publication
from publications.resources import ZIP_HELP, PublicationResource
from publications.search import ADMIN_SEARCH_LIMIT, admin_search, admin_search_ids
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


# Read by no column of the list: the PDF's text and the search vectors (TOASTed, often
# kilobytes each) and the abstract.
LIST_DEFERRED = ("extracted_text", "search_vector", "search_head", "abstract")
# The list's orders, one per sortable column: each with its tie-breakers, and its reverse
# the exact reverse, so that one index (publication_date, publication_title,
# publication_status_date) serves a page in both directions without sorting the table.
ORDERS = {
    "published_on": ("published_on", "id"),
    "title": ("title", "id"),
    "status": ("status", "-published_on", "-id"),
}


def _reverse(ordering: tuple[str, ...]) -> list[str]:
    return [f[1:] if f.startswith("-") else f"-{f}" for f in ordering]


class NearerEndPaginator(Paginator):
    """Pages of an ordered queryset, a page in the second half read backwards from the
    end: the last page of 100,000 rows skips none instead of 99,950 (the page's ids come
    first, then only those rows, in the list's order)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        from_end = self.count - top
        rows = cast("QuerySet[Any]", self.object_list)
        if from_end >= bottom or not rows.ordered:
            return Page(rows[bottom:top], number, self)
        ids = rows.reverse().values("pk")[from_end : from_end + top - bottom]
        return Page(list(rows.filter(pk__in=ids)), number, self)


class PublicationChangeList(ChangeList):
    """The list stays bounded at 100,000 publications: an order an index serves, a search
    that lists at most the newest ADMIN_SEARCH_LIMIT matches (and says when there are
    more), and rows read without their large columns."""

    search_capped = False
    search_limit = ADMIN_SEARCH_LIMIT

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if len(ordering) == 2 and ordering[1] in ("pk", "-pk"):  # one column chosen
            chosen = ordering[0]
            column = chosen.removeprefix("-") if isinstance(chosen, str) else ""
            if column in ORDERS:
                return _reverse(ORDERS[column]) if chosen != column else list(ORDERS[column])
        return ordering

    def get_queryset(self, request, exclude_parameters=None):
        """The filtered list, then the search: the newest ``search_limit`` + 1 matching ids
        read once (``publications.search.admin_search_ids``), so that the count, the
        "more?" note and the page do not each walk the matches again."""
        text, self.query = self.query, ""
        try:
            filtered = super().get_queryset(request, exclude_parameters)
        finally:
            self.query = text
        if not text.strip():
            return filtered
        ids = admin_search_ids(filtered, text, limit=self.search_limit + 1)
        if exclude_parameters is None:
            self.search_capped = len(ids) > self.search_limit
        return filtered.filter(pk__in=ids[: self.search_limit])

    def get_results(self, request):
        super().get_results(request)
        if isinstance(self.result_list, QuerySet):
            self.result_list = self.result_list.defer(*LIST_DEFERRED)


def _chosen_id(list_filter: admin.SimpleListFilter) -> int | None:
    """The id a filter was given, None without one; anything else is the admin's usual
    "invalid filter" answer rather than an error."""
    value = list_filter.value()
    if value is None:
        return None
    if not value.isdigit():
        raise IncorrectLookupParameters(value)
    return int(value)


class ForumFilter(admin.SimpleListFilter):
    """The forums the user's secretariat runs (not those of other secretariats, and
    without reading the publications to find which forums they are in)."""

    title = _("forum")
    parameter_name = "forum__id__exact"

    def lookups(self, request, model_admin):
        forums = scope_for_staff(Forum.objects.only("pk", "name"), user=request.user)
        return [(str(forum.pk), forum.name) for forum in forums.order_by("name")]

    def queryset(self, request, queryset):
        chosen = _chosen_id(self)
        return queryset if chosen is None else queryset.filter(forum_id=chosen)


class ThemeFilter(admin.SimpleListFilter):
    """Every theme (one shared vocabulary, a few dozen rows); a chosen theme's
    publications through a subquery, so that the list needs no DISTINCT."""

    title = _("theme")
    parameter_name = "themes__id__exact"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Theme.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        chosen = _chosen_id(self)
        if chosen is None:
            return queryset
        links = Publication.themes.through.objects.filter(theme_id=chosen)
        return queryset.filter(pk__in=links.values("publication_id"))


class YearFilter(admin.SimpleListFilter):
    """Years of publication, from the newest to the oldest the user may see (two index
    probes, not a scan of every date as Django's date hierarchy makes)."""

    title = _("year of publication")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = model_admin.get_queryset(request).aggregate(
            first=Min("published_on"), last=Max("published_on")
        )
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isdigit() and 1900 <= int(value) <= 2100):
            raise IncorrectLookupParameters(value)
        year = int(value)
        return queryset.filter(
            published_on__gte=datetime.date(year, 1, 1),
            published_on__lt=datetime.date(year + 1, 1, 1),
        )


@admin.register(Publication)
class PublicationAdmin(SpreadsheetImportMixin, PrivateFileAdminMixin, SecretariatAdmin):
    """Submitted PDFs open (as attachments) through ``<publication>/file/``, whatever the
    status: they are in private storage until approved.

    The list is built for 100,000 rows (``PublicationChangeList``): sortable only by the
    columns an index orders, filters that read no publication to offer their choices,
    and a full-text search (``search_fields`` only names what it reads)."""

    form = PublicationAdminForm
    resource_classes = [PublicationResource]
    import_formats = [*FORMATS, ZipWithAttachments]
    import_zip_help = ZIP_HELP
    list_display = ("title", "forum", "kind", "language", "published_on", "status")
    sortable_by = tuple(ORDERS)
    list_filter = (
        "status",
        ForumFilter,
        "kind",
        "language",
        "is_synthetic",
        ThemeFilter,
        YearFilter,
    )
    search_fields = ("title", "subtitle", "authors", "keywords", "abstract", "doi", "isbn")
    list_select_related = ("forum",)
    autocomplete_fields = ("forum", "institutes", "themes", "activities")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("submitted_by", "reviewed_by", "reviewed_at")
    actions = ["approve"]
    fieldsets = (
        (None, {"fields": ("title", "subtitle", "slug", "authors", "forum", "institutes")}),
        (
            _("Description"),
            {
                "fields": (
                    "kind",
                    "language",
                    "published_on",
                    "container_title",
                    "publisher",
                    "abstract",
                    "keywords",
                    "themes",
                )
            },
        ),
        (_("File and identifiers"), {"fields": ("file", "file_details", "url", "doi", "isbn")}),
        (_("Action plan"), {"fields": ("activities",)}),
        (
            _("Review"),
            {"fields": ("status", "return_reason", "submitted_by", "reviewed_by", "reviewed_at")},
        ),
    )

    def get_queryset(self, request):
        """Never the search vectors: the trigger writes them, nothing here reads them."""
        return super().get_queryset(request).defer("search_vector", "search_head")

    def get_changelist(self, request, **kwargs):
        return PublicationChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return NearerEndPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term):
        """The list's search, for the autocomplete of other pages (the list itself
        searches in ``PublicationChangeList``)."""
        return admin_search(queryset, search_term), False

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
