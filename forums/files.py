"""Saving a row together with a file it names, shared by the apps (forums is imported by
all of them): no file is left behind by a failed save, none kept once replaced."""

from functools import partial

from django.core.files import File
from django.db import models, transaction


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
