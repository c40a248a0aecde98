"""Concept papers and administrative notes as documents rendered to PDF
(``documents.registry``); registered when the app is ready."""

from typing import Any

from django.db.models import Prefetch

from documents.enums import DocumentType
from documents.registry import DocumentKind, register
from members.models import Institute
from secretariat.models import ConceptPaper


def _paper_context(paper: ConceptPaper) -> dict[str, Any]:
    return {"organisers": list(paper.organisers.all())}


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
