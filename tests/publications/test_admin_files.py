"""Staff see what they review: a submitted PDF's name, size, pages and the start of its
text on the publication's page, and every file's size where it is attached."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from publications.services import publication_extract_text
from tests import factories as f
from tests.html import page, texts
from tests.workspace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_publication_page_shows_the_pdf_its_size_pages_and_text(client, cica, private_media):
    publication = f.PublicationFactory(forum=cica.forum, status="submitted", slug="water")
    publication.institutes.set([cica.institute])
    data = pdf_bytes("Water security <in> Central Asia")
    publication.file.save("water.pdf", ContentFile(data))
    publication_extract_text(publication=publication)
    client.force_login(cica.staff)

    response = client.get(reverse("admin:publications_publication_change", args=[publication.pk]))

    root = page(response)
    [shown] = texts(root, ".field-file_details .readonly")
    assert re.fullmatch(r"water\.pdf · \d{3,4} bytes · 1 page", shown.split("Water")[0].strip())
    assert texts(root, ".field-file_details .file-preview") == ["Water security <in> Central Asia…"]
    link = root.query(".field-file_details .readonly a").etree_element.get("href")
    assert link == reverse("admin:publications_publication_file", args=[publication.pk])


def test_the_attachment_page_shows_its_size(client, cica, private_media):
    attachment = f.ConceptPaperAttachmentFactory(paper=f.ConceptPaperFactory(forum=cica.forum))
    client.force_login(cica.staff)

    response = client.get(
        reverse("admin:secretariat_conceptpaperattachment_change", args=[attachment.pk])
    )

    assert texts(page(response), ".field-file_details .readonly") == [
        f"{attachment.file.name.rsplit('/', 1)[1]} · 15 bytes"
    ]
