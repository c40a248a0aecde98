from django.core.paginator import InvalidPage
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.urls import absolute_url
from publications import metadata
from publications.cache import cache_get, cache_set, cached_public_page, keep_out_of_page_cache
from publications.citation_styles import formatted_citations
from publications.exports import EXPORT_FORMATS, export_links, export_query
from publications.filters import CatalogueFilter, active_filter_count
from publications.models import Publication
from publications.selectors import (
    PER_PAGE_CHOICES,
    SORTS,
    Catalogue,
    catalogue_search,
    publication_public_detail,
    publication_related,
)

# Every query parameter the catalogue reads (its filters, the order and the page; the
# format of an export of all its results).
CATALOGUE_PARAMS = (*CatalogueFilter.base_filters, "sort", "per_page", "page", "format")


@require_safe
@cached_public_page(params=CATALOGUE_PARAMS)
def catalogue(request: HttpRequest) -> HttpResponse:
    """The public catalogue. Invalid parameters answer 400 with the reasons on the page;
    a page past the end answers 404. A page showing facet counts of an earlier generation
    (while they are recounted) is not kept in the page cache. ``?format=`` (bibtex, ris,
    csl-json, csv) sends to the export of every result in that format."""
    if "format" in request.GET:
        return _to_export(request.GET)
    try:
        result = catalogue_search(data=request.GET)
    except InvalidPage as exc:
        raise Http404(_("There is no such page of results.")) from exc
    context = {
        "catalogue": result,
        "facets_html": _facets_html(result),
        "form": result.filterset.form,
        "active_filters": active_filter_count(result.filterset.form),
        "sorts": SORTS,
        "per_page_choices": PER_PAGE_CHOICES,
        "export_links": export_links(request.GET),
    }
    response = render(
        request,
        "publications/catalogue.html",
        context,
        status=200 if result.is_valid else 400,
    )
    if result.facets_are_stale or (result.is_valid and not _took_as_written(request.GET, result)):
        keep_out_of_page_cache(response)
    return response


def _to_export(data: QueryDict) -> HttpResponse:
    name = data.get("format", "")
    export = EXPORT_FORMATS.get(name)
    if export is None:
        text = _("There is no export format “%(name)s”: use %(names)s.") % {
            "name": name,
            "names": ", ".join(EXPORT_FORMATS),
        }
        return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")
    query = export_query(data)
    url = reverse(f"publications:{export.url_name}")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _took_as_written(data: QueryDict, result: Catalogue) -> bool:
    """Whether the page shows what its address says in the one way of saying it: no sort
    or page size it fell back from, a page number as printed, a search in single spaces
    that found something. Other addresses are answered but not kept whole in the cache,
    where endless spellings of one page (or endless searches for nothing) would fill it."""
    if result.page is None:
        return False
    given = {name: data.get(name, "") for name in ("sort", "per_page", "page", "q")}
    return (
        given["sort"] in ("", result.sort)
        and given["per_page"] in ("", str(result.per_page))
        and given["page"] in ("", str(result.page.number))
        and given["q"] == " ".join(given["q"].split())
        and (not given["q"] or result.total > 0)
    )


def _facets_html(result) -> str:
    """The sidebar's facets, rendered once per state of the catalogue and kept in the
    cache beside the facets themselves (under the same generation-bound key)."""
    key = f"{result.facets_key}:html" if result.facets_key else ""
    if key and (html := cache_get(key)) is not None:
        return mark_safe(html)  # our own template rendered it (below)
    html = render_to_string("publications/includes/facets.html", {"facets": result.facets})
    if key:
        cache_set(key, str(html))
    return html


def _public_or_404(slug: str) -> Publication:
    try:
        return publication_public_detail(slug=slug)
    except Publication.DoesNotExist as exc:
        raise Http404(_("No such publication.")) from exc


@require_safe
@cached_public_page()
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _public_or_404(slug)
    page_url = absolute_url(request.path)
    pdf_url = (
        absolute_url(reverse("publications:download", kwargs={"slug": publication.slug}))
        if publication.public_file
        else None
    )
    return render(
        request,
        "publications/detail.html",
        {
            "publication": publication,
            "related": publication_related(publication=publication),
            "citations": formatted_citations(publication=publication, url=page_url),
            "absolute_url": page_url,
            "head_tags": metadata.head_tags(publication, url=page_url, pdf_url=pdf_url),
            "structured_data": metadata.json_ld(publication, url=page_url, pdf_url=pdf_url),
        },
    )


@require_safe
def download(request: HttpRequest, slug: str) -> HttpResponse:
    """The PDF of an approved publication: a stable address (citation metadata names it)
    that sends the reader to the file's public copy. Files of any other are never served
    here: they have no public copy (docs/adr/0010)."""
    publication = _public_or_404(slug)
    if not publication.public_file:
        raise Http404(_("This publication has no file."))
    return redirect(publication.public_file.url)
