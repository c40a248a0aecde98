"""A publication's record in each metadata format the endpoint offers: ``oai_dc`` (simple
Dublin Core, what every harvester reads) and ``mods`` (MODS 3.7: names with their parts
and roles, typed identifiers, the forum as host item;
docs/adr/0025-oai-pmh-records-and-datestamps.md)."""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import etree

from oai.protocol import identifier_of
from oai.selectors import Record
from publications.citations import authors_of, full_title, keywords_of, language_code
from publications.enums import PublicationKind
from publications.models import Publication

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
MODS = "http://www.loc.gov/mods/v3"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    build: Callable[[Record], etree._Element]


# The COAR/DRIVER resource types (info:eu-repo/semantics) OpenAIRE and BASE read, and
# the MODS genre, of each kind of publication.
EU_REPO_TYPES = {
    PublicationKind.ANALYTICAL_REPORT: "report",
    PublicationKind.FORECAST_REPORT: "report",
    PublicationKind.SECURITY_OUTLOOK: "report",
    PublicationKind.HANDBOOK: "book",
    PublicationKind.KEY_TAKEAWAYS: "report",
    PublicationKind.POLICY_BRIEF: "report",
    PublicationKind.BOOK: "book",
    PublicationKind.ARTICLE: "article",
    PublicationKind.JOINT_STATEMENT: "other",
    PublicationKind.OTHER: "other",
}
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SLUG_MARK = "oai-slug-mark"
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.I)


def doi_of(publication: Publication) -> str:
    """The DOI itself, however it was stored (a resolver link, ``doi:…``)."""
    return DOI_PREFIX.sub("", publication.doi.strip())


@functools.lru_cache(maxsize=16)
def _url_around_slug(name: str, site_url: str) -> tuple[str, str]:
    """What comes before and after the slug in the absolute URL of page ``name``, in the
    portal's default language (no prefix): reversed once, not for every record."""
    with translation.override(None):
        path = reverse(name, kwargs={"slug": SLUG_MARK})
    before, _mark, after = (site_url.rstrip("/") + path).partition(SLUG_MARK)
    return before, after


def _url(name: str, slug: str) -> str:
    before, after = _url_around_slug(name, settings.SITE_URL)
    return f"{before}{slug}{after}"


def landing_url(publication: Publication) -> str:
    """The publication's page at SITE_URL."""
    return _url("publications:detail", publication.slug)


def _forum_url(publication: Publication) -> str:
    return _url("forums:detail", publication.forum.slug)


def _kind_label(publication: Publication) -> str:
    with translation.override("en"):
        return publication.kind_label


def xml_text(text: str) -> str:
    """Text as XML 1.0 may hold it: control characters (typed or pasted) left out."""
    return NOT_XML.sub("", text)


def _sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text:
        element.text = xml_text(text)
    return element


def oai_dc(record: Record) -> etree._Element:
    """Simple Dublin Core: every author a creator ("Family, Given"), or the institutes
    when no person is named; the institutes as publishers; keywords and themes as
    subjects; the landing page, the DOI (as a resolver link) and the ISBN as identifiers."""
    publication = record.publication
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    dc = f"{{{DC}}}"
    _sub(root, dc + "title", full_title(publication))
    institutes = [name for name, _slug in record.institutes]
    authors = [name.inverted for name in authors_of(publication)]
    for creator in authors or institutes:
        _sub(root, dc + "creator", creator)
    for subject in [*keywords_of(publication), *record.themes]:
        _sub(root, dc + "subject", subject)
    if publication.abstract.strip():
        _sub(root, dc + "description", publication.abstract.strip())
    for publisher in [publication.publisher] if publication.publisher else institutes:
        _sub(root, dc + "publisher", publisher)
    if publication.container_title:  # the journal or series it appeared in
        _sub(root, dc + "source", publication.container_title)
    _sub(root, dc + "date", publication.published_on.isoformat())
    _sub(root, dc + "type", "Text")
    _sub(
        root,
        dc + "type",
        f"info:eu-repo/semantics/{EU_REPO_TYPES[PublicationKind(publication.kind)]}",
    )
    _sub(root, dc + "identifier", landing_url(publication))
    if doi_of(publication):
        _sub(root, dc + "identifier", f"https://doi.org/{doi_of(publication)}")
    if publication.isbn.strip():
        _sub(root, dc + "identifier", f"urn:isbn:{publication.isbn.strip()}")
    if language_code(publication):
        _sub(root, dc + "language", language_code(publication))
    if publication.url:
        _sub(root, dc + "relation", publication.url)
    _sub(root, dc + "relation", _forum_url(publication))
    return root


def mods(record: Record) -> etree._Element:
    """MODS 3.7: authors as personal names (family and given parts, role "author"), the
    institutes as corporate names (authors when no person is named, else publishers),
    the kind as genre, the forum as the host item, DOI, ISBN and the landing page as
    typed identifiers."""
    publication = record.publication
    m = f"{{{MODS}}}"
    root = etree.Element(
        m + "mods",
        {
            "version": "3.7",
            f"{{{XSI}}}schemaLocation": f"{MODS} http://www.loc.gov/standards/mods/v3/mods-3-7.xsd",
        },
        nsmap={"mods": MODS, "xsi": XSI},
    )
    title_info = _sub(root, m + "titleInfo")
    _sub(title_info, m + "title", publication.title)
    if publication.subtitle:
        _sub(title_info, m + "subTitle", publication.subtitle)
    authors = authors_of(publication)
    for author in authors:
        name = _sub(root, m + "name", type="personal" if not author.literal else "corporate")
        if author.literal:
            _sub(name, m + "namePart", author.literal)
        else:
            _sub(name, m + "namePart", author.family, type="family")
            if author.given:
                _sub(name, m + "namePart", author.given, type="given")
        _role(name, "aut", "author")
    institutes = [name for name, _slug in record.institutes]
    for institute in institutes:
        name = _sub(root, m + "name", type="corporate")
        _sub(name, m + "namePart", institute)
        if authors:
            _role(name, "pbl", "publisher")
        else:
            _role(name, "aut", "author")
    _sub(root, m + "typeOfResource", "text")
    _sub(root, m + "genre", _kind_label(publication))
    origin = _sub(root, m + "originInfo")
    for publisher in [publication.publisher] if publication.publisher else institutes:
        _sub(origin, m + "publisher", publisher)
    _sub(
        origin,
        m + "dateIssued",
        publication.published_on.isoformat(),
        encoding="w3cdtf",
        keyDate="yes",
    )
    if language_code(publication):
        language = _sub(root, m + "language")
        _sub(
            language,
            m + "languageTerm",
            language_code(publication),
            type="code",
            authority="rfc5646",
        )
    if publication.abstract.strip():
        _sub(root, m + "abstract", publication.abstract.strip())
    for keyword in keywords_of(publication):
        _sub(_sub(root, m + "subject"), m + "topic", keyword)
    for theme in record.themes:
        _sub(_sub(root, m + "subject"), m + "topic", theme)
    host = _sub(root, m + "relatedItem", type="host")
    _sub(_sub(host, m + "titleInfo"), m + "title", publication.forum.name)
    _sub(_sub(host, m + "location"), m + "url", _forum_url(publication))
    if doi_of(publication):
        _sub(root, m + "identifier", doi_of(publication), type="doi")
    if publication.isbn.strip():
        _sub(root, m + "identifier", publication.isbn.strip(), type="isbn")
    _sub(root, m + "identifier", landing_url(publication), type="uri")
    location = _sub(root, m + "location")
    _sub(
        location,
        m + "url",
        landing_url(publication),
        usage="primary display",
        access="object in context",
    )
    if publication.url:
        _sub(location, m + "url", publication.url)
    record_info = _sub(root, m + "recordInfo")
    _sub(record_info, m + "recordIdentifier", identifier_of(publication.pk))
    return root


def _role(name: etree._Element, code: str, text: str) -> None:
    role = _sub(name, f"{{{MODS}}}role")
    _sub(role, f"{{{MODS}}}roleTerm", code, type="code", authority="marcrelator")
    _sub(role, f"{{{MODS}}}roleTerm", text, type="text", authority="marcrelator")


FORMATS = {
    "oai_dc": MetadataFormat(
        prefix="oai_dc",
        schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        namespace=OAI_DC,
        build=oai_dc,
    ),
    "mods": MetadataFormat(
        prefix="mods",
        schema="http://www.loc.gov/standards/mods/v3/mods-3-7.xsd",
        namespace=MODS,
        build=mods,
    ),
}
