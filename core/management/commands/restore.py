"""``manage.py restore <archive>``: a backup into an empty database and empty storages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups.services import (
    ArchiveError,
    BackupRefused,
    DatabaseError,
    StorageError,
    backup_restore,
    manifest_of,
)


class Command(BaseCommand):
    help = (
        "Restore a backup archive (made by `manage.py backup`) into the configured database, "
        "which must have no table, and the configured storages, which must hold no file. "
        "The archive is checked whole first; on any refusal nothing is changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar file to restore.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (every SHA-256 against its manifest); change nothing.",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["archive"]
        try:
            if options["check"]:
                manifest = manifest_of(path)
                rows = sum(manifest["database"]["tables"].values())
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{path} is complete and intact: taken {manifest['created']}, release "
                        f"{manifest['release']}, {rows} rows, files {manifest['files']}."
                    )
                )
                return
            report = backup_restore(archive_path=path)
        except (BackupRefused, ArchiveError) as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        except (DatabaseError, StorageError, OSError) as exc:
            raise CommandError(
                f"The restore failed part way: {exc} Empty the database and storages "
                "(drop and create them) before trying again."
            ) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
