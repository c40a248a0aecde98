"""Files the portal hands out can never act as a page of the portal's origin."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from publications.services import publication_approve
from tests import factories as f
from tests.security.hostile_files import pdf_with_javascript

pytestmark = pytest.mark.django_db
SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def test_a_members_pdf_with_javascript_is_served_as_a_sandboxed_attachment(
    client, cica, superuser, private_media, django_capture_on_commit_callbacks
):
    publication = f.PublicationFactory(forum=cica.forum, status="submitted", slug="water")
    publication.file.save("water.pdf", ContentFile(pdf_with_javascript()))
    with django_capture_on_commit_callbacks(execute=True):
        publication_approve(publication=publication, by=superuser)

    response = client.get(reverse("publications:download", args=["water"]), follow=True)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="water.pdf"'
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_with_javascript()


def test_a_rendered_preview_is_shown_inline_but_sandboxed(client, cica):
    statement = f.JointStatementFactory(forum=cica.forum)
    client.force_login(cica.staff)

    response = client.get(
        reverse("admin:actionplans_jointstatement_pdf_preview", args=[statement.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == SANDBOX


def test_staff_open_a_submitted_pdf_from_its_admin_page_and_only_their_own(
    client, cica, kca, private_media
):
    publication = f.PublicationFactory(forum=cica.forum, status="submitted", slug="water")
    publication.file.save("water.pdf", ContentFile(pdf_with_javascript()))
    file_url = reverse("admin:publications_publication_file", args=[publication.pk])
    client.force_login(cica.staff)

    page = client.get(reverse("admin:publications_publication_change", args=[publication.pk]))
    download = client.get(file_url)
    client.force_login(kca.staff)
    refused = client.get(file_url)

    assert page.status_code == 200
    assert f'href="{file_url}"' in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="water.pdf"'
    assert download["Content-Security-Policy"] == SANDBOX
    assert b"".join(download.streaming_content) == pdf_with_javascript()
    assert refused.status_code == 404
    assert client.get(f"/media/{publication.file.name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media//etc/passwd",
        "/media/%2Fetc%2Fpasswd",
        "/media/../media-private/x.pdf",
        "/media/publications/%2e%2e/%2e%2e/settings.py",
    ],
)
def test_a_path_outside_the_public_folder_is_simply_not_found(client, path):
    assert client.get(path).status_code == 404
