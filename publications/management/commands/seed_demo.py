from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from publications.demo import DemoForumsMissing, demo_publications_create, demo_reset


class Command(BaseCommand):
    help = (
        "Adds clearly labelled synthetic institutes and approved publications (with generated "
        "PDFs) so the public catalogue can be tried and measured. Run after seed_forums. "
        "A second run adds more; --reset first removes all synthetic data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--publications", type=int, default=300, help="How many to add (default 300)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete every synthetic publication, institute and file.",
        )
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Write no files: put the generated body text straight into the search text.",
        )

    def handle(self, *args, **options) -> None:
        if options["publications"] < 0:
            raise CommandError("--publications must not be negative.")
        removed = None
        try:
            # One transaction: a failed run leaves the previous data (and files) as they were.
            with transaction.atomic():
                if options["reset"]:
                    removed = demo_reset()
                report = demo_publications_create(
                    count=options["publications"],
                    seed=options["seed"],
                    with_pdf=not options["no_pdf"],
                )
        except DemoForumsMissing as exc:
            raise CommandError(str(exc)) from exc
        except ProtectedError as exc:
            raise CommandError(f"Synthetic institutes are used by real data: {exc}") from exc
        if removed is not None:
            self.stdout.write(removed.summary())
        if options["publications"] or removed is None:
            self.stdout.write(report.summary())
