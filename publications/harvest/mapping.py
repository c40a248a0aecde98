"""An oai_dc record as a publication's fields: pure functions, no I/O.

Dublin Core says little about form, so each element is read leniently and what cannot be
read is a reason (``RecordRefused``) rather than a guess: a record without a title or a
usable date is not imported.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from publications.enums import Language, PublicationKind

TITLE_MAX = 500
KEYWORDS_MAX = 500
URL_MAX = 500
CONTAINER_MAX = 300


class RecordRefused(ValueError):
    """A record that cannot become a publication; the message says why, briefly."""


# dc:type (lower-case; the last segment of an info:eu-repo or COAR URI) → kind. Types not
# here are "other".
KIND_BY_TYPE: dict[str, str] = {
    "article": PublicationKind.ARTICLE,
    "journalarticle": PublicationKind.ARTICLE,
    "journal article": PublicationKind.ARTICLE,
    "contributiontoperiodical": PublicationKind.ARTICLE,
    "book": PublicationKind.BOOK,
    "monograph": PublicationKind.BOOK,
    "ebook": PublicationKind.HANDBOOK,
    "e-book": PublicationKind.HANDBOOK,
    "handbook": PublicationKind.HANDBOOK,
    "manual": PublicationKind.HANDBOOK,
    "report": PublicationKind.ANALYTICAL_REPORT,
    "technical report": PublicationKind.ANALYTICAL_REPORT,
    "technicalreport": PublicationKind.ANALYTICAL_REPORT,
    "research report": PublicationKind.ANALYTICAL_REPORT,
    "reportpart": PublicationKind.ANALYTICAL_REPORT,
    "analytical report": PublicationKind.ANALYTICAL_REPORT,
    "workingpaper": PublicationKind.ANALYTICAL_REPORT,
    "working paper": PublicationKind.ANALYTICAL_REPORT,
    "forecast": PublicationKind.FORECAST_REPORT,
    "forecast report": PublicationKind.FORECAST_REPORT,
    "policy brief": PublicationKind.POLICY_BRIEF,
    "policybrief": PublicationKind.POLICY_BRIEF,
    "policy paper": PublicationKind.POLICY_BRIEF,
    "joint statement": PublicationKind.JOINT_STATEMENT,
    "key takeaways": PublicationKind.KEY_TAKEAWAYS,
}

# dc:language (ISO 639-1, 639-2/B and /T, English names; lower-case) → language. Others
# are "other"; a record without one is "other" too, rather than a guess.
LANGUAGE_BY_CODE: dict[str, str] = {}
for _value, _codes in (
    (Language.ENGLISH, ("en", "eng", "english")),
    (Language.RUSSIAN, ("ru", "rus", "russian")),
    (Language.KOREAN, ("ko", "kor", "korean")),
    (Language.CHINESE, ("zh", "chi", "zho", "chinese")),
    (Language.KAZAKH, ("kk", "kaz", "kazakh")),
    (Language.KYRGYZ, ("ky", "kir", "kyrgyz", "kirghiz")),
    (Language.TAJIK, ("tg", "tgk", "tajik")),
    (Language.TURKMEN, ("tk", "tuk", "turkmen")),
    (Language.UZBEK, ("uz", "uzb", "uzbek")),
):
    LANGUAGE_BY_CODE.update(dict.fromkeys(_codes, _value))

DOI_PATTERN = re.compile(r"(10\.\d{4,9}/\S+)")
DOI_PREFIXES = ("doi:", "info:doi/", "urn:doi:")
DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
DATE_PATTERN = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?\Z")


@dataclass
class MappedRecord:
    """What a record says, as publication fields, and the URLs that may be its PDF
    (the likeliest first)."""

    fields: dict[str, object]
    pdf_urls: list[str] = field(default_factory=list)
    probe_urls: list[str] = field(default_factory=list)


def _values(metadata: dict, name: str) -> list[str]:
    return [" ".join(v.split()) for v in metadata.get(name) or [] if v and v.strip()]


def doi_of(value: str) -> str:
    """The bare DOI in ``value`` ("10.1234/abc" itself, "doi:10.1234/abc",
    "info:doi/…", "https://doi.org/10.1234/abc", URL-encoded or not); "" if none."""
    text = value.strip()
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        parts = urlsplit(text)
        if parts.hostname not in DOI_HOSTS:
            return ""
        text = unquote(parts.path.lstrip("/"))
    else:
        for prefix in DOI_PREFIXES:
            if lowered.startswith(prefix):
                text = text[len(prefix) :].strip()
                break
    match = DOI_PATTERN.match(text)
    return match.group(1).rstrip(".,;") if match else ""


def date_of(values: list[str]) -> datetime.date:
    """The first dc:date that reads as a date: "2024", "2024-05", "2024-05-17" or a full
    timestamp; a year alone is its 1 January, a month its first day."""
    for value in values:
        match = DATE_PATTERN.match(value.strip())
        if not match:
            continue
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if datetime.date(1900, 1, 1) <= date <= datetime.date(2100, 12, 31):
            return date
    if values:
        raise RecordRefused(_("no usable date in dc:date (%(value)s)") % {"value": values[0][:40]})
    raise RecordRefused(_("no dc:date"))


def kind_of(values: list[str]) -> str:
    for value in values:
        key = value.strip().lower().rstrip("/").rsplit("/", 1)[-1]
        if key in KIND_BY_TYPE:
            return KIND_BY_TYPE[key]
    return PublicationKind.OTHER


def language_of(values: list[str]) -> str:
    for value in values:
        key = value.strip().lower().replace("_", "-").split("-")[0]
        if key in LANGUAGE_BY_CODE:
            return LANGUAGE_BY_CODE[key]
    return Language.OTHER


_PERSON_WORD = re.compile(r"\A[A-ZА-ЯЁ][\w'’.-]*\Z")


def author_of(creator: str) -> str:
    """A creator as "Family, Given": kept as it is when it has a comma (the form
    repositories mostly use) or does not look like a personal name (an organisation, one
    word); "Given Family" (two to four capitalised words) is turned round."""
    if "," in creator:
        return creator
    words = creator.split()
    if 2 <= len(words) <= 4 and all(_PERSON_WORD.match(word) for word in words):
        return f"{words[-1]}, {' '.join(words[:-1])}"
    return creator


def _is_http(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _is_pdf_link(value: str) -> bool:
    return urlsplit(value).path.lower().endswith(".pdf")


def _cut(text: str, limit: int, separator: str) -> str:
    """``text`` within ``limit`` characters, cut at the last ``separator`` that fits."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return head.rsplit(separator, 1)[0] if separator in head else head


def record_fields(metadata: dict) -> MappedRecord:
    """An oai_dc record's metadata (element → values, as oaipmh-scythe reads it) as the
    fields of a publication, or ``RecordRefused`` with the reason."""
    titles = _values(metadata, "title")
    if not titles:
        raise RecordRefused(_("no dc:title"))
    identifiers = _values(metadata, "identifier")
    relations = _values(metadata, "relation")
    doi = next(filter(None, (doi_of(v) for v in identifiers)), "")
    links = [v for v in identifiers if _is_http(v) and not doi_of(v)]
    pdf_urls = [v for v in [*links, *(r for r in relations if _is_http(r))] if _is_pdf_link(v)]
    landing = next((v for v in links if not _is_pdf_link(v) and len(v) <= URL_MAX), "")
    probes = [
        v
        for v in [*links, *(r for r in relations if _is_http(r) and not doi_of(r))]
        if not _is_pdf_link(v)
    ]
    # dc:source names the journal or series a record appeared in; an article whose
    # journal the record does not name is kept as "other" (an article must name it).
    container = _cut(next(iter(_values(metadata, "source")), ""), CONTAINER_MAX, " ")
    kind = kind_of(_values(metadata, "type"))
    if kind == PublicationKind.ARTICLE and not container:
        kind = PublicationKind.OTHER
    fields: dict[str, object] = {
        "title": _cut(titles[0], TITLE_MAX, " "),
        "authors": "\n".join(author_of(c) for c in _values(metadata, "creator")),
        "published_on": date_of(_values(metadata, "date")),
        "abstract": "\n\n".join(
            v.strip() for v in metadata.get("description") or [] if v and v.strip()
        ),
        "keywords": _cut("; ".join(_values(metadata, "subject")), KEYWORDS_MAX, "; "),
        "language": language_of(_values(metadata, "language")),
        "kind": kind,
        "container_title": container,
        "url": landing,
        "doi": doi,
    }
    return MappedRecord(
        fields=fields,
        pdf_urls=list(dict.fromkeys(pdf_urls)),
        probe_urls=list(dict.fromkeys(probes))[:2],
    )
