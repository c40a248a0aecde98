"""One backup is one uncompressed tar file (the dump and the PDFs are compressed already):

    database.dump              pg_dump --format custom
    files/default/<name>       every file of the public storage, under its storage name
    files/private/<name>       every file of the private storage
    manifest.json              last: format, time, release, each member's SHA-256 and size,
                               every table's row count, the files rows name but storage lacked

The manifest comes last because it holds the hashes of everything before it; an archive
cut short has none and is refused as incomplete."""

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive is missing, incomplete, damaged or not a portal backup."""


class _Hashing(io.RawIOBase):
    """Reads through to ``handle`` while hashing and counting what was read."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@dataclass
class Writer:
    """Adds members to an open tar file, recording each one's hash and size."""

    tar: tarfile.TarFile
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, handle: IO[bytes], size: int, mtime: float) -> dict[str, Any]:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime), 0o600
        reader = _Hashing(handle)
        self.tar.addfile(info, reader)
        if reader.size != size:
            raise ArchiveError(f"{name} changed size while it was read; run the backup again.")
        entry = {"sha256": reader.digest.hexdigest(), "size": size}
        self.members[name] = entry
        return entry

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(manifest["created_ts"]), 0o600
        self.tar.addfile(info, io.BytesIO(data))


def member_name(alias: str, name: str) -> str:
    return f"{FILES}/{alias}/{name}"


def open_verified(path) -> tuple[tarfile.TarFile, dict[str, Any]]:
    """Opens a backup and checks it whole before anything is restored from it: the manifest
    is there and of a known format, every member it lists is there with its SHA-256 and
    size, and nothing else is. Returns the open tar file and the manifest."""
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 -- returned open, closed by the caller
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: no such file.") from exc
    except (tarfile.TarError, OSError) as exc:
        raise ArchiveError(f"{path} is not a backup archive (not a tar file: {exc}).") from exc
    try:
        manifest = _verify(tar, path)
    except BaseException:
        tar.close()
        raise
    return tar, manifest


def _verify(tar: tarfile.TarFile, path) -> dict[str, Any]:
    try:
        members = {member.name: member for member in tar.getmembers()}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"{path} is damaged or cut short: {exc}") from exc
    if MANIFEST not in members:
        raise ArchiveError(f"{path} has no {MANIFEST}: it is incomplete or not a backup.")
    try:
        manifest = json.loads(_read(tar, members[MANIFEST]))
    except (ValueError, tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"{path}: {MANIFEST} is unreadable ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} is of backup format {manifest.get('format')!r}, not {FORMAT}.")
    expected = dict(manifest["members"])
    extra = sorted(set(members) - set(expected) - {MANIFEST})
    if extra:
        raise ArchiveError(f"{path} holds members its manifest does not list: {extra[:5]}")
    for name, entry in sorted(expected.items()):
        if ".." in name.split("/") or name.startswith("/"):
            raise ArchiveError(f"{path} names a member outside the archive: {name}")
        if name not in members:
            raise ArchiveError(f"{path} lacks {name}, which its manifest lists.")
        try:
            handle = tar.extractfile(members[name])
            if handle is None:
                raise ArchiveError(f"{path}: {name} is not a file.")
            reader = _Hashing(handle)
            while reader.read(CHUNK):
                pass
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveError(f"{path} is damaged or cut short at {name}: {exc}") from exc
        if (reader.digest.hexdigest(), reader.size) != (entry["sha256"], entry["size"]):
            raise ArchiveError(
                f"{path} is damaged: {name} does not match the SHA-256 the manifest gives."
            )
    return manifest


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise ArchiveError(f"{member.name} is not a file.")
    return handle.read()
