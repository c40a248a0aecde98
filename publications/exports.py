"""Citations as downloads: one publication (``cite.bib`` …) or every publication a
catalogue search finds (``export.bib?<the catalogue's parameters>`` …), as BibTeX, RIS,
CSL-JSON or CSV.

Only approved publications are found; any other slug is a 404, whatever its state. A
search's export is streamed as it is read, a chunk of rows at a time, so it starts at
once and holds one chunk in memory whatever the number of matches
(docs/adr/0026-whole-search-export-streamed.md).
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import count

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.spreadsheets import escape_formula
from core.urls import absolute_url
from publications import citations
from publications.filters import CatalogueFilter
from publications.models import Publication
from publications.selectors import (
    EXPORT_CHUNK,
    catalogue_export_chunks,
    catalogue_export_filter,
    publication_public_detail,
)

BIBTEX_TYPE = "application/x-bibtex; charset=utf-8"
RIS_TYPE = "application/x-research-info-systems; charset=utf-8"
CSL_JSON_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8; header=present"


def _export(
    request: HttpRequest,
    slug: str,
    *,
    render: Callable[..., str],
    content_type: str,
    extension: str,
) -> HttpResponse:
    try:
        publication = publication_public_detail(slug=slug)
    except Publication.DoesNotExist:
        raise Http404 from None
    url = absolute_url(reverse("publications:detail", kwargs={"slug": slug}))
    response = HttpResponse(render(publication, url=url), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{publication.slug}.{extension}"'
    return response


@require_safe
def bibtex(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(
        request, slug, render=citations.bibtex, content_type=BIBTEX_TYPE, extension="bib"
    )


@require_safe
def ris(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(request, slug, render=citations.ris, content_type=RIS_TYPE, extension="ris")


@require_safe
def csl_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(
        request, slug, render=citations.csl_json, content_type=CSL_JSON_TYPE, extension="json"
    )


# A whole search

Chunks = Iterable[list[Publication]]
PageUrl = Callable[[Publication], str]


def _key_suffixes() -> Iterator[str]:
    """ "a", "b", … "z", "aa", "ab", …: what distinguishes equal citation keys, as
    reference managers (Better BibTeX, JabRef) write them."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in count(1):
        digits, suffix = n, ""
        while digits:
            digits, rest = divmod(digits - 1, 26)
            suffix = letters[rest] + suffix
        yield suffix


class UniqueKeys:
    """Citation keys unique within one file: the first publication with a key keeps it,
    later ones get the first free ``key + suffix``. Holds every key given so far (about
    100 bytes each: 10 MB for 100,000)."""

    def __init__(self) -> None:
        self.given: set[str] = set()

    def unique(self, key: str) -> str:
        if key in self.given:
            key = next(f"{key}{s}" for s in _key_suffixes() if f"{key}{s}" not in self.given)
        self.given.add(key)
        return key


def bibtex_file(chunks: Chunks, *, page_url: PageUrl) -> Iterator[str]:
    keys = UniqueKeys()
    for chunk in chunks:
        yield (
            "\n".join(
                citations.bibtex(
                    p, url=page_url(p), cite_key=keys.unique(citations.citation_key(p))
                )
                for p in chunk
            )
            + "\n"
        )


def ris_file(chunks: Chunks, *, page_url: PageUrl) -> Iterator[str]:
    for chunk in chunks:
        yield "\r\n".join(citations.ris(p, url=page_url(p)) for p in chunk) + "\r\n"


def csl_json_file(chunks: Chunks, *, page_url: PageUrl) -> Iterator[str]:
    """One JSON array, written an item at a time."""
    separator = "\n"
    yield "["
    for chunk in chunks:
        items = []
        for p in chunk:
            item = json.dumps(citations.csl_item(p, url=page_url(p)), ensure_ascii=False)
            items.append(separator + item)
            separator = ",\n"
        yield "".join(items)
    yield "\n]\n"


CSV_COLUMNS = (
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
)


class _Lines:
    """What ``csv.writer`` writes to: each row is handed back as its text."""

    def write(self, text: str) -> str:
        return text


def _csv_row(p: Publication, url: str) -> list[str]:
    return [
        p.title,
        p.subtitle,
        "; ".join(p.author_list),
        "; ".join(citations.institute_names(p)),
        p.forum.label,
        p.kind_label,
        p.language,
        p.published_on.isoformat(),
        p.container_title,
        p.publisher,
        p.doi,
        p.isbn,
        ", ".join(citations.keywords_of(p)),
        p.abstract,
        url,
        p.url,
    ]


def csv_file(chunks: Chunks, *, page_url: PageUrl) -> Iterator[str]:
    """A header row, then a row per publication. Starts with a byte order mark, by which
    Excel knows the file is UTF-8 (without it, Russian and Korean text is garbled); a cell
    a spreadsheet would run as a formula is written as text (``core.spreadsheets``)."""
    writer = csv.writer(_Lines())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for chunk in chunks:
        yield "".join(
            writer.writerow([escape_formula(cell) for cell in _csv_row(p, page_url(p))])
            for p in chunk
        )


@dataclass(frozen=True)
class ExportFormat:
    name: str  # as ``?format=`` names it on the catalogue
    label: str
    url_name: str
    extension: str
    content_type: str
    write: Callable[..., Iterator[str]]


EXPORT_FORMATS = {
    f.name: f
    for f in (
        ExportFormat("bibtex", "BibTeX", "export_bibtex", "bib", BIBTEX_TYPE, bibtex_file),
        ExportFormat("ris", "RIS", "export_ris", "ris", RIS_TYPE, ris_file),
        ExportFormat(
            "csl-json", "CSL-JSON", "export_csl_json", "json", CSL_JSON_TYPE, csl_json_file
        ),
        ExportFormat("csv", "CSV", "export_csv", "csv", CSV_TYPE, csv_file),
    )
}
# What an export reads: the catalogue's filters. The catalogue's order and paging may
# come with them (its links carry them) and change nothing: an export is every match,
# newest first.
EXPORT_PARAMS = frozenset((*CatalogueFilter.base_filters, "sort", "per_page", "page"))


def export_query(data: QueryDict) -> str:
    """The filters of a catalogue address, as the query of its export."""
    params = QueryDict(mutable=True)
    for name in CatalogueFilter.base_filters:
        if values := [v for v in data.getlist(name) if v]:
            params.setlist(name, values)
    return params.urlencode()


def export_links(data: QueryDict) -> list[tuple[str, str]]:
    """Each format's label and the address of its export of this catalogue state."""
    query = export_query(data)
    return [
        (f.label, reverse(f"publications:{f.url_name}") + (f"?{query}" if query else ""))
        for f in EXPORT_FORMATS.values()
    ]


def _page_url() -> PageUrl:
    """Each publication's absolute address, without reversing the URL for each one."""
    sample = absolute_url(reverse("publications:detail", kwargs={"slug": "-"}))
    before, _sep, after = sample.rpartition("/-/")
    return lambda p: f"{before}/{p.slug}/{after}"


def _errors(data: QueryDict, filterset: CatalogueFilter) -> list[str]:
    unknown = sorted(set(data) - EXPORT_PARAMS)
    if unknown:
        return [_("Unknown parameter: %(name)s") % {"name": name} for name in unknown]
    if filterset.is_valid():
        return []
    return [
        str(error) if name == "__all__" else f"{name}: {error}"
        for name, errors in filterset.errors.items()
        for error in errors
    ]


@require_safe
def search_export(
    request: HttpRequest, *, format_name: str, chunk_size: int = EXPORT_CHUNK
) -> HttpResponse | StreamingHttpResponse:
    """Every approved publication matching the catalogue's filters in the query, newest
    first, in one file. Parameters the catalogue would refuse answer 400 with the reasons;
    no match is a valid empty file. Streamed (never kept in the page cache)."""
    export = EXPORT_FORMATS[format_name]
    filterset = catalogue_export_filter(data=request.GET)
    if errors := _errors(request.GET, filterset):
        reasons = "\n".join(f"- {error}" for error in errors)
        message = _("The export could not use these parameters:") + f"\n{reasons}\n"
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    filename = f"publications-{timezone.localdate():%Y-%m-%d}.{export.extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if request.method == "HEAD":
        return HttpResponse(content_type=export.content_type, headers=headers)
    chunks = catalogue_export_chunks(filterset=filterset, chunk_size=chunk_size)
    text = export.write(chunks, page_url=_page_url())
    return StreamingHttpResponse(
        (part.encode() for part in text), content_type=export.content_type, headers=headers
    )
