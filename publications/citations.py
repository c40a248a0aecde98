"""A publication as BibTeX, RIS and CSL-JSON, for reference managers.

Pure functions of a publication (with its institutes prefetched) and the absolute URL of
its public page; the views in ``publications.exports`` only look the publication up and
wrap the text in a response. Non-ASCII text (Russian, Korean) stays UTF-8 in all three.
"""

import json
import re
from dataclasses import dataclass

from core.slugs import ascii_words
from publications.enums import Language, PublicationKind
from publications.models import Publication

BOOKS = {PublicationKind.BOOK, PublicationKind.HANDBOOK}
REPORTS = {
    PublicationKind.ANALYTICAL_REPORT,
    PublicationKind.FORECAST_REPORT,
    PublicationKind.SECURITY_OUTLOOK,
    PublicationKind.KEY_TAKEAWAYS,
    PublicationKind.POLICY_BRIEF,
    PublicationKind.JOINT_STATEMENT,
}

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_KEY_STOP_WORDS = {"a", "an", "the"}

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # Escaped braces would still count for BibTeX's brace matching; macros do not.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


@dataclass(frozen=True)
class Name:
    """An author: "Family, Given" split at its first comma; a line without a comma (an
    organisation, a single name) is kept whole as ``literal``."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def inverted(self) -> str:
        """The name as BibTeX and RIS write it: "Family, Given", or the literal."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        return (
            {"family": self.family, "given": self.given} if self.given else {"family": self.family}
        )


class CitedAs:
    """What a publication is cited as: every export and every page's tags agree."""

    BOOK = "book"
    ARTICLE = "article"
    REPORT = "report"
    OTHER = "other"


def cited_as(publication: Publication) -> str:
    """Books and handbooks are books; the report kinds (joint statements and key takeaways
    included) reports; an article is a journal article only when the journal is known
    (one without it is cited as a document: a style would print an empty venue)."""
    if publication.kind in BOOKS:
        return CitedAs.BOOK
    if publication.kind == PublicationKind.ARTICLE:
        return CitedAs.ARTICLE if publication.container_title else CitedAs.OTHER
    if publication.kind in REPORTS:
        return CitedAs.REPORT
    return CitedAs.OTHER


def authors_of(publication: Publication) -> list[Name]:
    """The named authors, as typed."""
    names = []
    for line in publication.author_list:
        family, comma, given = line.partition(",")
        if comma and family.strip():
            names.append(Name(family=family.strip(), given=given.strip()))
        else:
            names.append(Name(literal=line))
    return names


def creators_of(publication: Publication) -> list[Name]:
    """The authors, or, when no person is named, the institutes as corporate authors
    (a citation, Google Scholar and BibTeX styles all need an author)."""
    return authors_of(publication) or [Name(literal=name) for name in institute_names(publication)]


def publisher_of(publication: Publication) -> str:
    """The publisher as given, else the institutes that published it."""
    return publication.publisher or "; ".join(institute_names(publication))


def keywords_of(publication: Publication) -> list[str]:
    return [k.strip() for k in re.split(r"[,;]", publication.keywords) if k.strip()]


def full_title(publication: Publication) -> str:
    """The title and subtitle as one title, "Title: Subtitle"."""
    if not publication.subtitle:
        return publication.title
    separator = " " if publication.title.rstrip()[-1:] in {":", "?", "!", "."} else ": "
    return f"{publication.title.rstrip()}{separator}{publication.subtitle.strip()}"


def institute_names(publication: Publication) -> list[str]:
    return [institute.name for institute in publication.institutes.all()]


def language_code(publication: Publication) -> str:
    return "" if publication.language == Language.OTHER else publication.language


def _one_line(text: str) -> str:
    return " ".join(text.split())


def citation_key(publication: Publication) -> str:
    """First author's family name (or first institute's first word), year and first word
    of the title, romanised whatever the script: stable as long as those do not change
    ("ivanov2024asia", "kim2023hanbando" for 한반도, "kazakhstan2024asia" for an institute)."""
    creators = creators_of(publication)
    first = creators[0] if creators else None
    author = next(iter(ascii_words((first.family or first.literal) if first else "")), "")
    words = ascii_words(publication.title)
    word = next((w for w in words if w not in _KEY_STOP_WORDS), "")
    return f"{author or 'anon'}{publication.published_on.year}{word}"


# BibTeX


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], text)


def _bibtex_verbatim(text: str) -> str:
    """URLs and DOIs are read verbatim by biblatex: no escaping, only no stray braces."""
    return text.replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + bibtex_escape(name.literal) + "}"
    return bibtex_escape(name.inverted)


BIBTEX_TYPES = {
    CitedAs.BOOK: "book",
    CitedAs.ARTICLE: "article",
    CitedAs.REPORT: "techreport",
    CitedAs.OTHER: "misc",
}


def bibtex(publication: Publication, *, url: str, cite_key: str = "") -> str:
    """One BibTeX entry, with the fields each entry type requires in the classic styles
    (an article's journal, a report's institution, a book's publisher). The title is
    braced so that styles keep its capitalisation; organisations among the authors are
    braced so that BibTeX does not split them into given and family names. ``cite_key``
    replaces the citation key (a file of many entries needs each one once)."""
    cited = cited_as(publication)
    entry_type = BIBTEX_TYPES[cited]
    # biblatex reads publisher and institution as lists: the institutes joined by "and",
    # each braced so that none is split at an "and" of its own.
    publishers = [publication.publisher] if publication.publisher else institute_names(publication)
    publisher = "{" + " and ".join("{" + bibtex_escape(n) + "}" for n in publishers) + "}"
    container = "{" + bibtex_escape(publication.container_title) + "}"
    fields: list[tuple[str, str]] = [
        ("title", "{{" + bibtex_escape(_one_line(full_title(publication))) + "}}"),
        ("author", "{" + " and ".join(_bibtex_name(n) for n in creators_of(publication)) + "}"),
        ("year", f"{{{publication.published_on.year}}}"),
        ("month", MONTHS[publication.published_on.month - 1]),
    ]
    if cited == CitedAs.ARTICLE:
        fields.append(("journal", container))
    else:
        fields.append(("series", container))
    if cited == CitedAs.REPORT:
        fields.append(("institution", publisher))
        fields.append(("type", "{" + bibtex_escape(publication.kind_label) + "}"))
    else:
        fields.append(("publisher", publisher))
    if cited == CitedAs.OTHER:  # what the classic styles print of a @misc's publisher
        fields.append(("howpublished", "{" + bibtex_escape("; ".join(publishers)) + "}"))
    fields += [
        ("doi", "{" + _bibtex_verbatim(publication.doi) + "}"),
        ("isbn", "{" + bibtex_escape(publication.isbn) + "}"),
        ("url", "{" + _bibtex_verbatim(url) + "}"),
        ("language", "{" + language_code(publication) + "}"),
        ("abstract", "{" + bibtex_escape(_one_line(publication.abstract)) + "}"),
        ("keywords", "{" + bibtex_escape(", ".join(keywords_of(publication))) + "}"),
    ]
    lines = [f"@{entry_type}{{{cite_key or citation_key(publication)},"]
    lines += [f"  {name} = {value}," for name, value in fields if value not in ("{}", "{{}}")]
    lines.append("}")
    return "\n".join(lines) + "\n"


# RIS

RIS_TYPES = {
    CitedAs.BOOK: "BOOK",
    CitedAs.ARTICLE: "JOUR",
    CitedAs.REPORT: "RPRT",
    CitedAs.OTHER: "GEN",
}


def ris(publication: Publication, *, url: str) -> str:
    """One RIS record, CRLF line ends as the format asks. TI is the full title; ST (short
    title) the title alone when there is a subtitle; an article's journal is JO (and T2,
    which most readers take), any other container the series (T3)."""
    published = publication.published_on
    cited = cited_as(publication)
    tags: list[tuple[str, str]] = [
        ("TY", RIS_TYPES[cited]),
        ("TI", full_title(publication)),
    ]
    if publication.subtitle:
        tags.append(("ST", publication.title))
    for name in creators_of(publication):
        tags.append(("AU", name.inverted))
    if cited == CitedAs.ARTICLE:
        tags += [("JO", publication.container_title), ("T2", publication.container_title)]
    else:
        tags.append(("T3", publication.container_title))
    tags += [
        ("PY", f"{published.year:04d}"),
        ("DA", f"{published:%Y/%m/%d}"),
        ("PB", publisher_of(publication)),
    ]
    if cited == CitedAs.REPORT:
        tags.append(("M3", publication.kind_label))
    tags.append(("AB", publication.abstract))
    tags += [("KW", keyword) for keyword in keywords_of(publication)]
    tags += [
        ("DO", publication.doi),
        ("SN", publication.isbn),
        ("UR", url),
        ("LA", language_code(publication)),
    ]
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if value.strip()]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


# CSL-JSON

CSL_TYPES = {
    CitedAs.BOOK: "book",
    CitedAs.ARTICLE: "article-journal",
    CitedAs.REPORT: "report",
    CitedAs.OTHER: "document",
}


def csl_item(publication: Publication, *, url: str) -> dict:
    """One CSL-JSON item; keys without a value are left out. An article's journal is its
    container-title, any other container its collection (series) title."""
    published = publication.published_on
    cited = cited_as(publication)
    item: dict = {
        "id": publication.slug,
        "type": CSL_TYPES[cited],
        "title": full_title(publication),
    }
    if publication.subtitle:
        item["title-short"] = publication.title
    container = "container-title" if cited == CitedAs.ARTICLE else "collection-title"
    optional = {
        "author": [name.csl for name in creators_of(publication)],
        "issued": {"date-parts": [[published.year, published.month, published.day]]},
        container: publication.container_title,
        "publisher": publisher_of(publication),
        "genre": publication.kind_label if cited == CitedAs.REPORT else "",
        "DOI": publication.doi,
        "ISBN": publication.isbn,
        "URL": url,
        "language": language_code(publication),
        "abstract": publication.abstract,
        "keyword": ", ".join(keywords_of(publication)),
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


def csl_json(publication: Publication, *, url: str) -> str:
    return json.dumps([csl_item(publication, url=url)], ensure_ascii=False, indent=2) + "\n"
