import datetime
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.urls import reverse

from publications import citations
from publications.enums import Language, PublicationKind, PublicationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

BRIEF_URL = "http://testserver/publications/water-energy-2024/"


@pytest.fixture
def brief():
    """An approved policy brief with every field set, specials in its title."""
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="water-energy-2024",
        title="The Water & Energy Nexus: 5% of GDP",
        subtitle="Options for Central Asia",
        kind=PublicationKind.POLICY_BRIEF,
        authors="Ivanov, Ivan Petrovich\nKim, Min-jun\nInstitute for Peace and Development",
        published_on=datetime.date(2024, 3, 15),
        abstract="Rivers cross borders.\n\nSo must $ and # planning.",
        keywords="water; energy, Central Asia",
        doi="10.1234/ttf_2024-07",
        isbn="978-601-7000-01-7",
        language=Language.ENGLISH,
    )
    publication.institutes.set(
        [
            f.InstituteFactory(name="Kazakhstan Institute for Strategic Studies"),
            f.InstituteFactory(name="Institute for Peace and Development"),
        ]
    )
    return publication


@pytest.fixture
def russian_book():
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="bezopasnost-2023",
        title="Безопасность в Центральной Азии",
        kind=PublicationKind.BOOK,
        authors="Иванов, Иван",
        published_on=datetime.date(2023, 11, 2),
        language=Language.RUSSIAN,
    )
    publication.institutes.set([f.InstituteFactory(name="Институт мировой экономики")])
    return publication


def _get(client, name, slug):
    return client.get(reverse(f"publications:{name}", kwargs={"slug": slug}))


def _bibtex_fields(text):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    entry = library.entries[0]
    return entry, {field.key: field.value for field in entry.fields}


# BibTeX


def test_bibtex_escapes_every_special_character():
    assert citations.bibtex_escape(r"& % $ # _ { } ~ ^ \ x") == (
        r"\& \% \$ \# \_ \textbraceleft{} \textbraceright{} \textasciitilde{} "
        r"\textasciicircum{} \textbackslash{} x"
    )


def test_bibtex_of_a_policy_brief(client, brief):
    response = _get(client, "bibtex", "water-energy-2024")

    entry, fields = _bibtex_fields(response.content.decode())
    assert entry.entry_type == "techreport"
    assert entry.key == "ivanov2024water"
    assert fields == {
        "title": r"{The Water \& Energy Nexus: 5\% of GDP: Options for Central Asia}",
        "author": "Ivanov, Ivan Petrovich and Kim, Min-jun and "
        "{Institute for Peace and Development}",
        "year": "2024",
        "month": "mar",
        "institution": "{Institute for Peace and Development} and "
        "{Kazakhstan Institute for Strategic Studies}",
        "type": "Policy brief",
        "doi": "10.1234/ttf_2024-07",
        "isbn": "978-601-7000-01-7",
        "url": BRIEF_URL,
        "language": "en",
        "abstract": r"Rivers cross borders. So must \$ and \# planning.",
        "keywords": "water, energy, Central Asia",
    }


def test_bibtex_title_decodes_back_to_the_title(brief):
    text = citations.bibtex(brief, url=BRIEF_URL)

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.entries[0]["title"] == (
        "The Water & Energy Nexus: 5% of GDP: Options for Central Asia"
    )


def test_bibtex_keeps_russian_as_utf8(client, russian_book):
    response = _get(client, "bibtex", "bezopasnost-2023")

    entry, fields = _bibtex_fields(response.content.decode("utf-8"))
    assert entry.entry_type == "book"
    assert entry.key == "ivanov2023bezopasnost"
    assert fields == {
        "title": "{Безопасность в Центральной Азии}",
        "author": "Иванов, Иван",
        "year": "2023",
        "month": "nov",
        "publisher": "{Институт мировой экономики}",
        "url": "http://testserver/publications/bezopasnost-2023/",
        "language": "ru",
    }


def test_bibtex_with_unbalanced_braces_and_backslashes_still_parses():
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        title=r"Left { only ~ 2^10 C:\path_x",
        kind=PublicationKind.OTHER,
        authors="",
    )

    entry, fields = _bibtex_fields(citations.bibtex(publication, url="http://x/"))
    assert entry.entry_type == "misc"
    assert entry.key == "anon2024left"
    assert fields["title"] == (
        r"{Left \textbraceleft{} only \textasciitilde{} 2\textasciicircum{}10 "
        r"C:\textbackslash{}path\_x}"
    )
    assert "author" not in fields


@pytest.mark.parametrize(
    ("kind", "container", "bibtex", "ris", "csl"),
    [
        (PublicationKind.BOOK, "", "book", "BOOK", "book"),
        (PublicationKind.HANDBOOK, "", "book", "BOOK", "book"),
        (PublicationKind.ARTICLE, "Asia Policy", "article", "JOUR", "article-journal"),
        # An article whose journal is not known (entered before the field existed).
        (PublicationKind.ARTICLE, "", "misc", "GEN", "document"),
        (PublicationKind.ANALYTICAL_REPORT, "", "techreport", "RPRT", "report"),
        (PublicationKind.FORECAST_REPORT, "", "techreport", "RPRT", "report"),
        (PublicationKind.SECURITY_OUTLOOK, "", "techreport", "RPRT", "report"),
        (PublicationKind.KEY_TAKEAWAYS, "", "techreport", "RPRT", "report"),
        (PublicationKind.POLICY_BRIEF, "", "techreport", "RPRT", "report"),
        (PublicationKind.JOINT_STATEMENT, "Series", "techreport", "RPRT", "report"),
        (PublicationKind.OTHER, "", "misc", "GEN", "document"),
    ],
)
def test_every_export_types_a_kind_alike(kind, container, bibtex, ris, csl):
    publication = f.PublicationFactory(kind=kind, container_title=container, authors="A, B")

    assert citations.bibtex(publication, url="u").split("{", 1)[0] == f"@{bibtex}"
    assert rispy.loads(citations.ris(publication, url="u"))[0]["type_of_reference"] == ris
    assert citations.csl_item(publication, url="u")["type"] == csl


def test_citation_key_of_a_korean_title_is_romanised():
    publication = f.PublicationFactory(
        title="한반도 안보",
        slug="hanbando-anbo",
        authors="김, 민준",
        published_on=datetime.date(2022, 5, 1),
    )

    assert citations.citation_key(publication) == "gim2022hanbando"


# RIS


def test_ris_of_a_policy_brief(client, brief):
    response = _get(client, "ris", "water-energy-2024")
    text = response.content.decode()

    assert text.endswith("ER  - \r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert rispy.loads(text) == [
        {
            "type_of_reference": "RPRT",
            "title": "The Water & Energy Nexus: 5% of GDP: Options for Central Asia",
            "short_title": "The Water & Energy Nexus: 5% of GDP",
            "authors": [
                "Ivanov, Ivan Petrovich",
                "Kim, Min-jun",
                "Institute for Peace and Development",
            ],
            "year": "2024",
            "date": "2024/03/15",
            "publisher": "Institute for Peace and Development; "
            "Kazakhstan Institute for Strategic Studies",
            "type_of_work": "Policy brief",
            "abstract": "Rivers cross borders. So must $ and # planning.",
            "keywords": ["water", "energy", "Central Asia"],
            "doi": "10.1234/ttf_2024-07",
            "issn": "978-601-7000-01-7",
            "urls": [BRIEF_URL],
            "language": "en",
        }
    ]


def test_ris_of_a_russian_book(client, russian_book):
    response = _get(client, "ris", "bezopasnost-2023")

    assert rispy.loads(response.content.decode("utf-8")) == [
        {
            "type_of_reference": "BOOK",
            "title": "Безопасность в Центральной Азии",
            "authors": ["Иванов, Иван"],
            "year": "2023",
            "date": "2023/11/02",
            "publisher": "Институт мировой экономики",
            "urls": ["http://testserver/publications/bezopasnost-2023/"],
            "language": "ru",
        }
    ]


# CSL-JSON


def test_csl_json_of_a_policy_brief(client, brief):
    response = _get(client, "csl_json", "water-energy-2024")

    assert json.loads(response.content) == [
        {
            "id": "water-energy-2024",
            "type": "report",
            "title": "The Water & Energy Nexus: 5% of GDP: Options for Central Asia",
            "title-short": "The Water & Energy Nexus: 5% of GDP",
            "author": [
                {"family": "Ivanov", "given": "Ivan Petrovich"},
                {"family": "Kim", "given": "Min-jun"},
                {"literal": "Institute for Peace and Development"},
            ],
            "issued": {"date-parts": [[2024, 3, 15]]},
            "publisher": "Institute for Peace and Development; "
            "Kazakhstan Institute for Strategic Studies",
            "genre": "Policy brief",
            "DOI": "10.1234/ttf_2024-07",
            "ISBN": "978-601-7000-01-7",
            "URL": BRIEF_URL,
            "language": "en",
            "abstract": "Rivers cross borders.\n\nSo must $ and # planning.",
            "keyword": "water, energy, Central Asia",
        }
    ]


def test_csl_json_of_a_russian_book_is_utf8_not_escaped(client, russian_book):
    response = _get(client, "csl_json", "bezopasnost-2023")

    assert "Безопасность в Центральной Азии" in response.content.decode("utf-8")
    assert json.loads(response.content) == [
        {
            "id": "bezopasnost-2023",
            "type": "book",
            "title": "Безопасность в Центральной Азии",
            "author": [{"family": "Иванов", "given": "Иван"}],
            "issued": {"date-parts": [[2023, 11, 2]]},
            "publisher": "Институт мировой экономики",
            "URL": "http://testserver/publications/bezopasnost-2023/",
            "language": "ru",
        }
    ]


# The views


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("bibtex", "application/x-bibtex; charset=utf-8", "water-energy-2024.bib"),
        ("ris", "application/x-research-info-systems; charset=utf-8", "water-energy-2024.ris"),
        (
            "csl_json",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            "water-energy-2024.json",
        ),
    ],
)
def test_export_is_a_download_of_its_format(client, brief, name, content_type, filename):
    response = _get(client, name, "water-energy-2024")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_export_in_russian_links_the_russian_page(client, russian_book):
    response = client.get("/ru/publications/bezopasnost-2023/cite.json")

    assert json.loads(response.content)[0]["URL"] == (
        "http://testserver/ru/publications/bezopasnost-2023/"
    )


@pytest.mark.parametrize("name", ["bibtex", "ris", "csl_json"])
@pytest.mark.parametrize(
    "status",
    [PublicationStatus.SUBMITTED, PublicationStatus.RETURNED, PublicationStatus.WITHDRAWN],
)
def test_export_of_a_publication_not_approved_is_not_found(client, name, status):
    f.PublicationFactory(
        status=status,
        slug="not-public",
        title="Draft on Regional Security",
        return_reason="Needs an abstract." if status == PublicationStatus.RETURNED else "",
    )

    response = _get(client, name, "not-public")

    assert response.status_code == 404
    assert "Draft on Regional Security" not in response.content.decode()


@pytest.mark.parametrize("name", ["bibtex", "ris", "csl_json"])
def test_export_of_an_unknown_slug_is_not_found(client, brief, name):
    assert _get(client, name, "no-such-publication").status_code == 404
