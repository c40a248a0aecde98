"""Checks of the files staff attach to concept papers, by content: an extension proves
nothing, and recipients open these files."""

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from publications.validators import read_pdf_upload

# Office documents are zip archives; each kind names itself inside.
OFFICE_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "mimetype",
}


def check_attachment(upload) -> None:
    """A PDF must be a readable PDF (``read_pdf_upload``); a .docx, .xlsx or .odt a zip
    archive holding what that kind of document holds. Raises ValidationError."""
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    if extension == "pdf":
        read_pdf_upload(upload)
        return
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
