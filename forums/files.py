"""Files, shared by the apps (forums is imported by all of them): saving a row together
with a file it names (no file is left behind by a failed save, none kept once replaced),
and handing a file to a browser so that it can never act as a page of the portal."""

from functools import partial
from typing import IO

from django.core.files import File
from django.db import models, transaction
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def save_with_file(
    instance: models.Model, field: str, content: File | None, *, old_name: str = ""
) -> None:
    """Saves ``instance``, first storing ``content`` (when given, under its name) in its
    file field ``field``. A failed save deletes the new file again, so it leaves none; once
    the transaction commits, the file the row had before (``old_name``), if replaced or
    removed, is deleted from the storage."""
    file = getattr(instance, field)
    if content is not None:
        file.save(content.name, content, save=False)
    try:
        instance.save()
    except Exception:
        if content is not None:
            file.delete(save=False)
        raise
    if old_name and old_name != file.name:
        transaction.on_commit(partial(file.storage.delete, old_name))


# Served files are documents, never pages of the portal: whatever a file holds (a PDF's
# JavaScript, an HTML file named .pdf) runs, if at all, in a sandbox with no origin.
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


def file_response(
    content: IO[bytes] | bytes, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A file download (streamed from an open file, or bytes made now). Files people
    uploaded go out as attachments (``inline`` only for documents the portal rendered
    itself); every file carries a sandboxing Content-Security-Policy and ``nosniff``, so
    none can act in the portal's origin."""
    response: HttpResponse | FileResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        response = FileResponse(
            content, content_type=content_type, as_attachment=not inline, filename=filename
        )
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
