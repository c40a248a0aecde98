"""Keeping the PDF of each joint statement, action plan and concept paper in step with its
content (docs/adr/0006).

A change raises the document's ``version`` and, after commit, asks a worker to render it.
The worker's ``document_render`` records a ``RenderJob`` row and stores the PDF only if the
document is still at the version it rendered, so a slow render never overwrites the PDF of
a newer edit.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from core.files import rendered_public_copy
from core.jobs import enqueue_on_commit
from core.models import RenderedDocument
from core.pdf import pdf_figures
from documents import registry, rendering
from documents.enums import RenderStatus
from documents.models import RenderJob

logger = logging.getLogger(__name__)


def document_type_of(document: RenderedDocument) -> str:
    return registry.kind_of(document).document_type


def _documents(document_type: str) -> QuerySet[RenderedDocument]:
    """Each document with everything its PDF shows: a few queries whatever its size."""
    return registry.kind(document_type).queryset()


def document_load(*, document_type: str, object_id: int) -> RenderedDocument:
    """Raises the model's ``DoesNotExist`` for an unknown id."""
    return _documents(document_type).get(pk=object_id)


def document_pdf_bytes(*, document_type: str, object_id: int) -> bytes:
    """Renders the document now and returns the PDF; stores nothing. For previews and the
    ``render_document`` command."""
    document = document_load(document_type=document_type, object_id=object_id)
    return rendering.html_to_pdf(
        rendering.document_html(document_type=document_type, document=document)
    )


def document_pdf_name(*, document: RenderedDocument, version: int) -> str:
    """``<symbol or title>-v<version>.pdf``: a file named by what it is."""
    return f"{document.file_stem}-v{version}.pdf"


def content_fingerprint(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def document_pdf_store(
    *, document: RenderedDocument, version: int, pdf: bytes, fingerprint: str = ""
) -> bool:
    """Stores ``pdf`` (made from HTML whose digest is ``fingerprint``) as the document's
    PDF of ``version``, if the document is still at that version; returns whether it did.
    The row is locked while it is checked and updated, and written with ``update()``:
    rendering is not an edit (no history row, no new version). The file that lost (the
    previous PDF, or this one if it came too late) is deleted after commit. Its number of
    pages and the start of its text are read from ``pdf`` and kept for the admin page
    (none for bytes that are not a readable PDF)."""
    model = type(document)
    figures = pdf_figures(pdf)
    pages, preview = (figures.pages, figures.preview) if figures else (None, "")
    pdf_field = model._meta.get_field("pdf")
    storage = pdf_field.storage
    filename = document_pdf_name(document=document, version=version)
    name = storage.save(pdf_field.generate_filename(document, filename), ContentFile(pdf))
    with transaction.atomic():
        previous = (
            model._default_manager.select_for_update()
            .filter(pk=document.pk, version=version)
            .values_list("pdf", flat=True)
            .first()
        )
        stored = previous is not None
        if stored:
            rendered_at = timezone.now()
            model._default_manager.filter(pk=document.pk).update(
                pdf=name,
                pdf_version=version,
                pdf_rendered_at=rendered_at,
                pdf_fingerprint=fingerprint,
                pdf_pages=pages,
                pdf_preview=preview,
            )
        obsolete = (previous if previous != name else "") if stored else name
        if obsolete:
            transaction.on_commit(lambda: storage.delete(obsolete))
    if stored:
        document.pdf.name = name
        document.pdf_version = version
        document.pdf_rendered_at = rendered_at
        document.pdf_fingerprint = fingerprint
        document.pdf_pages = pages
        document.pdf_preview = preview
    return stored


def _pdf_still_shows(*, document: RenderedDocument, version: int, fingerprint: str) -> bool:
    """When the document's PDF was made from exactly this content, it becomes the PDF of
    ``version`` as it is (no second file for the same content); returns whether it did."""
    if not document.pdf or document.pdf_fingerprint != fingerprint:
        return False
    updated = (
        type(document)
        ._default_manager.filter(pk=document.pk, version=version, pdf=document.pdf.name)
        .update(pdf_version=version)
    )
    if updated:
        document.pdf_version = version
    return bool(updated)


def _job_finish(job: RenderJob, *, status: str, error: str = "") -> RenderJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def document_render(*, document_type: str, object_id: int) -> RenderJob:
    """Renders the document's current version and stores the PDF unless a newer edit came
    meanwhile (then the PDF stays as it was; that edit has asked for its own render). A
    version whose content is what the PDF already shows keeps that PDF: no second file.

    Returns the ``RenderJob`` row: done, or failed with the error. A rendering error is
    recorded, never raised, and leaves the previous PDF in place; safe to run twice."""
    started_at = timezone.now()
    try:
        document = document_load(document_type=document_type, object_id=object_id)
    except ObjectDoesNotExist as error:
        return RenderJob.objects.create(
            document_type=document_type,
            object_id=object_id,
            version=0,
            status=RenderStatus.FAILED,
            error=f"{type(error).__name__}: {error}",
            started_at=started_at,
            finished_at=timezone.now(),
        )
    job = RenderJob.objects.create(
        document_type=document_type,
        object_id=object_id,
        version=document.version,
        status=RenderStatus.RUNNING,
        started_at=started_at,
    )
    try:
        html = rendering.document_html(document_type=document_type, document=document)
        fingerprint = content_fingerprint(html)
        stored = _pdf_still_shows(document=document, version=job.version, fingerprint=fingerprint)
        if not stored:
            pdf = rendering.html_to_pdf(html)
            stored = document_pdf_store(
                document=document, version=job.version, pdf=pdf, fingerprint=fingerprint
            )
    except Exception as error:
        logger.exception("Rendering %s %s v%s failed.", document_type, object_id, job.version)
        return _job_finish(
            job, status=RenderStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
    if stored:
        rendered_public_copy(document)
    else:
        logger.info(
            "%s %s changed while v%s was rendered; its newer render will store the PDF.",
            document_type,
            object_id,
            job.version,
        )
    return _job_finish(job, status=RenderStatus.DONE)


def document_render_enqueue(*, document: RenderedDocument) -> None:
    """Asks a worker, once the current transaction commits, to render the document. A
    broker that is down is logged, not raised: the edit stands and its PDF shows as
    outdated until it is rendered."""
    enqueue_on_commit("secretariat.render_document", document_type_of(document), document.pk)


def document_changed(*, document: RenderedDocument) -> None:
    """Records that the document's content changed: raises its ``version`` (so its PDF is
    no longer current) and, after commit, has it rendered again. Call it from every write
    to a document's content or to what its PDF shows (signatories, activities, organisers)."""
    type(document)._default_manager.filter(pk=document.pk).update(version=F("version") + 1)
    document.refresh_from_db(fields=["version"])
    document_render_enqueue(document=document)


def documents_refresh() -> int:
    """Run periodically. Every document whose PDF no longer shows what the document says
    now (whoever changed it: an institute renamed, a command, a script; not only the
    admin, which asks for a render itself) gets a new version and is rendered again; so is
    one without a PDF. Cheap: the HTML is made and compared, only a difference is rendered,
    and a document already waiting for a render is left to it. Returns how many."""
    refreshed = 0
    recent = timezone.now() - timedelta(seconds=settings.DOCUMENT_REFRESH_SECONDS)
    for document_type in (kind.document_type for kind in registry.kinds()):
        for document in _documents(document_type):
            html = rendering.document_html(document_type=document_type, document=document)
            if document.pdf and document.pdf_fingerprint == content_fingerprint(html):
                continue
            waiting = RenderJob.objects.filter(
                document_type=document_type,
                object_id=document.pk,
                version=document.version,
                created_at__gte=recent,
            ).exclude(status=RenderStatus.FAILED)
            if document.has_current_pdf:  # its content changed behind the version's back
                document_changed(document=document)
            elif not waiting.exists():
                document_render_enqueue(document=document)
            else:
                continue
            refreshed += 1
    return refreshed
