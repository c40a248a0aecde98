"""Staff import publications from a CSV or Excel file, or a ZIP of the file and the PDFs
its rows name: each PDF checked like an upload, stored only by the confirmed import."""

import pytest
from django.urls import reverse

from publications.enums import PublicationStatus
from publications.models import Publication
from tests import factories as f
from tests.spreadsheets import (
    CSV,
    ZIP,
    confirm,
    confirm_data,
    csv_file,
    errors_shown,
    exported,
    preview,
    xlsx_bytes,
    zip_file,
)
from tests.workspace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

HEADER = ["title", "authors", "forum", "institutes", "kind", "published_on", "themes", "file"]


def _stored(root) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_zip_of_a_spreadsheet_and_its_pdfs_imports_the_publications_with_their_files(
    client, cica, private_media
):
    f.ThemeFactory(name="Water", slug="water")
    rows = [
        HEADER,
        [
            "Water security in Central Asia",
            "Abenov, Nurlan",
            "cica-ttf",
            "CICA Institute",
            "analytical_report",
            "2024-05-02",
            "water",
            "water.pdf",
        ],
    ]
    pdf = pdf_bytes()
    upload = zip_file({"publications.xlsx": xlsx_bytes(rows), "water.pdf": pdf})
    client.force_login(cica.staff)

    shown = preview(client, "publications.publication", upload, ZIP)

    assert errors_shown(shown) == []
    assert _stored(private_media) == []  # the preview stores no file

    confirm(client, "publications.publication", confirm_data(shown))

    publication = Publication.objects.get(title="Water security in Central Asia")
    assert (
        publication.slug,
        publication.forum,
        publication.status,
        str(publication.published_on),
    ) == (
        "water-security-in-central-asia",
        cica.forum,
        PublicationStatus.SUBMITTED,
        "2024-05-02",
    )
    assert list(publication.institutes.all()) == [cica.institute]
    assert list(publication.themes.values_list("slug", flat=True)) == ["water"]
    assert publication.file.read() == pdf
    assert _stored(private_media) == ["water-security-in-central-asia.pdf"]
    assert [(h.history_user, h.history_change_reason) for h in publication.history.all()] == [
        (cica.staff, "Imported from rows.zip")
    ]


def test_a_file_that_is_not_a_pdf_or_not_in_the_zip_is_the_error_of_its_row(
    client, cica, private_media
):
    rows = [
        HEADER,
        [
            "Outlook",
            "",
            "cica-ttf",
            "CICA Institute",
            "analytical_report",
            "2024-05-02",
            "",
            "a.pdf",
        ],
        ["Brief", "", "cica-ttf", "CICA Institute", "policy_brief", "2024-05-03", "", "b.pdf"],
        ["Notes", "", "cica-ttf", "", "policy_brief", "2024-05-03", "", ""],
    ]
    upload = zip_file({"rows.csv": csv_file(rows).read(), "a.pdf": b"<html>not a PDF</html>"})
    client.force_login(cica.staff)

    shown = preview(client, "publications.publication", upload, ZIP)

    assert errors_shown(shown) == [
        "Line 2, column “file”: This file is not a PDF. Upload it as a PDF document.",
        "Line 3, column “file”: The ZIP holds no file “b.pdf”.",
        "Line 4, column “institutes”: Name at least one institute.",
    ]
    assert "confirm_form" not in shown.context
    assert Publication.objects.exists() is False
    assert _stored(private_media) == []


def test_a_publication_of_another_secretariats_forum_is_refused(client, cica, kca):
    rows = [
        HEADER,
        ["Outlook", "", "kca-ttf", "KCA Institute", "analytical_report", "2024-05-02", "", ""],
    ]
    client.force_login(cica.staff)

    shown = preview(client, "publications.publication", csv_file(rows), CSV)

    assert errors_shown(shown) == [
        "Line 2, column “forum”: No forum “kca-ttf” among those your secretariat may use.",
        "Line 2, column “institutes”: No institute “KCA Institute” among those your "
        "secretariat may use.",
    ]
    assert Publication.objects.exists() is False


def test_the_export_lists_the_filtered_publications_of_the_users_forums(client, cica, kca):
    mine = f.PublicationFactory(forum=cica.forum, title="Asia Security Outlook 2024", slug="aso")
    mine.institutes.add(cica.institute)
    f.PublicationFactory(forum=cica.forum, title="Returned", status="returned", return_reason="x")
    f.PublicationFactory(forum=kca.forum, title="Korea outlook")
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:publications_publication_export") + "?status__exact=submitted",
        {"format": "0", "resource": "0"},
    )

    assert [
        (row["slug"], row["title"], row["forum"], row["institutes"], row["status"], row["file"])
        for row in exported(response)
    ] == [("aso", "Asia Security Outlook 2024", "cica-ttf", "CICA Institute", "submitted", "")]
