"""Reading oai_dc records: DOIs, dates, kinds, languages and names, as the harvester maps
them (no database, no network)."""

import datetime

import pytest

from publications.harvest.mapping import (
    RecordRefused,
    author_of,
    date_of,
    doi_of,
    kind_of,
    language_of,
    record_fields,
)


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("10.1234/abc.5", "10.1234/abc.5"),
        ("doi:10.1234/abc", "10.1234/abc"),
        ("DOI: 10.1234/abc", "10.1234/abc"),
        ("info:doi/10.1234/abc", "10.1234/abc"),
        ("https://doi.org/10.1234/abc", "10.1234/abc"),
        ("http://dx.doi.org/10.1234/ABC(2024)", "10.1234/ABC(2024)"),
        ("https://doi.org/10.1234%2Fabc", "10.1234/abc"),
        ("https://repo.example.org/10.1234/abc", ""),
        ("urn:isbn:978-3-16-148410-0", ""),
        ("11.1234/abc", ""),
    ],
)
def test_a_doi_is_recognised_in_each_of_its_forms_and_stored_bare(value, doi):
    assert doi_of(value) == doi


@pytest.mark.parametrize(
    ("values", "date"),
    [
        (["2024"], datetime.date(2024, 1, 1)),
        (["2024-05"], datetime.date(2024, 5, 1)),
        (["2024-05-17"], datetime.date(2024, 5, 17)),
        (["2024-05-17T08:00:00Z"], datetime.date(2024, 5, 17)),
        (["spring 2024", "2023"], datetime.date(2023, 1, 1)),
        (["2024-13-01", "1850", "2022-02-02"], datetime.date(2022, 2, 2)),
    ],
)
def test_a_date_may_be_a_year_alone(values, date):
    assert date_of(values) == date


def test_a_record_without_a_readable_date_is_refused():
    with pytest.raises(RecordRefused, match=r"\Ano usable date in dc:date \(1850\)\Z"):
        date_of(["1850"])


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["info:eu-repo/semantics/article"], "article"),
        (["Text", "Book"], "book"),
        (["Policy Brief"], "policy_brief"),
        (["info:eu-repo/semantics/workingPaper"], "analytical_report"),
        (["e-book"], "handbook"),
        (["Dataset"], "other"),
        ([], "other"),
    ],
)
def test_dc_type_maps_to_a_kind(values, kind):
    assert kind_of(values) == kind


@pytest.mark.parametrize(
    ("values", "language"),
    [(["en"], "en"), (["eng"], "en"), (["ru-RU"], "ru"), (["Kazakh"], "kk"), (["fr"], "other")],
)
def test_dc_language_maps_to_a_language(values, language):
    assert language_of(values) == language


@pytest.mark.parametrize(
    ("creator", "author"),
    [
        ("Abenov, Nurlan", "Abenov, Nurlan"),
        ("Nurlan Abenov", "Abenov, Nurlan"),
        ("Kim Min Jun", "Jun, Kim Min"),
        ("Institute of World Economy and Politics", "Institute of World Economy and Politics"),
        ("UNESCO", "UNESCO"),
    ],
)
def test_a_creator_becomes_family_comma_given(creator, author):
    assert author_of(creator) == author


def test_links_become_landing_url_pdf_and_probes():
    mapped = record_fields(
        {
            "title": ["A"],
            "date": ["2024"],
            "identifier": [
                "https://repo.example.org/handle/1",
                "https://repo.example.org/files/a.PDF",
                "https://doi.org/10.1234/x",
                "urn:nbn:de:1",
            ],
            "relation": ["https://repo.example.org/bitstream/9", "ftp://repo.example.org/a.pdf"],
        }
    )

    assert (mapped.fields["url"], mapped.fields["doi"]) == (
        "https://repo.example.org/handle/1",
        "10.1234/x",
    )
    assert mapped.pdf_urls == ["https://repo.example.org/files/a.PDF"]
    assert mapped.probe_urls == [
        "https://repo.example.org/handle/1",
        "https://repo.example.org/bitstream/9",
    ]


@pytest.mark.parametrize(
    ("metadata", "kind", "container"),
    [
        ({"type": ["Journal Article"], "source": ["Asia  Policy"]}, "article", "Asia Policy"),
        # An article must name its journal: one the record does not name is "other".
        ({"type": ["Journal Article"]}, "other", ""),
        ({"type": ["Report"], "source": ["Working papers"]}, "analytical_report", "Working papers"),
    ],
)
def test_dc_source_is_the_journal_or_series(metadata, kind, container):
    mapped = record_fields({"title": ["A"], "date": ["2024"], **metadata})

    assert (mapped.fields["kind"], mapped.fields["container_title"]) == (kind, container)
