"""The "PDF" section of a rendered document's admin page: the file (opened through a
checked view), its size, its pages and the start of its text, read when the PDF is stored."""

import pytest
from django.urls import reverse

from actionplans.models import JointStatement
from documents.services import document_pdf_store, document_render
from tests import factories as f
from tests.html import page, texts
from tests.secretariat.pdftools import pdf_pages
from tests.workspace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

# The text layer as pypdf reads it: the list number after its item, then the page number.
PREVIEW = (
    "Joint Statement of Astana\nThe representatives agreed.\n"
    "Participating institutions\nKorea Foundation1. \n1 / 1"
)


def _statement(forum) -> JointStatement:
    statement = f.JointStatementFactory(forum=forum, title="Joint Statement of Astana")
    f.SignatoryFactory(statement=statement, institute__name="Korea Foundation")
    return statement


def _change_page(client, statement):
    return page(client.get(reverse("admin:actionplans_jointstatement_change", args=[statement.pk])))


def test_storing_a_pdf_keeps_its_pages_and_the_start_of_its_text(private_media, cica):
    statement = _statement(cica.forum)

    document_render(document_type="statement", object_id=statement.pk)

    statement = JointStatement.objects.get(pk=statement.pk)
    assert statement.pdf_pages == 1
    assert statement.pdf_preview == PREVIEW
    assert statement.history.count() == 1


def test_a_pdf_that_cannot_be_read_is_stored_without_pages_or_text(private_media, cica):
    statement = _statement(cica.forum)
    JointStatement.objects.filter(pk=statement.pk).update(pdf_pages=3, pdf_preview="Old text")

    assert document_pdf_store(document=statement, version=1, pdf=b"%PDF-1.7 truncated") is True

    statement = JointStatement.objects.get(pk=statement.pk)
    assert (statement.pdf_pages, statement.pdf_preview) == (None, "")


def test_the_pdf_section_shows_the_file_its_size_pages_and_text(private_media, client, cica):
    statement = _statement(cica.forum)
    two_pages = pdf_pages("Joint Statement of Astana <on> water", "Annex: signatories")
    document_pdf_store(document=statement, version=1, pdf=two_pages)
    statement = JointStatement.objects.get(pk=statement.pk)
    client.force_login(cica.staff)

    root = _change_page(client, statement)

    # The start of the text is a block of its own, under the line about the file.
    assert texts(root, ".field-pdf_link .readonly") == [
        f"{statement.slug}-v1.pdf (current) · 1.4 KB · 2 pages"
        "Joint Statement of Astana <on> water Annex: signatories…"
    ]
    assert texts(root, ".field-pdf_link .file-preview") == [
        "Joint Statement of Astana <on> water Annex: signatories…"
    ]
    [link] = root.query_all(".field-pdf_link .readonly a")
    assert link.etree_element.get("href") == reverse(
        "admin:actionplans_jointstatement_pdf_download", args=[statement.pk]
    )


def test_a_pdf_stored_before_pages_were_kept_shows_its_size_only(private_media, client, cica):
    statement = _statement(cica.forum)
    document_pdf_store(document=statement, version=1, pdf=pdf_bytes("Joint Statement of Astana"))
    JointStatement.objects.filter(pk=statement.pk).update(pdf_pages=None, pdf_preview="")
    client.force_login(cica.staff)

    root = _change_page(client, statement)

    assert texts(root, ".field-pdf_link .readonly") == [
        f"{statement.slug}-v1.pdf (current) · 990 bytes"
    ]
    assert texts(root, ".field-pdf_link .file-preview") == []
