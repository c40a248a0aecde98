"""Files, shared by the apps (forums is imported by all of them): saving a row together
with a file it names (no file is left behind by a failed save, none kept once replaced),
and handing a file to a browser so that it can never act as a page of the portal."""

from collections.abc import Callable
from functools import partial
from pathlib import PurePosixPath
from typing import IO

from django.core.files import File
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.forms import ClearableFileInput
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class _PrivateStorage(LazyObject):
    """The ``private`` storage of ``STORAGES``, looked up when first used and again after
    the setting changes (as Django's ``default_storage`` is): file fields hold this, so a
    test or a deployment switching storages reaches every field."""

    _wrapped: object  # the storage, or ``empty`` until first used

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


def private_files():
    """For ``FileField(storage=private_files)``: the private storage, followed lazily."""
    return private_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty


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
) -> HttpResponseBase:
    """A file download (streamed from an open file, or bytes made now). Files people
    uploaded go out as attachments (``inline`` only for documents the portal rendered
    itself); every file carries a sandboxing Content-Security-Policy and ``nosniff``, so
    none can act in the portal's origin."""
    response: HttpResponse | FileResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        disposition = content_disposition_header(not inline, filename)
        if disposition is not None:  # None only for an inline file without a name
            response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            content, content_type=content_type, as_attachment=not inline, filename=filename
        )
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_copy_sync(
    model: type[models.Model], *, pk: int, source: str, copy: str, public: Callable
) -> str:
    """Makes the public copy of one row's private file agree with the row as committed:
    while ``public(row)`` holds and the row has a file in ``source`` (private storage),
    ``copy`` (public storage) holds a copy of it under the same file name; otherwise
    ``copy`` is empty. A copy replaced or withdrawn is deleted once this commits. Returns
    the copy's name ("" when there is none). Call it after the change committed
    (``public_copy_on_commit``): nothing the public may not see is ever copied."""
    with transaction.atomic():
        row = model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None:
            return ""
        private_file, public_file = getattr(row, source), getattr(row, copy)
        wanted = ""
        if public(row) and private_file:
            wanted = public_file.field.generate_filename(row, PurePosixPath(private_file.name).name)
        if (
            wanted
            and public_file.name
            and PurePosixPath(public_file.name).name == (PurePosixPath(wanted).name)
        ):
            return public_file.name  # already the copy of this file
        old = public_file.name
        name = ""
        if wanted:
            with private_file.open("rb") as handle:
                name = public_file.storage.save(wanted, handle)
        model._default_manager.filter(pk=pk).update(**{copy: name})
        if old and old != name:
            transaction.on_commit(partial(public_file.storage.delete, old))
    return name


def public_copy_on_commit(
    model: type[models.Model], *, pk: int, source: str, copy: str, public: Callable
) -> None:
    """``public_copy_sync`` once the current transaction commits."""
    transaction.on_commit(
        partial(public_copy_sync, model, pk=pk, source=source, copy=copy, public=public)
    )


def rendered_public_copy(document: models.Model) -> None:
    """A rendered document's public PDF follows it: a copy of its current PDF while it is
    public (a published statement, an adopted plan), none otherwise; after commit."""
    public_copy_on_commit(
        type(document),
        pk=document.pk,
        source="pdf",
        copy="public_pdf",
        public=lambda row: row.is_public and row.has_current_pdf,
    )


class _CheckedFile:
    """A stored file as a file input shows it: its name, linked to a view that checks
    permission each time (``url``), never to the storage's own URL."""

    def __init__(self, file, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return PurePosixPath(self.file.name).name


class CheckedFileInput(ClearableFileInput):
    """The file input for a file kept in private storage (which has no URL: the stock
    widget asks for one and fails): the current file links to ``url_for(file)``."""

    def __init__(self, *, url_for: Callable[[FieldFile], str], attrs=None):
        super().__init__(attrs)
        self.url_for = url_for

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", ""))

    def format_value(self, value):
        if self.is_initial(value):
            return _CheckedFile(value, self.url_for(value))
        return None
