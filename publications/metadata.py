"""What a publication's page tells machines: Highwire Press (Google Scholar, Zotero),
Dublin Core and OpenGraph tags, and schema.org JSON-LD.

Typed as the exports type it (``citations.cited_as``), so a reference manager reading the
page and one importing the BibTeX file file it alike: a book as a book, a report as a
report with its institution, an article with its journal, anything else as a document.
Pure functions of a publication (institutes and themes prefetched) and its absolute URLs.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from publications.citations import (
    CitedAs,
    Name,
    cited_as,
    creators_of,
    full_title,
    institute_names,
    keywords_of,
    language_code,
)
from publications.models import Publication

# Dublin Core types in the words repository software uses (eprints' vocabulary), which
# Zotero maps to its item types; DCMI's "Text" would tell it nothing.
DC_TYPES = {
    CitedAs.BOOK: "book",
    CitedAs.ARTICLE: "article",
    CitedAs.REPORT: "report",
    CitedAs.OTHER: "document",
}
SCHEMA_TYPES = {
    CitedAs.BOOK: "Book",
    CitedAs.ARTICLE: "ScholarlyArticle",
    CitedAs.REPORT: "Report",
    CitedAs.OTHER: "CreativeWork",
}


@dataclass(frozen=True)
class Tag:
    """One ``<meta>``: ``attribute`` is "name" (Highwire, DC) or "property" (OpenGraph)."""

    attribute: str
    key: str
    content: str


def _publishers(publication: Publication) -> list[str]:
    return [publication.publisher] if publication.publisher else institute_names(publication)


def head_tags(publication: Publication, *, url: str, pdf_url: str | None) -> list[Tag]:
    """Every metadata tag of the page, in order; tags without a value are left out.
    ``pdf_url`` is None when the publication has no public file."""
    cited = cited_as(publication)
    date = publication.published_on
    creators = [name.inverted for name in creators_of(publication)]
    publishers = _publishers(publication)
    language = language_code(publication)
    title = full_title(publication)
    doi_url = f"https://doi.org/{publication.doi}" if publication.doi else ""
    summary = " ".join(publication.abstract.split())
    tags: list[tuple[str, str, str | list[str]]] = [
        ("name", "description", summary[:300]),
        # Highwire Press, as Google Scholar documents it.
        ("name", "citation_title", title),
        ("name", "citation_author", creators),
        ("name", "citation_publication_date", f"{date:%Y/%m/%d}"),
        ("name", "citation_date", f"{date:%Y/%m/%d}"),
        ("name", "citation_language", language),
        ("name", "citation_publisher", publishers),
    ]
    if cited == CitedAs.ARTICLE:
        tags.append(("name", "citation_journal_title", publication.container_title))
    else:
        tags.append(("name", "citation_series_title", publication.container_title))
    if cited == CitedAs.REPORT:
        tags.append(("name", "citation_technical_report_institution", publishers))
    tags += [
        ("name", "citation_doi", publication.doi),
        ("name", "citation_isbn", publication.isbn),
        ("name", "citation_keywords", "; ".join(keywords_of(publication))),
        ("name", "citation_abstract", summary),
        ("name", "citation_abstract_html_url", url),
        ("name", "citation_pdf_url", pdf_url or ""),
        # Dublin Core.
        ("name", "DC.title", title),
        ("name", "DC.creator", creators),
        ("name", "DC.date", f"{date:%Y-%m-%d}"),
        ("name", "DC.type", DC_TYPES[cited]),
        ("name", "DC.language", language),
        ("name", "DC.identifier", [url, doi_url]),
        ("name", "DC.publisher", publishers),
        ("name", "DC.relation.ispartof", publication.container_title),
        ("name", "DC.description", summary),
        ("name", "DC.subject", [theme.name for theme in publication.themes.all()]),
        # OpenGraph.
        ("property", "og:type", "book" if cited == CitedAs.BOOK else "article"),
        ("property", "og:title", title),
        ("property", "og:url", url),
        ("property", "og:description", summary[:300]),
        ("property", "og:site_name", settings.PORTAL_NAME),
    ]
    if cited == CitedAs.BOOK:
        tags += [
            ("property", "book:isbn", publication.isbn),
            ("property", "book:release_date", f"{date:%Y-%m-%d}"),
        ]
    else:
        tags.append(("property", "article:published_time", f"{date:%Y-%m-%d}"))
    return [
        Tag(attribute, key, value)
        for attribute, key, content in tags
        for value in (content if isinstance(content, list) else [content])
        if value
    ]


def _agent(name: Name) -> dict[str, str]:
    if name.literal:
        return {"@type": "Organization", "name": name.literal}
    person = {"@type": "Person", "name": f"{name.given} {name.family}".strip()}
    person["familyName"] = name.family
    if name.given:
        person["givenName"] = name.given
    return person


def json_ld(publication: Publication, *, url: str, pdf_url: str | None) -> dict[str, Any]:
    """The publication as a schema.org ``ScholarlyArticle``, ``Report``, ``Book`` or
    ``CreativeWork``, for search engines' dataset and scholarly indexes."""
    cited = cited_as(publication)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[cited],
        "@id": url,
        "url": url,
        "name": full_title(publication),
        "headline": publication.title[:110],
        "alternativeHeadline": publication.subtitle,
        "author": [_agent(name) for name in creators_of(publication)],
        "datePublished": f"{publication.published_on:%Y-%m-%d}",
        "inLanguage": language_code(publication),
        "genre": publication.kind_label,
        "abstract": publication.abstract,
        "keywords": keywords_of(publication),
        "about": [theme.name for theme in publication.themes.all()],
        "publisher": [{"@type": "Organization", "name": name} for name in _publishers(publication)],
    }
    if publication.container_title:
        data["isPartOf"] = {
            "@type": "Periodical" if cited == CitedAs.ARTICLE else "CreativeWorkSeries",
            "name": publication.container_title,
        }
    if cited == CitedAs.BOOK:
        data["isbn"] = publication.isbn
    if publication.doi:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": publication.doi,
        }
        data["sameAs"] = f"https://doi.org/{publication.doi}"
    if pdf_url:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf_url,
            "encodingFormat": "application/pdf",
        }
    return {key: value for key, value in data.items() if value}
