"""Checks of what members upload, by content: a name or a content type proves nothing."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pdf import PREVIEW_CHARS, PdfFigures, pdf_preview, pdf_read


def pdf_upload_limits() -> str:
    """What ``read_pdf_upload`` accepts, said next to the field (in the active language)."""
    return _("A PDF of at most %(limit)d MB.") % {"limit": settings.PUBLICATION_MAX_UPLOAD_MB}


def read_pdf_upload(upload) -> bytes:
    """The bytes of an uploaded PDF, once it is known to be within
    ``PUBLICATION_MAX_UPLOAD_MB``, to start with ``%PDF-`` and to be readable by pypdf.
    Raises ValidationError with a message for the member otherwise. Only the first page is
    read here, within pypdf's limits, so a hostile file costs the request little."""
    return read_pdf_upload_figures(upload)[0]


def read_pdf_upload_figures(upload) -> tuple[bytes, PdfFigures]:
    """``read_pdf_upload``, with what that one reading found: the number of pages and the
    start of the first page's text."""
    limit_mb = settings.PUBLICATION_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)d MB; upload a smaller PDF.") % {"limit": limit_mb},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("This file is not a PDF. Upload it as a PDF document."),
            code="not_pdf",
        )
    try:
        # Readable; the whole text is a worker's job.
        text, pages = pdf_read(data, max_pages=1, max_chars=PREVIEW_CHARS)
    except ValueError as exc:
        raise ValidationError(
            _("This PDF is damaged or incomplete and cannot be read. Export it again and retry."),
            code="unreadable_pdf",
        ) from exc
    return data, PdfFigures(pages=pages, preview=pdf_preview(text))


# What people paste before a DOI: its resolver's address (old or new) or the "doi:" label.
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def doi_normalize(value: str) -> str:
    """The DOI itself ("10.5555/abc"), however it was pasted: as a resolver link
    (https://doi.org/…, dx.doi.org), with "doi:" in front, with spaces around. Raises
    ValidationError for anything that is not a DOI once those are taken off."""
    doi = value.strip()
    lowered = doi.lower()
    for prefix in (*_DOI_PREFIXES, "doi:"):
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    if not _DOI.match(doi):
        raise ValidationError(
            _("Enter a DOI such as 10.5555/12345678 (a doi.org link is accepted too)."),
            code="invalid_doi",
        )
    return doi
