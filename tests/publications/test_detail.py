import datetime
import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.files import public_copy_sync
from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import catalogue_index
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication(cica, private_media):
    publication = f.PublicationFactory(
        title="Asia Security Outlook 2024",
        subtitle="Review of the year",
        slug="asia-security-outlook-2024",
        authors="Abenov, Nurlan\nKim, Ji-won",
        forum=cica.forum,
        kind="security_outlook",
        language="en",
        published_on=datetime.date(2024, 12, 15),
        abstract="Hotspot issues of Asian security & the outlook for 2025.",
        doi="10.1234/aso.2024",
        status=PublicationStatus.APPROVED,
    )
    publication.institutes.set([cica.institute])
    publication.file.save("outlook.pdf", ContentFile(b"%PDF-1.4\nbody\n%%EOF\n"))
    catalogue_index(publications=[publication])
    public_copy_sync(  # as approving it does, after commit
        Publication, pk=publication.pk, source="file", copy="public_file", public=lambda p: True
    )
    publication.refresh_from_db()
    return publication


def _metas(content: str, name: str) -> list[str]:
    import re

    return [
        html.unescape(m)
        for m in re.findall(
            rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', content
        )
    ]


def test_page_carries_highwire_dublin_core_and_opengraph_tags(client, publication, cica):
    content = client.get(publication.get_absolute_url()).content.decode()

    assert _metas(content, "citation_title") == ["Asia Security Outlook 2024: Review of the year"]
    assert _metas(content, "citation_author") == ["Abenov, Nurlan", "Kim, Ji-won"]
    assert _metas(content, "citation_publication_date") == ["2024/12/15"]
    assert _metas(content, "citation_doi") == ["10.1234/aso.2024"]
    assert _metas(content, "citation_publisher") == [cica.institute.name]
    assert _metas(content, "citation_pdf_url") == [
        "http://testserver/publications/asia-security-outlook-2024/pdf/"
    ]
    assert _metas(content, "DC.creator") == ["Abenov, Nurlan", "Kim, Ji-won"]
    assert _metas(content, "DC.date") == ["2024-12-15"]
    assert _metas(content, "og:title") == ["Asia Security Outlook 2024: Review of the year"]
    assert _metas(content, "og:type") == ["article"]
    # A security outlook is a report: Zotero files it as one, with its institution.
    assert _metas(content, "citation_technical_report_institution") == [cica.institute.name]
    assert _metas(content, "DC.type") == ["report"]


def test_page_links_the_three_citation_formats_and_the_pdf(client, publication):
    content = client.get(publication.get_absolute_url()).content.decode()

    for name in ("bibtex", "ris", "csl_json", "download"):
        assert reverse(f"publications:{name}", args=[publication.slug]) in content


def test_download_serves_the_pdf_of_an_approved_publication(client, publication):
    response = client.get(reverse("publications:download", args=[publication.slug]), follow=True)

    year = datetime.date.today().year
    assert response.redirect_chain == [(f"/media/publications/{year}/outlook.pdf", 302)]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="outlook.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.4\nbody\n%%EOF\n"


def test_related_publications_share_a_theme_or_institute(client, publication, cica):
    theme = f.ThemeFactory()
    publication.themes.add(theme)
    catalogue_index(publications=[publication])
    same_theme = f.PublicationFactory(title="Same theme", status="approved", forum=cica.forum)
    same_theme.themes.add(theme)
    unrelated = f.PublicationFactory(title="Unrelated", status="approved", forum=cica.forum)
    hidden = f.PublicationFactory(title="Same but submitted", forum=cica.forum)
    hidden.themes.add(theme)
    catalogue_index(publications=[same_theme, unrelated, hidden])

    response = client.get(publication.get_absolute_url())

    assert [p.title for p in response.context["related"]] == ["Same theme"]


def test_unknown_slug_is_404(client, db):
    assert client.get(reverse("publications:detail", args=["no-such"])).status_code == 404
