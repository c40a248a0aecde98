"""Makes the missing annual report rows of every forum (each year, each language) and has
them rendered: what the hourly periodic task does, for a portal without beat (`make run`)
or at once after loading data."""

from django.core.management.base import BaseCommand

from secretariat.services.annual_report import annual_reports_prepare_all


class Command(BaseCommand):
    help = "Make the missing annual report rows of every forum and have their PDFs rendered."

    def handle(self, *args, **options):
        made = annual_reports_prepare_all()
        self.stdout.write(f"Annual reports: {made} new, each rendered by a worker.")
