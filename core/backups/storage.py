"""The files half of a backup: every file of the two storages (``default``, the public
one, and ``private``), local folders or S3 buckets alike, through Django's storage API, so a
restored public object gets the same headers the portal gives it when it writes one."""

import hashlib
from collections.abc import Iterator
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, storages

# The storages a backup holds, by their STORAGES alias (portal/storage.py).
ALIASES = ("default", "private")
CHUNK = 1024 * 1024


class StorageError(Exception):
    """A storage cannot be backed up or restored into; the message says why."""


def storage_for(alias: str) -> Storage:
    return storages[alias]


def file_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in ``storage``, walking the folders (S3 prefixes) below
    ``folder``; a local folder not made yet holds no file."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield f"{prefix}{name}"
    for name in folders:
        yield from file_names(storage, f"{prefix}{name}")


def is_empty(storage: Storage) -> bool:
    return next(file_names(storage), None) is None


def sha256(handle: IO[bytes]) -> tuple[str, int]:
    """The hex SHA-256 and the size of what ``handle`` holds, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def write(storage: Storage, name: str, handle: IO[bytes]) -> None:
    """Writes a file under exactly ``name``: a storage that would rename it is an error."""
    stored = storage.save(name, File(handle, name=name))
    if stored != name:
        raise StorageError(f"{name} was stored as {stored}: names must not change.")
