"""``manage.py backup``: one archive of the database and every file (docs/adr/0029)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups.services import (
    ArchiveError,
    DatabaseError,
    StorageError,
    backup_create,
    backup_prune,
    backup_upload,
)


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, one snapshot) and every file of the public and "
        "private storages into one archive in BACKUP_DESTINATION; keep the BACKUP_KEEP newest "
        "there; copy the new one to BACKUP_S3_BUCKET when that is set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--destination",
            type=Path,
            default=None,
            help="Folder for the archive (default: BACKUP_DESTINATION).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="How many archives to keep in that folder (default: BACKUP_KEEP).",
        )
        parser.add_argument(
            "--no-upload", action="store_true", help="Do not copy to BACKUP_S3_BUCKET."
        )

    def handle(self, *args, **options) -> None:
        destination = options["destination"] or settings.BACKUP_DESTINATION
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        if keep < 1:
            raise CommandError("--keep (BACKUP_KEEP) must be at least 1.")
        try:
            report = backup_create(destination=Path(destination))
        except (DatabaseError, StorageError, ArchiveError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for alias, names in report.missing.items():
            self.stderr.write(
                self.style.WARNING(
                    f"{len(names)} file(s) named by rows are not in the {alias} storage: "
                    + ", ".join(names[:10])
                )
            )
        if settings.BACKUP_S3_BUCKET and not options["no_upload"]:
            try:
                key = backup_upload(path=report.path)
            except Exception as exc:  # boto3's errors have no common base worth naming
                raise CommandError(
                    f"The archive {report.path} was written, but its copy to "
                    f"s3://{settings.BACKUP_S3_BUCKET} failed: {exc}"
                ) from exc
            self.stdout.write(f"Copied to s3://{settings.BACKUP_S3_BUCKET}/{key}")
        for path in backup_prune(destination=Path(destination), keep=keep):
            self.stdout.write(f"Removed old backup {path.name}")
