"""Staff see what they attach to a concept paper: each file's size and, for a PDF, its
pages and the start of its text, read by the upload's own check and saved with it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.models import ConceptPaperAttachment
from tests import factories as f
from tests.html import form_data, page, texts
from tests.secretariat.pdftools import pdf_pages

pytestmark = pytest.mark.django_db

TERMS = pdf_pages("Terms of reference <for> the Astana meeting", "Second page")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _attach(client, paper, name: str, content: bytes) -> ConceptPaperAttachment:
    response = client.post(
        reverse("admin:secretariat_conceptpaperattachment_add"),
        {"paper": paper.pk, "title": "Terms", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    return ConceptPaperAttachment.objects.get(paper=paper)


def _change_page(client, attachment):
    return page(
        client.get(reverse("admin:secretariat_conceptpaperattachment_change", args=[attachment.pk]))
    )


def _file_name(attachment) -> str:
    return attachment.file.name.rsplit("/", 1)[1]


def test_an_attached_pdf_shows_its_size_pages_and_first_page_text(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum, reference="CICA/2026/7")
    client.force_login(cica.staff)
    attachment = _attach(client, paper, "terms.pdf", TERMS)

    root = _change_page(client, attachment)

    assert (attachment.pdf_pages, attachment.pdf_preview) == (
        2,
        "Terms of reference <for> the Astana meeting",
    )
    assert texts(root, ".field-file_details .readonly") == [
        # The start of the text is a block of its own, under the line about the file.
        f"{_file_name(attachment)} · 1.4 KB · 2 pagesTerms of reference <for> the Astana meeting…"
    ]
    assert texts(root, ".field-file_details .file-preview") == [
        "Terms of reference <for> the Astana meeting…"
    ]
    [link] = root.query_all(".field-file_details .readonly a")
    assert link.etree_element.get("href") == reverse(
        "admin:secretariat_conceptpaperattachment_file", args=[attachment.pk]
    )


def test_the_paper_page_lists_each_attachment_with_its_size_and_pages(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)
    attachment = _attach(client, paper, "terms.pdf", TERMS)

    root = page(client.get(reverse("admin:secretariat_conceptpaper_change", args=[paper.pk])))

    assert texts(root, "tr.has_original td.field-file_details") == [
        f"{_file_name(attachment)} · 1.4 KB · 2 pages"
    ]


def test_a_pdf_added_on_the_papers_page_keeps_its_pages_and_text(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_conceptpaper_change", args=[paper.pk])
    data = form_data(page(client.get(url)), "form#conceptpaper_form")
    data.update(
        {
            "attachments-TOTAL_FORMS": ["1"],
            "attachments-0-paper": [str(paper.pk)],
            "attachments-0-title": ["Terms of reference"],
            "attachments-0-file": [SimpleUploadedFile("terms.pdf", TERMS)],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    attachment = ConceptPaperAttachment.objects.get(paper=paper)
    assert (attachment.pdf_pages, attachment.pdf_preview) == (
        2,
        "Terms of reference <for> the Astana meeting",
    )


def test_an_attached_docx_shows_its_size_only(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)
    attachment = _attach(client, paper, "budget.docx", _docx())

    root = _change_page(client, attachment)

    assert (attachment.pdf_pages, attachment.pdf_preview) == (None, "")
    assert texts(root, ".field-file_details .readonly") == [f"{_file_name(attachment)} · 145 bytes"]


def test_a_pdf_attached_before_pages_were_kept_shows_its_size_only(client, cica, private_media):
    attachment = f.ConceptPaperAttachmentFactory(paper=f.ConceptPaperFactory(forum=cica.forum))
    client.force_login(cica.staff)

    root = _change_page(client, attachment)

    assert texts(root, ".field-file_details .readonly") == [f"{_file_name(attachment)} · 15 bytes"]
    assert texts(root, ".field-file_details .file-preview") == []


def test_replacing_a_pdf_with_a_docx_drops_the_pdfs_pages_and_text(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)
    attachment = _attach(client, paper, "terms.pdf", TERMS)

    response = client.post(
        reverse("admin:secretariat_conceptpaperattachment_change", args=[attachment.pk]),
        {"paper": paper.pk, "title": "Budget", "file": SimpleUploadedFile("budget.docx", _docx())},
    )

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert (attachment.file.name.endswith(".docx"), attachment.pdf_pages) == (True, None)
    assert attachment.pdf_preview == ""


def test_saving_without_a_new_file_keeps_the_pdfs_pages_and_text(client, cica, private_media):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)
    attachment = _attach(client, paper, "terms.pdf", TERMS)

    client.post(
        reverse("admin:secretariat_conceptpaperattachment_change", args=[attachment.pk]),
        {"paper": paper.pk, "title": "Terms of reference, revised"},
    )

    attachment.refresh_from_db()
    assert (attachment.title, attachment.pdf_pages) == ("Terms of reference, revised", 2)
    assert attachment.pdf_preview == "Terms of reference <for> the Astana meeting"
