"""Request checks that hold for every view of the portal, and the compression of its text
responses."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class RejectNulMiddleware:
    """Answers 400 to a request whose query string or form fields hold a NUL character.

    No text the portal keeps or searches can contain one, and PostgreSQL refuses it in any
    string, so a NUL that reached a query (an admin search, an autocomplete term, a list
    filter) would otherwise end in a 500. The public API (``JSON_PATHS``) is told so in
    JSON, as it is told every other error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul_in_form(request):
            if request.path.startswith(JSON_PATHS):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED + "\n", content_type="text/plain")
        return self.get_response(request)


NUL_REFUSED = "Requests may not contain NUL characters."
JSON_PATHS = ("/api/", "/openapi.json")


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


def _has_nul_in_form(request: HttpRequest) -> bool:
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return False
    return _has_nul(request.POST)


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH mitigation: up to 100 random bytes in each gzip
    header, so a response's compressed length does not give away a secret it reflects),
    for text only: pages, XML (sitemaps, feeds), calendars, JSON, CSV and the like. Files
    (PDFs, images) are streamed as they are, keeping their length: compressing them gains
    little and costs a worker's time on every download."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        textual = media_type.startswith("text/") or media_type.endswith(("+xml", "+json"))
        if not (textual or media_type in TEXT_TYPES):
            return response
        return super().process_response(request, response)


TEXT_TYPES = frozenset(
    (
        "application/xml",
        "application/json",
        "application/javascript",
        "application/x-bibtex",
        "application/x-research-info-systems",
    )
)
