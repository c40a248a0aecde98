from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError

from documents.enums import DocumentType
from documents.services import document_pdf_bytes


class Command(BaseCommand):
    help = (
        "Renders a joint statement, action plan or concept paper to a PDF file now, without "
        "a worker. The document's stored PDF is left as it is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("document_type", choices=DocumentType.values)
        parser.add_argument("object_id", type=int)
        parser.add_argument(
            "--output",
            "-o",
            help="The file to write (default: <type>-<id>.pdf in the current folder).",
        )

    def handle(self, *args, document_type: str, object_id: int, output: str | None, **options):
        try:
            pdf = document_pdf_bytes(document_type=document_type, object_id=object_id)
        except ObjectDoesNotExist as error:
            label = DocumentType(document_type).label
            raise CommandError(f"There is no {label.lower()} with id {object_id}.") from error
        target = Path(output or f"{document_type}-{object_id}.pdf")
        target.write_bytes(pdf)
        self.stdout.write(f"Wrote {target} ({len(pdf):,} bytes).")
