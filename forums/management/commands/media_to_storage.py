"""Copies files kept in local folders into the storages the portal is configured with now
(for example from ``./media`` and ``./media-private`` into the buckets of an object store,
after setting ``MEDIA_STORAGE=s3``). The database names files relative to their storage,
so the names stay as they are and nothing in the database changes."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Copy local media (public and private folders) into the configured storages, under "
        "the same names; files already there with the same size are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-from",
            default=str(settings.BASE_DIR / "media"),
            help="Folder of the public files (default: ./media).",
        )
        parser.add_argument(
            "--private-from",
            default=str(settings.BASE_DIR / "media-private"),
            help="Folder of the private files (default: ./media-private).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be copied; copy nothing."
        )

    def handle(self, *args, **options):
        copied = skipped = 0
        for folder, alias in (
            (options["public_from"], "default"),
            (options["private_from"], "private"),
        ):
            root = Path(folder)
            if not root.is_dir():
                raise CommandError(f"{root} is not a folder.")
            storage = storages[alias]
            location = getattr(storage, "location", None)
            if location and Path(location).resolve() == root.resolve():
                raise CommandError(f"{root} is where the {alias} storage keeps its files already.")
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                if storage.exists(name) and storage.size(name) == path.stat().st_size:
                    skipped += 1
                    continue
                if not options["dry_run"]:
                    if storage.exists(name):
                        storage.delete(name)  # a partial copy of an earlier run
                    with path.open("rb") as handle:
                        stored = storage.save(name, handle)
                    if stored != name:
                        raise CommandError(f"{name} was stored as {stored}: names must not change.")
                copied += 1
                self.stdout.write(f"{alias}: {name}")
        verb = "would copy" if options["dry_run"] else "copied"
        self.stdout.write(self.style.SUCCESS(f"{verb} {copied} file(s); {skipped} already there."))
