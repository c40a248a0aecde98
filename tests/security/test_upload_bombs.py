"""Uploads that are small on the wire and enormous once opened are refused with a clear
message, store nothing and never answer 500 (nor does the worker that reads them)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Institute
from publications.models import Publication
from publications.services import pdf_text
from tests.html import page, texts
from tests.security.hostile_files import pdf_inflating_to, png_of_size
from tests.workspace.helpers import member_of, profile_data, stored_files, submission_data

pytestmark = pytest.mark.django_db

UNREADABLE = "This PDF is damaged or incomplete and cannot be read. Export it again and retry."
TOO_MANY_PIXELS = (
    "This picture has too many pixels for a logo: at most 25 million (for example 5000 × 5000)."
)


@pytest.fixture
def signed_in(client, cica):
    client.force_login(member_of(cica, username="member-a").user)
    return client


def test_a_pdf_inflating_to_400_mb_is_refused_and_nothing_is_stored(signed_in, cica, private_media):
    bomb = pdf_inflating_to(400)
    assert len(bomb) < 2 * 1024 * 1024

    response = signed_in.post(
        "/members/publications/new/",
        {**submission_data(cica.forum), "pdf": SimpleUploadedFile("report.pdf", bomb)},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [UNREADABLE]
    assert Publication.objects.count() == 0
    assert stored_files(private_media) == []


def test_text_extraction_of_such_a_pdf_fails_cleanly():
    with pytest.raises(ValueError, match=r"^not a readable PDF: "):
        pdf_text(pdf_inflating_to(100))


@pytest.mark.parametrize(
    ("width", "height"),
    [(20_000, 20_000), (6_000, 6_000), (100_000, 300)],
    ids=["pillow-bomb", "below-pillows-limit", "a-long-strip"],
)
def test_a_logo_of_absurd_pixel_count_is_refused_and_nothing_is_stored(
    signed_in, cica, private_media, width, height
):
    response = signed_in.post(
        "/members/institute/",
        {
            **profile_data(cica.institute),
            "logo": SimpleUploadedFile("logo.png", png_of_size(width, height)),
        },
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [TOO_MANY_PIXELS]
    assert not Institute.objects.get(pk=cica.institute.pk).logo
    assert stored_files(private_media.parent / "public") == []


@pytest.mark.parametrize(
    ("width", "height"),
    [(20_000, 20_000), (6_000, 6_000)],
    ids=["pillow-bomb", "below-pillows-limit"],
)
def test_staff_cannot_upload_a_logo_of_absurd_pixel_count_either(
    client, cica, private_media, width, height
):
    from django.urls import reverse

    client.force_login(cica.staff)
    url = reverse("admin:members_institute_change", args=[cica.institute.pk])

    response = _admin_post(
        client,
        url,
        "institute_form",
        {"logo": SimpleUploadedFile("logo.png", png_of_size(width, height))},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [TOO_MANY_PIXELS]
    assert not Institute.objects.get(pk=cica.institute.pk).logo
    assert stored_files(private_media) == []
    assert stored_files(private_media.parent / "public") == []


def test_a_logo_staff_upload_is_kept_under_the_institutes_name(client, cica, private_media):
    from django.urls import reverse

    client.force_login(cica.staff)
    url = reverse("admin:members_institute_change", args=[cica.institute.pk])

    response = _admin_post(
        client, url, "institute_form", {"logo": SimpleUploadedFile("x.png", png_of_size(40, 20))}
    )

    assert response.status_code == 302
    logo = Institute.objects.get(pk=cica.institute.pk).logo.name
    assert logo.rsplit("/", 1)[-1] == f"{cica.institute.slug}.png"


def test_the_worker_reading_such_a_pdf_stores_no_text_and_does_not_fail(cica, private_media):
    from django.core.files.base import ContentFile

    from publications.services import publication_extract_text
    from tests import factories as f

    publication = f.PublicationFactory(forum=cica.forum, extracted_text="stale")
    publication.file.save("bomb.pdf", ContentFile(pdf_inflating_to(100)))

    publication_extract_text(publication=publication)

    assert Publication.objects.get(pk=publication.pk).extracted_text == ""


# --- Staff's uploads are checked by content too --------------------------------------------


def _admin_post(client, url, form_id, files, **changes):
    from tests.html import form_data, page

    data = form_data(page(client.get(url)), f"form#{form_id}")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, {**data, **files})


def test_staff_cannot_attach_a_text_file_named_pdf_to_a_publication(client, cica, private_media):
    from django.urls import reverse

    from tests import factories as f

    publication = f.PublicationFactory(forum=cica.forum, status="approved")
    publication.institutes.set([cica.institute])
    client.force_login(cica.staff)
    url = reverse("admin:publications_publication_change", args=[publication.pk])

    response = _admin_post(
        client,
        url,
        "publication_form",
        {"file": SimpleUploadedFile("report.pdf", b"not a pdf at all, only text\n")},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [
        "This file is not a PDF. Upload it as a PDF document."
    ]
    assert not Publication.objects.get(pk=publication.pk).file


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("annex.pdf", b"plain text", False),
        ("annex.docx", b"plain text", False),
        ("annex.xlsx", b"PK\x03\x04 but not a zip", False),
        ("annex.pdf", None, True),
        ("annex.docx", "docx", True),
    ],
    ids=["text-as-pdf", "text-as-docx", "broken-zip", "real-pdf", "real-docx"],
)
def test_concept_paper_attachments_are_checked_by_content(
    client, cica, private_media, name, content, accepted
):
    import io
    import zipfile

    from django.urls import reverse

    from secretariat.models import ConceptPaperAttachment
    from tests import factories as f
    from tests.workspace.helpers import pdf_bytes

    if content is None:
        content = pdf_bytes()
    elif content == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:secretariat_conceptpaperattachment_add"),
        {"paper": paper.pk, "title": "Annex", "file": SimpleUploadedFile(name, content)},
    )

    assert ConceptPaperAttachment.objects.exists() is accepted
    assert response.status_code == (302 if accepted else 200)
