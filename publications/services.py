"""Writes to the catalogue: review decisions, the facet index, text extraction."""

import io
import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from publications.enums import PublicationStatus
from publications.models import CatalogueFacet, Publication

logger = logging.getLogger(__name__)

MAX_EXTRACTED_CHARS = 300_000


def catalogue_index(*, publications: Iterable[Publication]) -> int:
    """Rewrites the facet rows of these publications: one row per facet value for each
    approved one, none for the others. A fixed number of queries whatever the count.
    Returns the number of rows written."""
    ids = [p.pk for p in publications]
    if not ids:
        return 0
    rows = []
    approved = (
        Publication.objects.filter(pk__in=ids, status=PublicationStatus.APPROVED)
        .only("pk", "forum_id", "kind", "language", "published_on")
        .prefetch_related("institutes", "themes")
    )
    for publication in approved:
        values = {
            ("forum", str(publication.forum_id)),
            ("kind", publication.kind),
            ("language", publication.language),
            ("year", str(publication.published_on.year)),
        }
        for institute in publication.institutes.all():
            values.add(("institute", str(institute.pk)))
            values.add(("country", institute.country.code))
        values.update(("theme", str(theme.pk)) for theme in publication.themes.all())
        rows.extend(
            CatalogueFacet(publication_id=publication.pk, name=name, value=value)
            for name, value in values
        )
    with transaction.atomic():
        CatalogueFacet.objects.filter(publication_id__in=ids).delete()
        CatalogueFacet.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def publication_approve(*, publication: Publication, by) -> Publication:
    """Makes a publication public: approved, reviewer recorded, entered in the catalogue."""
    with transaction.atomic():
        publication.status = PublicationStatus.APPROVED
        publication.return_reason = ""
        publication.reviewed_by = by
        publication.reviewed_at = timezone.now()
        publication.updated_by = by
        publication.save(
            update_fields=[
                "status",
                "return_reason",
                "reviewed_by",
                "reviewed_at",
                "updated_by",
                "updated_at",
            ]
        )
        catalogue_index(publications=[publication])
    return publication


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page; an unreadable PDF gives ValueError."""
    try:
        reader = PdfReader(io.BytesIO(data))
        parts = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_EXTRACTED_CHARS:
                break
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    return "\n".join(parts)[:MAX_EXTRACTED_CHARS].replace("\x00", "")


def publication_extract_text(*, publication: Publication) -> Publication:
    """Reads the attached PDF's text into ``extracted_text`` (the search trigger then
    indexes it). A publication without a file gets empty text."""
    text = ""
    if publication.file:
        with publication.file.open("rb") as handle:
            text = pdf_text(handle.read())
    publication.extracted_text = text
    publication.save(update_fields=["extracted_text", "updated_at"])
    return publication


def publication_file_changed(*, publication: Publication) -> None:
    """A new PDF was attached: its text is extracted by a worker once this commits."""
    publication_id = publication.pk
    transaction.on_commit(
        lambda: current_app.send_task("publications.extract_text", args=[publication_id])
    )
