from django.core.management.base import BaseCommand

from secretariat.seeding import seed_forums


class Command(BaseCommand):
    help = (
        "Loads the Korea–Central Asia Think Tank Forum and the CICA Think Tank Forum from "
        "their source documents. Safe to run again: a second run changes nothing."
    )

    def handle(self, *args, **options) -> None:
        report = seed_forums()
        self.stdout.write(report.summary())
