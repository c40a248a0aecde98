"""The tags and JSON-LD of a publication's page, as Google Scholar and Zotero read them:
each kind typed as the exports type it, the institute as author when no person is named."""

import datetime
import json
import re

import pytest
from django.test import override_settings
from lxml import html as lxml_html

from publications.enums import PublicationKind, PublicationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(client, publication):
    response = client.get(publication.get_absolute_url())
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def _metas(root, key: str) -> list[str]:
    return [
        m.get("content")
        for m in root.xpath("//head/meta")
        if key in (m.get("name"), m.get("property"))
    ]


def _json_ld(root) -> dict:
    (block,) = root.xpath('//head/script[@type="application/ld+json"]')
    return json.loads(block.text)


def _zotero_type(root) -> str:
    """The item type Zotero's Embedded Metadata translator gives the page: strong signals
    (og:type book, a DC.type it knows) before the Highwire tags' type, weak guesses last
    (translators/Embedded Metadata.js and RDF.js, detectType)."""
    og = _metas(root, "og:type")
    dc = {"book": "book", "report": "report", "article": "journalArticle", "document": "document"}
    dc_type = next((dc[t.lower()] for t in _metas(root, "DC.type") if t.lower() in dc), None)
    if og == ["book"]:
        return "book"
    if dc_type:
        return dc_type
    if _metas(root, "citation_journal_title"):
        return "journalArticle"
    if _metas(root, "citation_technical_report_institution"):
        return "report"
    return "journalArticle"  # citation_title alone, og:type article or DC.type Text


@pytest.mark.parametrize(
    ("kind", "isbn", "container", "zotero", "schema", "institution"),
    [
        (PublicationKind.BOOK, "978-601-7000-01-7", "", "book", "Book", False),
        (PublicationKind.HANDBOOK, "", "", "book", "Book", False),
        (PublicationKind.KEY_TAKEAWAYS, "", "", "report", "Report", True),
        (PublicationKind.JOINT_STATEMENT, "", "", "report", "Report", True),
        (PublicationKind.POLICY_BRIEF, "", "Policy Series", "report", "Report", True),
        (PublicationKind.ARTICLE, "", "Asia Policy", "journalArticle", "ScholarlyArticle", False),
        (PublicationKind.OTHER, "", "", "document", "CreativeWork", False),
    ],
)
def test_each_kind_is_typed_as_its_exports_type_it(
    client, cica, kind, isbn, container, zotero, schema, institution
):
    publication = f.PublicationFactory(
        forum=cica.forum,
        status=PublicationStatus.APPROVED,
        kind=kind,
        isbn=isbn,
        container_title=container,
        authors="Abenov, Nurlan",
    )
    publication.institutes.set([cica.institute])

    root = _page(client, publication)

    assert _zotero_type(root) == zotero
    assert _json_ld(root)["@type"] == schema
    expected = [cica.institute.name] if institution else []
    assert _metas(root, "citation_technical_report_institution") == expected
    assert _metas(root, "og:type") == (["book"] if schema == "Book" else ["article"])
    journal = [container] if kind == PublicationKind.ARTICLE else []
    assert _metas(root, "citation_journal_title") == journal


def test_an_article_names_its_journal_and_publisher_everywhere(client, cica):
    publication = f.PublicationFactory(
        forum=cica.forum,
        status=PublicationStatus.APPROVED,
        slug="water-diplomacy",
        title="Water Diplomacy",
        kind=PublicationKind.ARTICLE,
        container_title="Central Asian Affairs",
        publisher="Brill",
        authors="Abenov, Nurlan\nKim, Ji-won",
        published_on=datetime.date(2023, 4, 9),
        doi="10.5555/caa.2023.9",
        keywords="water; diplomacy",
        language="en",
    )
    publication.institutes.set([cica.institute])

    root = _page(client, publication)

    assert _metas(root, "citation_journal_title") == ["Central Asian Affairs"]
    assert _metas(root, "citation_publisher") == ["Brill"]
    assert _metas(root, "DC.publisher") == ["Brill"]
    assert _metas(root, "DC.relation.ispartof") == ["Central Asian Affairs"]
    assert _metas(root, "DC.identifier") == [
        "http://testserver/publications/water-diplomacy/",
        "https://doi.org/10.5555/caa.2023.9",
    ]
    assert _json_ld(root) == {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": "http://testserver/publications/water-diplomacy/",
        "url": "http://testserver/publications/water-diplomacy/",
        "name": "Water Diplomacy",
        "headline": "Water Diplomacy",
        "author": [
            {
                "@type": "Person",
                "name": "Nurlan Abenov",
                "familyName": "Abenov",
                "givenName": "Nurlan",
            },
            {"@type": "Person", "name": "Ji-won Kim", "familyName": "Kim", "givenName": "Ji-won"},
        ],
        "datePublished": "2023-04-09",
        "inLanguage": "en",
        "genre": "Article",
        "keywords": ["water", "diplomacy"],
        "publisher": [{"@type": "Organization", "name": "Brill"}],
        "isPartOf": {"@type": "Periodical", "name": "Central Asian Affairs"},
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": "10.5555/caa.2023.9",
        },
        "sameAs": "https://doi.org/10.5555/caa.2023.9",
    }


def test_without_a_named_person_the_institutes_are_the_authors(client, cica):
    publication = f.PublicationFactory(
        forum=cica.forum, status=PublicationStatus.APPROVED, authors=""
    )
    publication.institutes.set([cica.institute])

    root = _page(client, publication)

    assert _metas(root, "citation_author") == [cica.institute.name]
    assert _metas(root, "DC.creator") == [cica.institute.name]
    assert _json_ld(root)["author"] == [{"@type": "Organization", "name": cica.institute.name}]


@override_settings(PORTAL_NAME="Forums")
def test_markup_in_any_field_cannot_leave_the_json_ld_block(client, cica):
    hostile = "</script><script>alert(1)</script> & <!--"
    publication = f.PublicationFactory(
        forum=cica.forum,
        status=PublicationStatus.APPROVED,
        title=f"Title {hostile}",
        abstract=hostile,
        authors=f"Doe, {hostile}",
        keywords=hostile,
    )

    content = client.get(publication.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert block is not None
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert json.loads(block.group(1))["abstract"] == hostile
    assert content.count("<script>alert(1)") == 0
