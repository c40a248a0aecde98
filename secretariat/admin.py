import datetime
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import (
    Case,
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from core.adminbase import (
    AdminMixinBase,
    CheckedFileWidget,
    PrivateFileAdminMixin,
    ScopedAdminMixin,
    ScopedTabularInline,
    SecretariatAdmin,
    file_summary,
    pdf_details,
    transition_action,
)
from core.files import file_response
from core.jobs import broker_reachable
from core.scoping import scope_for_staff
from core.spreadsheets import SpreadsheetExportMixin
from core.workflow import TransitionNotAllowed
from documents.admin_mixins import RenderedDocumentAdminMixin
from documents.enums import DocumentType
from secretariat.annual_report import annual_report_years
from secretariat.enums import Attendance, CirculationStatus, DeliveryStatus
from secretariat.forms import CirculationForm
from secretariat.models import (
    AnnualReport,
    Answer,
    Circulation,
    ConceptPaper,
    ConceptPaperAttachment,
    Delivery,
    DeliveryAttempt,
)
from secretariat.resources import AnswerResource, CirculationExportMixin, DeliveryResource
from secretariat.services.circulation import (
    CirculationAlreadyStarted,
    circulation_default_recipients,
    circulation_health,
    circulation_of_request,
    circulation_of_version,
    circulation_progress,
    circulation_resend_failed,
    circulation_retry,
    circulation_start,
    paper_mark_ready,
    paper_reopen,
    preview_message,
)
from secretariat.validators import check_attachment


class AttachmentForm(forms.ModelForm):
    """Checks an uploaded file by its content; a new file's pages and the start of its text
    (a PDF's, from that check's one reading) are saved with it."""

    class Meta:
        model = ConceptPaperAttachment
        fields = ("paper", "title", "file")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.pdf_figures = check_attachment(upload)
        return upload

    def save(self, commit=True):
        if hasattr(self, "pdf_figures"):
            figures = self.pdf_figures
            self.instance.pdf_pages = figures.pages if figures else None
            self.instance.pdf_preview = figures.preview if figures else ""
        return super().save(commit)


def _attachment_url(file) -> str:
    return reverse("admin:secretariat_conceptpaperattachment_file", args=[file.instance.pk])


class AttachmentFileMixin(AdminMixinBase):
    """Attachments are private: their link goes to a view that checks permission. Staff
    see each file's size and, for a PDF, its pages (and on the attachment's own page the
    start of its text)."""

    file_preview = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = CheckedFileWidget(url_for=_attachment_url)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("the file"))
    def file_details(self, obj):
        if obj is None or not obj.file:
            return "—"
        return file_summary(
            obj.file,
            url=_attachment_url(obj.file),
            details=pdf_details(
                pages=obj.pdf_pages, preview=obj.pdf_preview if self.file_preview else ""
            ),
        )


class AttachmentInline(AttachmentFileMixin, ScopedTabularInline):
    model = ConceptPaperAttachment
    form = AttachmentForm
    fields = ("title", "file", "file_details")
    readonly_fields = ("file_details",)
    show_change_link = False
    file_preview = False  # a row of a table: the size and pages only


def paper_due_date(paper: ConceptPaper) -> datetime.date | None:
    """The last day a paper may go out: the configured number of days before its meeting
    (or, without a meeting date, before its activity's time frame)."""
    meeting, activity = paper.meeting, paper.activity
    start = None
    if meeting is not None:
        start = meeting.starts_on or meeting.window_start
    if start is None and activity is not None:
        start = activity.starts_on
    if start is None:
        return None
    return start - datetime.timedelta(days=settings.CONCEPT_PAPER_LEAD_DAYS)


@admin.register(ConceptPaper)
class ConceptPaperAdmin(RenderedDocumentAdminMixin, SecretariatAdmin):
    document_type = DocumentType.CONCEPT_PAPER

    list_display = (
        "title",
        "kind",
        "forum",
        "meeting",
        "status",
        "due_date",
        "first_circulated",
        "timeliness",
    )
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter), "kind", "status")
    search_fields = ("title", "reference", "body")
    list_select_related = ("forum", "activity", "meeting")
    autocomplete_fields = ("forum", "activity", "meeting", "organisers")
    inlines = [AttachmentInline]
    actions = ["mark_ready", "reopen"]
    fieldsets = (
        (None, {"fields": ("forum", "kind", "title", "reference", "status")}),
        (_("For"), {"fields": ("activity", "meeting")}),
        (
            _("Organisation"),
            {"fields": ("organisers", "organisers_note", "participants", "financial_terms")},
        ),
        (_("Text"), {"fields": ("body",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(first_circulated_at=Min("circulations__started_at"))
            .order_by("-created_at")
        )

    mark_ready = transition_action(
        name="mark_ready",
        description=_("Mark the selected papers ready"),
        service=paper_mark_ready,
        done=ngettext_lazy("%(n)d paper marked ready.", "%(n)d papers marked ready.", "n"),
    )
    reopen = transition_action(
        name="reopen",
        description=_("Reopen the selected papers as drafts"),
        service=paper_reopen,
        done=ngettext_lazy("%(n)d paper reopened.", "%(n)d papers reopened.", "n"),
    )

    @admin.display(description=_("due by"))
    def due_date(self, obj):
        return paper_due_date(obj)

    @admin.display(description=_("first circulated"), ordering="first_circulated_at")
    def first_circulated(self, obj):
        return obj.first_circulated_at

    @admin.display(description=_("on time?"))
    def timeliness(self, obj):
        due = paper_due_date(obj)
        if due is None:
            return "—"
        sent = obj.first_circulated_at
        if timezone.localdate(sent) > due if sent else timezone.localdate() > due:
            return format_html('<strong class="errornote">{}</strong>', _("late"))
        return _("on time") if sent else _("not yet due")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/circulate/",
                self.admin_site.admin_view(self.circulate_view),
                name="secretariat_conceptpaper_circulate",
            ),
            *super().get_urls(),
        ]

    def _already_started(self, request, circulation):
        self.message_user(
            request,
            _("This form was already sent: here is the circulation it started."),
            messages.WARNING,
        )
        return redirect("admin:secretariat_circulation_change", circulation.pk)

    def circulate_view(self, request, object_id):
        """Choose the recipients (every focal point of every admitted member and every
        member-state contact, by default), see the e-mail, and send."""
        paper = self.scoped_object(request, object_id)
        if not request.user.has_perm("secretariat.add_circulation"):
            raise PermissionDenied
        defaults = circulation_default_recipients(paper=paper)
        with translation.override(settings.LANGUAGE_CODE):  # the e-mail's own language
            subject = f"{paper.get_kind_display()}: {paper.title}"
        token = request.POST.get("request_token") if request.method == "POST" else None
        earlier = circulation_of_request(paper=paper, request_token=token)
        if earlier is not None:  # the same form sent again: a double click or a reload
            return self._already_started(request, earlier)
        circulated = circulation_of_version(paper=paper)
        form = CirculationForm(
            request.POST or None,
            recipients=defaults,
            initial={"subject": subject},
            circulated=circulated,
        )
        # "Show the e-mail again" sends the form back to see its subject and message in
        # the preview; only the send button starts the circulation.
        sending = request.method == "POST" and "preview" not in request.POST
        if sending and form.is_valid():
            try:
                circulation = circulation_start(
                    paper=paper,
                    recipients=form.chosen_recipients(),
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                    by=request.user,
                    request_token=form.cleaned_data["request_token"],
                    again=form.cleaned_data.get("again", False),
                )
            except CirculationAlreadyStarted as done:
                return self._already_started(request, done.circulation)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                n = circulation.deliveries.count()
                self.message_user(
                    request,
                    ngettext(
                        "Circulation started: the document is being prepared, then %(n)d e-mail "
                        "goes out.",
                        "Circulation started: the document is being prepared, then %(n)d e-mails "
                        "go out.",
                        n,
                    )
                    % {"n": n},
                    messages.SUCCESS,
                )
                return redirect("admin:secretariat_circulation_change", circulation.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": paper,
            "paper": paper,
            "form": form,
            "preview": preview_message(
                paper=paper,
                recipient=defaults[0] if defaults else None,
                subject=form["subject"].value() or "",
                message=form["message"].value() or "",
            ),
            "due_date": paper_due_date(paper),
            "today": timezone.localdate(),
            "title": _("Circulate “%(title)s”") % {"title": paper.title},
        }
        return TemplateResponse(request, "admin/secretariat/conceptpaper/circulate.html", context)


# A circulation's page lists this many deliveries, those needing attention first; all of
# them are on the deliveries' own list (paged, searchable, filtered by status).
DELIVERIES_SHOWN = 100


def _deliveries_for_attention(circulation, limit: int):
    """The first ``limit`` deliveries of a circulation: failed, then sending, then queued,
    then sent; each with its attempts and answer (three queries however many)."""
    rank = Case(
        When(status=DeliveryStatus.FAILED, then=Value(0)),
        When(status=DeliveryStatus.SENDING, then=Value(1)),
        When(status=DeliveryStatus.QUEUED, then=Value(2)),
        default=Value(3),
    )
    return list(
        circulation.deliveries.select_related("answer")
        .prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number"))
        )
        .order_by(rank, "pk")[:limit]
    )


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdminMixin, SpreadsheetExportMixin, admin.ModelAdmin):
    """Every delivery of the circulations staff may see, to search and filter; read only
    (sending again is the circulation's button)."""

    list_display = (
        "recipient",
        "organisation",
        "status",
        "attempts",
        "next_attempt",
        "last_error",
        "sent_at",
        "circulation",
    )
    list_filter = ("status",)
    export_resource_classes = [DeliveryResource]
    search_fields = ("email", "name", "organisation")
    list_select_related = ("circulation",)
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = (
        "circulation",
        "email",
        "name",
        "organisation",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "message_id",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_manage(self, request, obj) -> bool:
        """A delivery is its circulation's: whoever may manage that may see it."""
        return super()._may_manage(request, obj and obj.circulation)

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("circulation_id", "pk")

    @admin.display(description=_("recipient"), ordering="email")
    def recipient(self, obj):
        return f"{obj.name} <{obj.email}>" if obj.name else obj.email

    @admin.display(description=_("next attempt"), ordering="next_attempt_at")
    def next_attempt(self, obj):
        if obj.status != DeliveryStatus.QUEUED or obj.next_attempt_at is None:
            return "—"
        return date_format(timezone.localtime(obj.next_attempt_at), "H:i")


def _delivery_count(*statuses: str) -> Coalesce:
    """How many deliveries of the row's circulation are in one of ``statuses``."""
    deliveries = (
        Delivery.objects.filter(circulation=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("circulation")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(deliveries), 0)


def _search_terms(search_term: str) -> list[str]:
    """The words of a search as the admin splits them (a quoted phrase is one word)."""
    return [
        unescape_string_literal(term) if term[0] in "\"'" and term[0] == term[-1] else term
        for term in smart_split(search_term)
    ]


ANSWERS_SHOWN = 100


def _answers_context(circulation: Circulation) -> dict:
    """Who answered and how, for the circulation's page: the count of each kind of answer,
    and the answers themselves (who will come, their remarks), those attending first; two
    queries."""
    counts = dict(
        Answer.objects.filter(delivery__circulation=circulation)
        .values_list("attendance")
        .annotate(n=Count("*"))
    )
    answers = list(
        Answer.objects.filter(delivery__circulation=circulation)
        .select_related("delivery")
        .order_by(
            Case(
                *(
                    When(attendance=value, then=Value(n))
                    for n, value in enumerate(Attendance.values)
                ),
                default=Value(len(Attendance.values)),
            ),
            "delivery__organisation",
            "delivery__email",
        )[: ANSWERS_SHOWN + 1]
    )
    return {
        "answer_counts": [(label, counts.get(value, 0)) for value, label in Attendance.choices],
        "answered": sum(counts.values()),
        "answers": answers[:ANSWERS_SHOWN],
        "answers_more": len(answers) > ANSWERS_SHOWN,
        "answers_url": reverse("admin:secretariat_answer_changelist")
        + f"?circulation={circulation.pk}",
    }


@admin.register(Circulation)
class CirculationAdmin(CirculationExportMixin, SecretariatAdmin):
    list_display = ("subject", "paper", "started_at", "sent", "failed", "pending")
    list_filter = (("paper__forum", admin.RelatedOnlyFieldListFilter),)
    search_fields = (
        "subject",
        "paper__title",
        "deliveries__email",
        "deliveries__name",
        "deliveries__organisation",
    )
    list_select_related = ("paper",)
    date_hierarchy = "started_at"
    readonly_fields = (
        "paper",
        "subject",
        "message",
        "paper_version",
        "started_at",
        "status",
        "error",
        "pdf_sent",
    )
    fields = readonly_fields
    actions = ["resend_failed"]
    change_form_template = "admin/secretariat/circulation/change_form.html"

    def get_queryset(self, request):
        """Each figure is counted by its own sub-select over the deliveries' (circulation,
        status) index: a join would multiply the rows whenever the search joins the
        deliveries too, and the figures with them."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=_delivery_count(DeliveryStatus.SENT),
                failed_count=_delivery_count(DeliveryStatus.FAILED),
                pending_count=_delivery_count(DeliveryStatus.QUEUED, DeliveryStatus.SENDING),
            )
            .order_by("-started_at", "-pk")
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word must be in the subject, the paper's title or one recipient's address,
        name or organisation (as the admin would search ``search_fields``); the deliveries
        are asked with ``EXISTS`` (the address has the trigram index of migration 0015), so
        a circulation is listed once however many of its deliveries match."""
        for term in _search_terms(search_term):
            queryset = queryset.filter(
                Q(subject__icontains=term)
                | Q(paper__title__icontains=term)
                | Exists(
                    Delivery.objects.filter(circulation=OuterRef("pk")).filter(
                        Q(email__icontains=term)
                        | Q(name__icontains=term)
                        | Q(organisation__icontains=term)
                    )
                )
            )
        return queryset, False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("sent"), ordering="sent_count")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, obj):
        return obj.failed_count

    @admin.display(description=_("pending"), ordering="pending_count")
    def pending(self, obj):
        return obj.pending_count

    def get_fields(self, request, obj=None):
        """Why the document failed, only where it did."""
        fields = super().get_fields(request, obj)
        if obj is not None and not obj.error:
            fields = [name for name in fields if name != "error"]
        return fields

    def _progress_context(self, circulation) -> dict:
        """The figures above the deliveries, counted once per page; the page fetches them
        again every few seconds while sending (``progress_view``)."""
        counts = circulation_progress(circulation=circulation)
        health = circulation_health(circulation=circulation)
        preparing = circulation.status == CirculationStatus.PREPARING
        pending = counts[DeliveryStatus.QUEUED] + counts[DeliveryStatus.SENDING]
        return {
            "original": circulation,
            "progress": counts,
            "health": health,
            "pending": pending,
            # Work flows unless all that is left waits for a later attempt.
            "moving": pending > health.waiting,
            # Asked only while something should move.
            "broker_down": (preparing or pending > 0) and not broker_reachable(),
            "still_sending": preparing
            or (circulation.status == CirculationStatus.READY and pending > 0),
            "progress_url": reverse(
                "admin:secretariat_circulation_progress", args=[circulation.pk]
            ),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._progress_context(obj))
            deliveries = _deliveries_for_attention(obj, DELIVERIES_SHOWN + 1)
            context.update(
                title=_("Circulation: %(subject)s") % {"subject": obj.subject},
                # Nothing on this page is edited: its buttons are the object tools' only.
                show_save=False,
                show_save_and_continue=False,
                show_save_and_add_another=False,
                deliveries=deliveries[:DELIVERIES_SHOWN],
                deliveries_more=len(deliveries) > DELIVERIES_SHOWN,
                deliveries_url=reverse("admin:secretariat_delivery_changelist")
                + f"?circulation__id__exact={obj.pk}",
                resend_url=reverse("admin:secretariat_circulation_resend", args=[obj.pk]),
                retry_url=reverse("admin:secretariat_circulation_retry", args=[obj.pk]),
                **_answers_context(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def progress_view(self, request, object_id):
        """The progress figures alone, for the page to show the latest while it runs."""
        circulation = self.get_object(request, object_id)
        if not self.has_view_permission(request, circulation):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/secretariat/circulation/progress.html",
            self._progress_context(circulation),
        )

    @admin.display(description=_("PDF sent"))
    def pdf_sent(self, obj):
        if obj is None or not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:secretariat_circulation_pdf", args=[obj.pk]),
            PurePosixPath(obj.pdf.name).name,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/resend/",
                view(self.resend_view),
                name="secretariat_circulation_resend",
            ),
            path(
                "<path:object_id>/retry/",
                view(self.retry_view),
                name="secretariat_circulation_retry",
            ),
            path("<path:object_id>/pdf/", view(self.pdf_view), name="secretariat_circulation_pdf"),
            path(
                "<path:object_id>/progress/",
                view(self.progress_view),
                name="secretariat_circulation_progress",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        """The PDF as its recipients got it, to staff who may see the circulation."""
        circulation = self.get_object(request, object_id)
        if not self.has_view_permission(request, circulation) or not circulation.pdf:
            raise Http404
        return file_response(
            circulation.pdf.open("rb"),
            content_type="application/pdf",
            filename=PurePosixPath(circulation.pdf.name).name,
            inline=True,
        )

    def retry_view(self, request, object_id):
        """POST only: a circulation whose document failed is prepared again."""
        circulation = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, circulation):
            raise PermissionDenied
        try:
            circulation_retry(circulation=circulation, by=request.user)
        except TransitionNotAllowed:
            self.message_user(
                request,
                _("The document is already being prepared.")
                if circulation.status == CirculationStatus.PREPARING
                else _("The document is ready: there is nothing to prepare again."),
                messages.WARNING,
            )
        else:
            self.message_user(request, _("The document is being prepared again."))
        return redirect("admin:secretariat_circulation_change", circulation.pk)

    def resend_view(self, request, object_id):
        """POST only: the failed deliveries of this circulation are queued again."""
        circulation = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, circulation):
            raise PermissionDenied
        n = circulation_resend_failed(circulation=circulation, by=request.user)
        self._resent(request, n)
        return redirect("admin:secretariat_circulation_change", circulation.pk)

    def _resent(self, request, n: int) -> None:
        if not n:
            self.message_user(
                request,
                _("No failed delivery was left to send again (already queued?)."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(n)d failed delivery queued again.", "%(n)d failed deliveries queued again.", n
            )
            % {"n": n},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send again to the failed recipients"), permissions=["change"])
    def resend_failed(self, request, queryset):
        n = sum(circulation_resend_failed(circulation=c, by=request.user) for c in queryset)
        self._resent(request, n)


class AnswerCirculationFilter(admin.SimpleListFilter):
    """The answers to one circulation (the link on its page): offered only while it is
    chosen, naming it, so the list says what it shows and the filter can be cleared. An id
    that is not one of the user's circulations finds nothing, rather than every answer."""

    title = _("circulation")
    parameter_name = "circulation"

    def lookups(self, request, model_admin):
        value = request.GET.get(self.parameter_name)
        if value is None:
            return []
        circulation = None
        if value.isdigit():
            circulation = scope_for_staff(
                Circulation.objects.filter(pk=int(value)), user=request.user
            ).first()
        return [(value, str(circulation) if circulation else _("unknown circulation"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(delivery__circulation_id=int(value))


@admin.register(Answer)
class AnswerAdmin(SecretariatAdmin):
    export_resource_classes = [AnswerResource]
    list_display = (
        "recipient",
        "organisation",
        "circulation",
        "attendance",
        "channel",
        "updated_at",
    )
    list_filter = (
        "attendance",
        "channel",
        ("delivery__circulation__paper__forum", admin.RelatedOnlyFieldListFilter),
        AnswerCirculationFilter,
    )
    search_fields = (
        "delivery__email",
        "delivery__name",
        "delivery__organisation",
        "attendees",
        "remarks",
    )
    list_select_related = ("delivery__circulation",)
    readonly_fields = ("delivery", "channel")
    fields = ("delivery", "attendance", "attendees", "remarks", "channel")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("recipient"), ordering="delivery__email")
    def recipient(self, obj):
        return obj.delivery.name or obj.delivery.email

    @admin.display(description=_("organisation"), ordering="delivery__organisation")
    def organisation(self, obj):
        return obj.delivery.organisation

    @admin.display(description=_("circulation"))
    def circulation(self, obj):
        return obj.delivery.circulation


@admin.register(ConceptPaperAttachment)
class ConceptPaperAttachmentAdmin(AttachmentFileMixin, PrivateFileAdminMixin, SecretariatAdmin):
    form = AttachmentForm
    list_display = ("title", "paper")
    search_fields = ("title", "paper__title")
    list_select_related = ("paper",)
    autocomplete_fields = ("paper",)
    readonly_fields = ("file_details",)


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ("forum", "year", "language")

    def clean(self):
        data = super().clean() or self.cleaned_data
        forum, year = data.get("forum"), data.get("year")
        if forum is not None and year is not None and year not in annual_report_years(forum=forum):
            self.add_error(
                "year",
                _(
                    "This forum has no report for that year: its reports run from its first "
                    "year with public data to the current year."
                ),
            )
        return data


@admin.register(AnnualReport)
class AnnualReportAdmin(RenderedDocumentAdminMixin, SecretariatAdmin):
    """A forum's annual reports, one per year and language (docs/adr/0016). A periodic
    task makes the missing ones; staff may add one sooner, and have any rendered again
    ("Render PDF now", or the list's action). The content is the forum's data: there is
    nothing to edit, so a report keeps its forum, year and language."""

    document_type = DocumentType.ANNUAL_REPORT
    form = AnnualReportForm
    list_display = ("__str__", "year", "language", "pdf_state", "public_page")
    list_filter = (("forum", admin.RelatedOnlyFieldListFilter), "year", "language")
    list_select_related = ("forum",)
    search_fields = ("forum__name", "forum__short_name")
    fieldsets = ((None, {"fields": ("forum", "year", "language", "public_page")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("forum")

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "public_page")
        return (*fields, "forum", "year", "language") if obj is not None else fields

    @admin.display(description=_("PDF"))
    def pdf_state(self, obj):
        if obj.has_current_pdf:
            return _("current")
        return _("being prepared")

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        with translation.override(obj.language):
            url = reverse("forums:annual_report", args=[obj.forum.slug, obj.year])
        return format_html('<a href="{}">{}</a>', url, url)
