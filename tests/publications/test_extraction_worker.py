"""An uploaded PDF's text is extracted by a real Celery worker and becomes searchable."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from fpdf import FPDF

from portal.celery import app as celery_app
from publications.models import Publication
from publications.services import catalogue_index, publication_file_changed
from tests import factories as f
from tests.celery_worker import WorkerProcess, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
]


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def test_a_worker_extracts_the_text_of_an_uploaded_pdf(client, cica, private_media):
    celery_app.control.purge()
    publication = f.PublicationFactory(forum=cica.forum, status="approved", title="Annual report")
    catalogue_index(publications=[publication])
    worker = WorkerProcess(
        name="extract", concurrency=1, env={"PRIVATE_MEDIA_ROOT": str(private_media)}
    ).start()
    try:
        with transaction.atomic():
            publication.file.save(
                "report.pdf", ContentFile(_pdf("Annex: the piezometric survey of 2024."))
            )
            publication_file_changed(publication=publication)
        wait_for(
            lambda: "piezometric" in Publication.objects.get(pk=publication.pk).extracted_text,
            timeout=60,
            message="the text was not extracted",
        )
    finally:
        worker.stop()

    response = client.get("/publications/", {"q": "piezometric"})
    assert [p.title for p in response.context["catalogue"].page.object_list] == ["Annual report"]
