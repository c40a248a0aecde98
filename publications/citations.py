"""A publication as BibTeX, RIS and CSL-JSON, for reference managers.

Pure functions of a publication (with its institutes prefetched) and the absolute URL of
its public page; the views in ``publications.exports`` only look the publication up and
wrap the text in a response. Non-ASCII text (Russian, Korean) stays UTF-8 in all three.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

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

# Enough of a transliteration for citation keys of Russian and Central Asian names.
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
        "һ": "h", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ҳ": "h", "ҷ": "j", "ӣ": "i",
        "ӯ": "u", "ў": "u",
    }
)  # fmt: skip
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


def authors_of(publication: Publication) -> list[Name]:
    names = []
    for line in publication.author_list:
        family, comma, given = line.partition(",")
        if comma and family.strip():
            names.append(Name(family=family.strip(), given=given.strip()))
        else:
            names.append(Name(literal=line))
    return names


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


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(_CYRILLIC))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode("ascii"))


def citation_key(publication: Publication) -> str:
    """First author's family name, year and first word of the title, in ASCII: stable as
    long as those do not change ("ivanov2024asia"; "anon2024asia" without an author)."""
    authors = authors_of(publication)
    first = authors[0] if authors else None
    author = _ascii_word((first.family or first.literal.split()[0]) if first else "")
    # A title with no Latin or Cyrillic word (Korean, Chinese) falls back on its slug.
    words = (
        _ascii_word(word) for word in [*publication.title.split(), *publication.slug.split("-")]
    )
    word = next((w for w in words if w and w not in _KEY_STOP_WORDS), "")
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


def bibtex_entry_type(kind: str) -> str:
    if kind in BOOKS:
        return "book"
    if kind == PublicationKind.ARTICLE:
        return "article"
    if kind in REPORTS:
        return "techreport"
    return "misc"


def bibtex(publication: Publication, *, url: str, cite_key: str = "") -> str:
    """One BibTeX entry. The title is braced so that styles keep its capitalisation;
    organisations among the authors and institutes are braced so that BibTeX does not
    split them into given and family names. ``cite_key`` replaces the citation key (a file
    of many entries keeps its keys unique)."""
    entry_type = bibtex_entry_type(publication.kind)
    institutes = " and ".join("{" + bibtex_escape(n) + "}" for n in institute_names(publication))
    fields: list[tuple[str, str]] = [
        ("title", "{{" + bibtex_escape(_one_line(full_title(publication))) + "}}"),
        ("author", "{" + " and ".join(_bibtex_name(n) for n in authors_of(publication)) + "}"),
        ("year", f"{{{publication.published_on.year}}}"),
        ("month", MONTHS[publication.published_on.month - 1]),
    ]
    if institutes:
        key = "institution" if entry_type == "techreport" else "publisher"
        fields.append((key, "{" + institutes + "}"))
    if entry_type == "techreport":
        fields.append(("type", "{" + bibtex_escape(str(publication.get_kind_display())) + "}"))
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


def ris_type(kind: str) -> str:
    if kind in BOOKS:
        return "BOOK"
    if kind == PublicationKind.ARTICLE:
        return "JOUR"
    if kind in REPORTS:
        return "RPRT"
    return "GEN"


def ris(publication: Publication, *, url: str) -> str:
    """One RIS record, CRLF line ends as the format asks. TI is the full title; ST (short
    title) the title alone when there is a subtitle."""
    published = publication.published_on
    tags: list[tuple[str, str]] = [
        ("TY", ris_type(publication.kind)),
        ("TI", full_title(publication)),
    ]
    if publication.subtitle:
        tags.append(("ST", publication.title))
    for name in authors_of(publication):
        tags.append(("AU", name.inverted))
    tags += [
        ("PY", f"{published.year:04d}"),
        ("DA", f"{published:%Y/%m/%d}"),
        ("PB", "; ".join(institute_names(publication))),
    ]
    if ris_type(publication.kind) == "RPRT":
        tags.append(("M3", str(publication.get_kind_display())))
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


def csl_type(kind: str) -> str:
    if kind in BOOKS:
        return "book"
    if kind == PublicationKind.ARTICLE:
        return "article-journal"
    if kind in REPORTS:
        return "report"
    return "document"


def csl_item(publication: Publication, *, url: str) -> dict:
    """One CSL-JSON item; keys without a value are left out."""
    published = publication.published_on
    item: dict = {
        "id": publication.slug,
        "type": csl_type(publication.kind),
        "title": full_title(publication),
    }
    if publication.subtitle:
        item["title-short"] = publication.title
    optional = {
        "author": [name.csl for name in authors_of(publication)],
        "issued": {"date-parts": [[published.year, published.month, published.day]]},
        "publisher": "; ".join(institute_names(publication)),
        "genre": str(publication.get_kind_display()) if item["type"] == "report" else "",
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
