"""The register of official documents: every forum's adopted action plans and published
joint statements, listed with symbol, date, adopting body and languages, each at an
address derived from its symbol (``/documents/SOC/2024-II/DEC/2/``) or, without one, from
its forum, kind and date (``/forums/<forum>/documents/joint-statement/2023-11-20/``)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from actionplans.models import ActionPlan, Activity, JointStatement
from actionplans.selectors import (
    action_plan_public_detail,
    plan_versions,
    register_plans,
    register_statements,
    statement_public_detail,
)
from forums.models import Forum
from forums.selectors import forum_public_detail
from members.selectors import workspace_contact
from secretariat.models import AnnualReport
from secretariat.reports import activity_progress, with_outputs
from secretariat.selectors import circulated_pdf, institute_circulations
from secretariat.services.circulation import answer_token

REGISTER_PAGE_SIZE = 50


@dataclass(frozen=True)
class Pdf:
    """A current PDF of a register entry; ``language`` is set where each language has
    its own (an annual report), empty where one PDF holds every version."""

    url: str
    language: str = ""


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register: an adopted plan, a published statement, or a forum's
    annual report of a year (one PDF per language)."""

    title: str
    symbol: str
    date: datetime.date | None
    adopted_by: str
    languages: list[str]
    pdfs: list[Pdf]
    url: str
    forum: Forum
    kind: str
    document: ActionPlan | JointStatement | None = None
    year: int | None = None

    @property
    def pdf_url(self) -> str:
        return self.pdfs[0].url if self.pdfs else ""


def _kind(document: ActionPlan | JointStatement) -> str:
    if document.category is not None:
        return document.category.label
    return str(type(document)._meta.verbose_name).capitalize()


def _pdf_url(document: ActionPlan | JointStatement | AnnualReport) -> str:
    return document.public_pdf.url if document.has_current_pdf and document.public_pdf else ""


def _pdfs(document: ActionPlan | JointStatement) -> list[Pdf]:
    url = _pdf_url(document)
    return [Pdf(url)] if url else []


def _annual_reports(forum: Forum | None) -> list[RegisterEntry]:
    """A forum's annual reports that have a row (the periodic task makes them), a line per
    year with the current PDF of each language. One query."""
    reports = AnnualReport.objects.select_related("forum").order_by("forum", "-year", "language")
    if forum is not None:
        reports = reports.filter(forum=forum)
    years: dict[tuple[int, int], list[AnnualReport]] = {}
    for report in reports:
        years.setdefault((report.forum_id, report.year), []).append(report)
    return [
        RegisterEntry(
            title=gettext("Annual report %(year)s") % {"year": year},
            symbol="",
            date=None,
            adopted_by=rows[0].forum.short_label,
            languages=[row.language for row in rows],
            pdfs=[Pdf(url, row.language) for row in rows if (url := _pdf_url(row))],
            url=reverse("forums:annual_report", args=[rows[0].forum.slug, year]),
            forum=rows[0].forum,
            kind=gettext("Annual report"),
            year=year,
        )
        for (_forum, year), rows in years.items()
    ]


def _sort_date(entry: RegisterEntry) -> datetime.date:
    if entry.year is not None:  # a report of a year is listed as of its end
        return datetime.date(entry.year, 12, 31)
    return entry.date or datetime.date.min


def _circulated(user, forum: Forum | None) -> list[RegisterEntry]:
    """For a member institute's contact, the concept papers and notes circulated to the
    institute, each linked to its answer page and its PDF as sent; nothing for anyone
    else (staff read them in the admin). Two queries for a member."""
    contact = None if user is None or user.is_staff else workspace_contact(user=user)
    if contact is None:
        return []
    entries = []
    for delivery in institute_circulations(institute_id=contact.institute_id, forum=forum):
        circulation, token = delivery.circulation, answer_token(delivery=delivery)
        paper = circulation.paper
        sent = circulation.started_at or circulation.created_at
        entries.append(
            RegisterEntry(
                title=paper.title,
                symbol=paper.reference,
                date=timezone.localdate(sent),
                adopted_by=gettext("Circulated to your institute"),
                languages=[],
                pdfs=[Pdf(reverse("secretariat:answer_pdf", kwargs={"token": token}))]
                if circulated_pdf(circulation=circulation)
                else [],
                url=reverse("secretariat:answer", kwargs={"token": token}),
                forum=paper.forum,
                kind=paper.get_kind_display(),
            )
        )
    return entries


def register_entries(*, forum: Forum | None = None, user=None) -> list[RegisterEntry]:
    """Every public document of the forum (or of every forum), and for a member what was
    circulated to their institute, newest first. Four queries (six for a member)."""
    entries = [
        RegisterEntry(
            document=plan,
            title=plan.title,
            symbol=plan.document_symbol,
            date=plan.adopted_on,
            adopted_by=", ".join(filter(None, [plan.adopting_body, plan.adopted_at])),
            languages=plan.languages,
            pdfs=_pdfs(plan),
            url=plan.get_absolute_url(),
            forum=plan.forum,
            kind=_kind(plan),
        )
        for plan in register_plans(forum=forum)
    ]
    entries += [
        RegisterEntry(
            document=statement,
            title=statement.title,
            symbol=statement.document_symbol,
            date=statement.adopted_on,
            adopted_by=statement.meeting.title if statement.meeting else statement.place,
            languages=statement.languages,
            pdfs=_pdfs(statement),
            url=statement.get_absolute_url(),
            forum=statement.forum,
            kind=_kind(statement),
        )
        for statement in register_statements(forum=forum).select_related("meeting")
    ]
    entries += _annual_reports(forum)
    entries += _circulated(user, forum)
    entries.sort(key=lambda entry: (_sort_date(entry), entry.title), reverse=True)
    return entries


def _forum_or_404(slug: str) -> Forum:
    try:
        return forum_public_detail(slug=slug)
    except Forum.DoesNotExist:
        raise Http404 from None


def register(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The register of one forum (``slug``) or of every forum, a page at a time."""
    forum = _forum_or_404(slug) if slug else None
    page = Paginator(register_entries(forum=forum, user=request.user), REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "website/register.html", {"forum": forum, "page": page})


def _plan_page(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    """The plan in the language asked for (``?version=ru``), else in the page's language
    where it has that version, else in its original; ``?view=both`` sets a second
    version beside the original."""
    versions = plan_versions(plan=plan)
    asked = request.GET.get("version", "")
    page_language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if asked in versions:
        shown = asked
    elif page_language in versions:
        shown = page_language
    else:
        shown = plan.language
    # How far each activity has come (meetings held, publications, overdue): as the
    # implementation report says it, so the page never shows "planned" for one long past.
    progress = {
        row.activity.pk: row
        for row in activity_progress(
            list(with_outputs(Activity.objects.filter(plan=plan).order_by("number"))),
            year=plan.year,
            today=timezone.localdate(),
        )
    }
    both = request.GET.get("view") == "both" and len(versions) > 1
    if both and shown == plan.language:
        shown = next(code for code in versions if code != plan.language)
    context = {
        "plan": plan,
        "forum": plan.forum,
        "versions": versions,
        "version": versions[shown],
        "original": versions[plan.language],
        "side_by_side": both,
        "rows": [
            (paragraph, progress[paragraph.activity.pk]) for paragraph in versions[shown].paragraphs
        ],
        "pairs": list(
            zip(versions[plan.language].paragraphs, versions[shown].paragraphs, strict=True)
        ),
        "page_language_missing": page_language not in versions and not asked,
        "pdf_url": _pdf_url(plan),
    }
    return render(request, "actionplans/plan_detail.html", context)


def _statement_page(request: HttpRequest, statement: JointStatement) -> HttpResponse:
    return render(request, "actionplans/statement_detail.html", {"statement": statement})


def document_by_symbol(request: HttpRequest, symbol: str) -> HttpResponse:
    """The public document whose symbol this is; a draft or an unknown symbol is not
    found."""
    try:
        return _plan_page(request, action_plan_public_detail(document_symbol=symbol))
    except ActionPlan.DoesNotExist:
        pass
    try:
        return _statement_page(request, statement_public_detail(document_symbol=symbol))
    except JointStatement.DoesNotExist:
        raise Http404 from None


def document_pdf(request: HttpRequest, symbol: str) -> HttpResponse:
    """A stable address for the current PDF of the document with this symbol: it sends
    the reader on to the PDF's public copy (which a CDN may serve)."""
    for model, lookup in (
        (ActionPlan, action_plan_public_detail),
        (JointStatement, statement_public_detail),
    ):
        try:
            document = lookup(document_symbol=symbol)
        except model.DoesNotExist:
            continue
        if url := _pdf_url(document):
            return HttpResponseRedirect(url)
        raise Http404("The PDF of this document is being prepared.")
    raise Http404


def _of_kind(category: str, default: str) -> Q:
    kind = Q(category__slug=category)
    return kind | Q(category__isnull=True) if category == default else kind


def document_by_date(request: HttpRequest, slug: str, category: str, day: str) -> HttpResponse:
    """A forum's public document of a kind on a day, when it has no symbol. Where two
    share the address, the page lists both."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    plans = list(
        register_plans()
        .filter(_of_kind(category, ActionPlan.default_category_slug))
        .filter(forum__slug=slug, adopted_on=date, document_symbol="")
    )
    statements = list(
        register_statements()
        .filter(_of_kind(category, JointStatement.default_category_slug))
        .filter(forum__slug=slug, adopted_on=date, document_symbol="")
    )
    found = [*plans, *statements]
    if not found:
        raise Http404
    if len(found) == 1:
        if plans:
            return _plan_page(request, action_plan_public_detail(pk=plans[0].pk))
        return _statement_page(request, statement_public_detail(pk=statements[0].pk))
    forum = _forum_or_404(slug)
    entries = [entry for entry in register_entries(forum=forum) if entry.document in found]
    page = Paginator(entries, REGISTER_PAGE_SIZE).get_page(1)
    return render(request, "website/register.html", {"forum": forum, "page": page})
