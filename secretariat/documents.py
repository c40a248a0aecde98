"""Concept papers, administrative notes and annual reports as documents rendered to PDF
(``documents.registry``); registered when the app is ready."""

from typing import Any

from django.db.models import Prefetch
from django.utils import translation

from documents.enums import DocumentType
from documents.registry import DocumentKind, register
from members.models import Institute
from secretariat.annual_report import annual_report
from secretariat.models import AnnualReport, ConceptPaper


def _paper_context(paper: ConceptPaper) -> dict[str, Any]:
    return {"organisers": list(paper.organisers.all())}


def _annual_report_context(document: AnnualReport) -> dict[str, Any]:
    """The report read now, its labels (chart, statuses, themes) in the document's
    language: a fixed number of queries per document (``annual_report``)."""
    with translation.override(document.language):
        return {"report": annual_report(forum=document.forum, year=document.year)}


def register_documents() -> None:
    register(
        DocumentKind(
            document_type=DocumentType.CONCEPT_PAPER,
            model=ConceptPaper,
            template="secretariat/pdf/conceptpaper.html",
            queryset=lambda: ConceptPaper.objects.select_related(
                "forum__secretariat", "activity__plan", "meeting"
            ).prefetch_related(Prefetch("organisers", queryset=Institute.objects.order_by("name"))),
            context=_paper_context,
        )
    )
    register(
        DocumentKind(
            document_type=DocumentType.ANNUAL_REPORT,
            model=AnnualReport,
            template="secretariat/pdf/annual_report.html",
            queryset=lambda: AnnualReport.objects.select_related("forum__secretariat"),
            context=_annual_report_context,
            language=lambda document: document.language,
        )
    )
