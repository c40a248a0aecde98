"""Checks of the files staff attach to concept papers, by content: an extension proves
nothing, and recipients open these files."""

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pdf import PdfFigures
from publications.validators import read_pdf_upload_figures

# Office documents are zip archives; each kind names itself inside.
OFFICE_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "mimetype",
}


def check_attachment(upload) -> PdfFigures | None:
    """A PDF must be a readable PDF (``read_pdf_upload``); a .docx, .xlsx or .odt a zip
    archive holding what that kind of document holds. Raises ValidationError. Returns what
    the check read of a PDF (its pages, the start of its text), None for other documents."""
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    if extension == "pdf":
        return read_pdf_upload_figures(upload)[1]
    marker = OFFICE_MARKERS.get(extension)
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            _("This file is not a real .%(ext)s document.") % {"ext": extension},
            code="not_document",
        ) from exc
    finally:
        upload.seek(0)
    if marker is None or marker not in names:
        raise ValidationError(
            _("This file is not a real .%(ext)s document.") % {"ext": extension},
            code="not_document",
        )
    return None
