"""Joint statements and action plans as documents rendered to PDF (``documents.registry``);
registered when the app is ready."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    Activity,
    ActivityTranslation,
    JointStatement,
    JointStatementTranslation,
)
from actionplans.selectors import plan_versions, signatures_in_order
from documents.enums import DocumentType
from documents.registry import DocumentKind, register
from documents.rendering import long_date, text_blocks


def _statement_context(statement: JointStatement) -> dict[str, Any]:
    return {
        # The text's own language for the hyphenation and the CJK glyph variants, even
        # where the portal has no translation of the labels.
        "language": statement.language or settings.LANGUAGE_CODE,
        "date": long_date(statement.adopted_on),
        "blocks": text_blocks(statement.text),
        "versions": [
            (version, text_blocks(version.text))
            for version in getattr(statement, "translation_list", [])
        ],
        "signatories": [signature.institute for signature in statement.signatures.all()],
    }


def _plan_context(plan: ActionPlan) -> dict[str, Any]:
    """Every language version of the plan: one column each, paragraph beside paragraph
    (the CICA decisions are bilingual documents)."""
    versions = list(plan_versions(plan=plan).values())
    rows = [
        [(version, version.paragraphs[index]) for version in versions]
        for index in range(len(versions[0].paragraphs))
    ]
    return {
        "date": long_date(plan.adopted_on),
        "activities": list(plan.activities.all()),
        "versions": versions,
        "rows": rows,
    }


def register_documents() -> None:
    register(
        DocumentKind(
            document_type=DocumentType.STATEMENT,
            model=JointStatement,
            template="actionplans/pdf/statement.html",
            queryset=lambda: JointStatement.objects.select_related(
                "forum__secretariat"
            ).prefetch_related(
                Prefetch("signatures", queryset=signatures_in_order()),
                Prefetch(
                    "translations",
                    queryset=JointStatementTranslation.objects.order_by("language"),
                    to_attr="translation_list",
                ),
            ),
            context=_statement_context,
            language=lambda statement: statement.language,
        )
    )
    register(
        DocumentKind(
            document_type=DocumentType.ACTION_PLAN,
            model=ActionPlan,
            template="actionplans/pdf/actionplan.html",
            queryset=lambda: ActionPlan.objects.select_related(
                "forum__secretariat"
            ).prefetch_related(
                Prefetch(
                    "translations",
                    queryset=ActionPlanTranslation.objects.order_by("language"),
                    to_attr="translation_list",
                ),
                Prefetch(
                    "activities",
                    queryset=Activity.objects.order_by("number").prefetch_related(
                        Prefetch(
                            "translations",
                            queryset=ActivityTranslation.objects.order_by("language"),
                            to_attr="translation_list",
                        )
                    ),
                ),
            ),
            context=_plan_context,
        )
    )
