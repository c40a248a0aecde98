"""Celery entry points of rendering. Their names are the ones they had when rendering
lived in the secretariat app, so jobs already queued still find them."""

from celery import shared_task

from documents.services import document_render, documents_refresh


@shared_task(name="secretariat.render_document", acks_late=True, ignore_result=True)
def render_document(document_type: str, object_id: int) -> str:
    """Render a document's current version to PDF (a newer edit wins over an older render)."""
    return document_render(document_type=document_type, object_id=object_id).status


@shared_task(name="secretariat.refresh_documents", ignore_result=True)
def refresh_documents() -> int:
    """Periodic: renders again every document whose PDF no longer shows what it says."""
    return documents_refresh()
