"""Taking a backup of the portal (database and both storages, one archive) and restoring
one into an empty database and empty storages. The ``backup`` and ``restore`` management
commands call these; so does the test that proves a round trip (docs/adr/0029)."""

import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from django.conf import settings
from django.core.files.storage import Storage

from core.backups import archive, database
from core.backups import storage as files
from core.backups.archive import ArchiveError
from core.backups.database import DatabaseError, DatabaseTarget
from core.backups.storage import StorageError

ARCHIVE_NAME = re.compile(r"^portal-\d{8}T\d{6}Z\.tar$")


class BackupRefused(Exception):
    """A restore would overwrite something, or the archive cannot be trusted: nothing was
    changed. The message says what to do."""


@dataclass
class BackupReport:
    path: Path
    size: int
    tables: int
    rows: int
    files: dict[str, int]
    missing: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        stored = ", ".join(f"{count} {alias}" for alias, count in self.files.items())
        return (
            f"Backup {self.path} ({self.size} bytes): {self.tables} tables, {self.rows} rows; "
            f"files: {stored}."
        )


def _storages(given: dict[str, Storage] | None) -> dict[str, Storage]:
    return (
        given if given is not None else {alias: files.storage_for(alias) for alias in files.ALIASES}
    )


def backup_create(
    *,
    destination: Path,
    target: DatabaseTarget | None = None,
    storages: dict[str, Storage] | None = None,
) -> BackupReport:
    """Writes ``portal-<UTC time>.tar`` into ``destination``: the database dumped from one
    snapshot, then every file of both storages, then the manifest. The archive appears
    under its name only once complete (it is written as ``.partial`` and renamed). Files
    that rows of the snapshot name but storage lacks are listed in the manifest and the
    report (a file replaced and deleted while the backup ran, or lost before)."""
    target = target or DatabaseTarget.from_settings()
    storages = _storages(storages)
    destination.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    path = destination / f"portal-{created:%Y%m%dT%H%M%SZ}.tar"
    partial = path.with_name(path.name + ".partial")
    if path.exists():
        raise ArchiveError(f"{path} exists already; wait a second and run the backup again.")
    with tempfile.TemporaryDirectory(dir=destination) as scratch:
        dump_path = Path(scratch) / archive.DUMP
        with database.snapshot(target) as (connection, snapshot_id):
            database.dump(target=target, path=dump_path, snapshot_id=snapshot_id)
            counts = database.row_counts(connection)
            named = database.referenced_files(connection)
            server_version = database.server_version(connection)
        # The files are read after the snapshot is released (ADR 0029).
        try:
            present, missing = _write_archive(
                partial,
                dump_path=dump_path,
                storages=storages,
                named=named,
                manifest={
                    "format": archive.FORMAT,
                    "created": created.isoformat(),
                    "created_ts": created.timestamp(),
                    "release": settings.RELEASE,
                    "database": {"server_version": server_version, "tables": counts},
                },
            )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(path)
    return BackupReport(
        path=path,
        size=path.stat().st_size,
        tables=len(counts),
        rows=sum(counts.values()),
        files={alias: len(names) for alias, names in present.items()},
        missing={alias: names for alias, names in missing.items() if names},
    )


def _write_archive(
    partial: Path,
    *,
    dump_path: Path,
    storages: dict[str, Storage],
    named: dict[str, set[str]],
    manifest: dict[str, Any],
) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    present: dict[str, set[str]] = {}
    mtime = manifest["created_ts"]
    with partial.open("wb") as raw, tarfile.open(fileobj=raw, mode="w:") as tar:
        writer = archive.Writer(tar)
        with dump_path.open("rb") as handle:
            writer.add(archive.DUMP, handle, dump_path.stat().st_size, mtime)
        for alias, store in storages.items():
            present[alias] = set()
            for name in sorted(files.file_names(store)):
                with store.open(name, "rb") as handle:
                    writer.add(archive.member_name(alias, name), handle, store.size(name), mtime)
                present[alias].add(name)
        missing = {alias: sorted(named.get(alias, set()) - present[alias]) for alias in storages}
        writer.add_manifest(
            {
                **manifest,
                "files": {alias: len(names) for alias, names in present.items()},
                "missing": missing,
                "members": writer.members,
            }
        )
    return present, missing


def backup_prune(*, destination: Path, keep: int) -> list[Path]:
    """Deletes all but the ``keep`` newest archives in ``destination`` (by the time in their
    names) and returns what it deleted; other files are never touched."""
    if keep < 1:
        raise ValueError("keep must be at least 1.")
    archives = sorted(p for p in destination.iterdir() if ARCHIVE_NAME.match(p.name))
    removed = archives[:-keep]
    for path in removed:
        path.unlink()
    return removed


def backup_upload(*, path: Path) -> str:
    """Copies an archive to the off-site bucket ``BACKUP_S3_BUCKET`` (under
    ``BACKUP_S3_PREFIX``) and returns its key; the bucket's own lifecycle rule decides how
    long copies stay there."""
    client = boto3.client(
        "s3",
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL or None,
        aws_access_key_id=settings.BACKUP_S3_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.BACKUP_S3_SECRET_ACCESS_KEY or None,
        region_name=settings.BACKUP_S3_REGION or None,
    )
    key = f"{settings.BACKUP_S3_PREFIX}{path.name}"
    client.upload_file(str(path), settings.BACKUP_S3_BUCKET, key)
    return key


@dataclass
class RestoreReport:
    path: Path
    created: str
    tables: int
    rows: int
    files: dict[str, int]

    def summary(self) -> str:
        stored = ", ".join(f"{count} {alias}" for alias, count in self.files.items())
        return (
            f"Restored {self.path} (taken {self.created}): {self.tables} tables, "
            f"{self.rows} rows; files: {stored}."
        )


def backup_restore(
    *,
    archive_path: Path,
    target: DatabaseTarget | None = None,
    storages: dict[str, Storage] | None = None,
) -> RestoreReport:
    """Restores an archive into an empty database and empty storages. Everything is checked
    before anything is written: the archive whole (every member against the manifest's
    SHA-256), the database without a table, both storages without a file; otherwise it
    raises ``BackupRefused`` having changed nothing. The database is loaded in one
    transaction, then the files; the row counts are compared with the manifest's."""
    target = target or DatabaseTarget.from_settings()
    storages = _storages(storages)
    try:
        tar, manifest = archive.open_verified(archive_path)
    except ArchiveError as exc:
        raise BackupRefused(str(exc)) from exc
    with tar:
        if not database.is_empty(target):
            raise BackupRefused(
                f"The database {target.name!r} has tables: a restore goes into an empty "
                "database only. Create a new one (createdb) and point DATABASE_URL at it."
            )
        for alias, store in storages.items():
            if not files.is_empty(store):
                raise BackupRefused(
                    f"The {alias} storage holds files: a restore goes into empty storage "
                    "only (new folders or new buckets)."
                )
        unknown = set(manifest["files"]) - set(storages)
        if unknown:
            raise BackupRefused(f"The archive has files of storages not configured: {unknown}")

        with tempfile.TemporaryDirectory() as scratch:
            dump_path = Path(scratch) / archive.DUMP
            source = tar.extractfile(archive.DUMP)
            assert source is not None  # checked by open_verified
            with dump_path.open("wb") as out:
                while chunk := source.read(archive.CHUNK):
                    out.write(chunk)
            database.restore(target=target, path=dump_path)

        prefix = f"{archive.FILES}/"
        restored = dict.fromkeys(storages, 0)
        for name in sorted(manifest["members"]):
            if not name.startswith(prefix):
                continue
            alias, file_name = name.removeprefix(prefix).split("/", 1)
            member = tar.extractfile(name)
            assert member is not None  # checked by open_verified
            files.write(storages[alias], file_name, member)
            restored[alias] += 1

    counts = database.counted(target)
    if counts != manifest["database"]["tables"]:
        raise DatabaseError("The restored database's row counts differ from the manifest's.")
    return RestoreReport(
        path=archive_path,
        created=manifest["created"],
        tables=len(counts),
        rows=sum(counts.values()),
        files=restored,
    )


__all__ = [
    "ArchiveError",
    "BackupRefused",
    "DatabaseError",
    "StorageError",
    "backup_create",
    "backup_prune",
    "backup_restore",
    "backup_upload",
]


def manifest_of(path: Path) -> dict[str, Any]:
    """The manifest of a verified archive (for ``restore --check``)."""
    tar, manifest = archive.open_verified(path)
    tar.close()
    return manifest
