"""Formatted citations (APA, Chicago author-date, GOST R 7.0.5) rendered by citeproc-py
from a publication's CSL-JSON item, and the "Cite" section of its page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from publications.citation_styles import (
    APA,
    CHICAGO,
    GOST,
    FormattedCitation,
    Run,
    citation_cache_key,
    formatted_citation,
    render,
)
from publications.citations import csl_item
from publications.enums import PublicationStatus
from publications.services import catalogue_index
from tests import factories as f

pytestmark = pytest.mark.django_db

ITALIC = frozenset({"i"})


def _url(publication) -> str:
    return f"http://testserver/publications/{publication.slug}/"


@pytest.fixture
def report():
    """A report by two people (one with a hyphenated given name), with a DOI."""
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="water-energy-2024",
        title="Water and energy in Central Asia",
        subtitle="Options for 2025",
        authors="Abenov, Nurlan\nKim, Ji-won",
        kind="analytical_report",
        language="en",
        published_on=datetime.date(2024, 12, 15),
        doi="10.1234/we.2024",
    )
    institute = f.InstituteFactory(name="Kazakhstan Institute for Strategic Studies")
    publication.institutes.set([institute])
    return publication


@pytest.fixture
def institute_report():
    """A report whose only author is an institute (a line without a comma)."""
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="asia-security-outlook-2024",
        title="Asia security outlook 2024",
        authors="Institute of World Economy and Politics",
        kind="security_outlook",
        language="en",
        published_on=datetime.date(2024, 6, 1),
    )
    publication.institutes.set([f.InstituteFactory(name="Institute of World Economy and Politics")])
    return publication


@pytest.fixture
def russian_book():
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="vodnye-resursy-2023",
        title="Водные ресурсы Центральной Азии",
        authors="Иванов, Иван Петрович\nКим, Анна",
        kind="book",
        language="ru",
        published_on=datetime.date(2023, 11, 2),
    )
    publication.institutes.set([f.InstituteFactory(name="Институт мировой экономики")])
    return publication


@pytest.mark.parametrize(
    ("style", "runs"),
    [
        (
            APA,
            (
                Run("Abenov, N., & Kim, J.-W. (2024). "),
                Run("Water and energy in Central Asia: Options for 2025", ITALIC),
                Run(
                    " [Analytical report]. Kazakhstan Institute for Strategic Studies."
                    " https://doi.org/10.1234/we.2024"
                ),
            ),
        ),
        (
            CHICAGO,
            (
                Run("Abenov, Nurlan, and Ji-won Kim. 2024. "),
                Run("Water and Energy in Central Asia: Options for 2025", ITALIC),
                Run(
                    ". Analytical report. Kazakhstan Institute for Strategic Studies."
                    " https://doi.org/10.1234/we.2024."
                ),
            ),
        ),
        (
            GOST,
            (
                Run(
                    "Abenov N., Kim J.-W. Water and energy in Central Asia: Options for 2025:"
                    " Аналитический доклад. Kazakhstan Institute for Strategic Studies, 2024."
                ),
            ),
        ),
    ],
    ids=["apa", "chicago", "gost"],
)
def test_a_report_by_people_in_each_style(report, style, runs):
    citation = formatted_citation(publication=report, url=_url(report), style=style)

    assert citation.runs == runs


@pytest.mark.parametrize(
    ("style", "text"),
    [
        (
            APA,
            "Institute of World Economy and Politics. (2024). Asia security outlook 2024"
            " [Security outlook]. Institute of World Economy and Politics."
            " http://testserver/publications/asia-security-outlook-2024/",
        ),
        (
            CHICAGO,
            "Institute of World Economy and Politics. 2024. Asia Security Outlook 2024."
            " Security outlook. Institute of World Economy and Politics."
            " http://testserver/publications/asia-security-outlook-2024/.",
        ),
        (
            GOST,
            "Institute of World Economy and Politics. Asia security outlook 2024:"
            " Обзор перспектив безопасности. Institute of World Economy and Politics, 2024.",
        ),
    ],
    ids=["apa", "chicago", "gost"],
)
def test_an_institute_as_the_only_author_is_kept_whole(institute_report, style, text):
    citation = formatted_citation(
        publication=institute_report, url=_url(institute_report), style=style
    )

    assert citation.text == text


@pytest.mark.parametrize(
    ("style", "runs"),
    [
        (
            APA,
            (
                Run("Иванов, И. П., & Ким, А. (2023). "),
                Run("Водные ресурсы Центральной Азии", ITALIC),
                Run(
                    ". Институт мировой экономики."
                    " http://testserver/publications/vodnye-resursy-2023/"
                ),
            ),
        ),
        (
            CHICAGO,
            (
                Run("Иванов, Иван Петрович, and Анна Ким. 2023. "),
                Run("Водные ресурсы Центральной Азии", ITALIC),
                Run(
                    ". Институт мировой экономики."
                    " http://testserver/publications/vodnye-resursy-2023/."
                ),
            ),
        ),
        (
            GOST,
            (
                Run(
                    "Иванов И. П., Ким А. Водные ресурсы Центральной Азии."
                    " Институт мировой экономики, 2023."
                ),
            ),
        ),
    ],
    ids=["apa", "chicago", "gost"],
)
def test_a_russian_book_in_each_style(russian_book, style, runs):
    citation = formatted_citation(publication=russian_book, url=_url(russian_book), style=style)

    assert citation.runs == runs


def test_the_style_speaks_its_own_language_whatever_the_page_does(report):
    with translation.override("ru"):
        apa = formatted_citation(publication=report, url=_url(report), style=APA)
    gost = formatted_citation(publication=report, url=_url(report), style=GOST)

    assert "[Analytical report]" in apa.text
    assert ": Аналитический доклад." in gost.text


def test_markup_in_the_item_stays_text_and_marker_characters_are_dropped():
    item = {
        "id": "x",
        "type": "book",
        "title": "<script>alert(1)</script> & \U000f0000Co",
        "author": [{"family": "O'Brien <b>", "given": "Ann"}],
        "issued": {"date-parts": [[2024, 1, 2]]},
    }

    assert render(item, style=APA) == (
        Run("O'Brien <b>, A. (2024). "),
        Run("<script>alert(1)</script> & Co", ITALIC),
        Run("."),
    )


def test_a_rendering_is_kept_in_the_cache_under_its_exact_input(report):
    first = formatted_citation(publication=report, url=_url(report), style=APA)
    item = csl_item(report, url=_url(report))
    key = citation_cache_key(item=item, style=APA)

    assert cache.get(key) == first.runs
    cache.set(key, (Run("From the cache."),))
    try:
        again = formatted_citation(publication=report, url=_url(report), style=APA)
    finally:
        cache.delete(key)
    assert again.text == "From the cache."


def test_a_change_to_what_the_citation_shows_is_never_answered_from_the_cache(report):
    formatted_citation(publication=report, url=_url(report), style=GOST)
    institute = report.institutes.get()
    institute.name = "Institute for Peace and Development"
    institute.save()

    citation = formatted_citation(publication=report, url=_url(report), style=GOST)

    assert citation.text == (
        "Abenov N., Kim J.-W. Water and energy in Central Asia: Options for 2025:"
        " Аналитический доклад. Institute for Peace and Development, 2024."
    )


def test_each_mark_becomes_its_tag_and_the_text_is_escaped():
    citation = FormattedCitation(
        style=APA,
        runs=(
            Run("A & "),
            Run("<b>", frozenset({"i", "b"})),
            Run("u", frozenset({"u"})),
            Run("2", frozenset({"sup"})),
            Run("0", frozenset({"sub"})),
            Run("Caps", frozenset({"small-caps"})),
        ),
    )

    html = render_to_string("publications/includes/citation_runs.html", {"citation": citation})

    assert html.strip() == (
        "A &amp; <i><b>&lt;b&gt;</b></i><u>u</u><sup>2</sup><sub>0</sub>"
        '<span class="small-caps">Caps</span>'
    )


# The page


def _citation_html(content: str, key: str) -> str:
    [html] = re.findall(rf'<p class="citation-text" id="citation-{key}">(.*?)</p>', content)
    return html


def _summaries(content: str) -> list[str]:
    return re.findall(r'<details class="citation"( open)?>\s*<summary>([^<]*)</summary>', content)


def test_the_page_shows_each_style_with_a_copy_button(client, report):
    content = client.get(report.get_absolute_url()).content.decode()

    assert _summaries(content) == [
        (" open", "APA (7th edition)"),
        ("", "Chicago (author-date)"),
        ("", "GOST R 7.0.5-2008"),
    ]
    assert _citation_html(content, "apa") == (
        "Abenov, N., &amp; Kim, J.-W. (2024). <i>Water and energy in Central Asia: Options for"
        " 2025</i> [Analytical report]. Kazakhstan Institute for Strategic Studies."
        " https://doi.org/10.1234/we.2024"
    )
    assert re.findall(r'<button [^>]*data-copy="([^"]+)"[^>]*aria-label="([^"]+)"', content) == [
        ("citation-apa", "Copy the citation in APA (7th edition)"),
        ("citation-chicago", "Copy the citation in Chicago (author-date)"),
        ("citation-gost", "Copy the citation in GOST R 7.0.5-2008"),
    ]
    assert '<script src="/static/js/copy-citation.js" defer></script>' in content


def test_russian_readers_see_gost_first(client, report):
    content = client.get(f"/ru{report.get_absolute_url()}").content.decode()

    details = r'<details class="citation"( open)?>.*?id="citation-(\w+)"'
    assert re.findall(details, content, re.S) == [
        (" open", "gost"),
        ("", "apa"),
        ("", "chicago"),
    ]
    assert _citation_html(content, "gost") == (
        "Abenov N., Kim J.-W. Water and energy in Central Asia: Options for 2025:"
        " Аналитический доклад. Kazakhstan Institute for Strategic Studies, 2024."
    )


def test_a_title_with_markup_is_shown_as_text_in_every_style(client, cica):
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="script-and-co",
        title="<script>alert(1)</script> & Co",
        authors="Abenov, Nurlan",
        language="en",
        forum=cica.forum,
        published_on=datetime.date(2024, 5, 1),
    )
    catalogue_index(publications=[publication])

    content = client.get(publication.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in content
    assert _citation_html(content, "apa") == (
        "Abenov, N. (2024). <i>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</i>"
        " [Analytical report]. http://testserver/publications/script-and-co/"
    )
    assert _citation_html(content, "chicago") == (
        "Abenov, Nurlan. 2024. <i>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</i>."
        " Analytical report. http://testserver/publications/script-and-co/."
    )
    assert _citation_html(content, "gost") == (
        "Abenov N. &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co: Аналитический доклад. 2024."
    )


@pytest.mark.parametrize("n", [1, 6])
def test_the_page_reads_a_fixed_number_of_queries(client, cica, django_assert_num_queries, n):
    publication = f.PublicationFactory(
        status=PublicationStatus.APPROVED,
        slug="counted",
        authors="\n".join(f"Author{i}, Given" for i in range(n)),
        forum=cica.forum,
    )
    publication.institutes.set(f.InstituteFactory.create_batch(n))
    publication.themes.set(f.ThemeFactory.create_batch(n))
    catalogue_index(publications=[publication])

    with django_assert_num_queries(QUERIES):
        response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["citations"]) == 3


QUERIES = 5
