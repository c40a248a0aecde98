"""Files the portal hands out can never act as a page of the portal's origin."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories as f
from tests.security.hostile_files import pdf_with_javascript

pytestmark = pytest.mark.django_db
SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def test_a_members_pdf_with_javascript_is_served_as_a_sandboxed_attachment(
    client, cica, private_media
):
    publication = f.PublicationFactory(forum=cica.forum, status="approved", slug="water")
    publication.file.save("water.pdf", ContentFile(pdf_with_javascript()))

    response = client.get(reverse("publications:download", args=["water"]))

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
