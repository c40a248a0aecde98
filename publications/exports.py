"""A publication's citation as a download: BibTeX, RIS or CSL-JSON.

Only approved publications are found; any other slug is a 404, whatever its state.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.urls import absolute_url
from publications import citations
from publications.models import Publication
from publications.selectors import publication_public_detail


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
        request,
        slug,
        render=citations.bibtex,
        content_type="application/x-bibtex; charset=utf-8",
        extension="bib",
    )


@require_safe
def ris(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(
        request,
        slug,
        render=citations.ris,
        content_type="application/x-research-info-systems; charset=utf-8",
        extension="ris",
    )


@require_safe
def csl_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _export(
        request,
        slug,
        render=citations.csl_json,
        content_type="application/vnd.citationstyles.csl+json; charset=utf-8",
        extension="json",
    )
