import mimetypes
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from core.files import file_response
from portal.storage import ATTACHMENT_PREFIXES, PUBLIC_CACHE_CONTROL


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database readiness, for load balancers and compose healthchecks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def public_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A file of the local public storage (``MEDIA_ROOT``), for a portal that keeps its
    files in folders (``make run``, a single server): what an object store or a proxy
    would serve otherwise. Only the public storage is reachable here, and only files in
    it; a proxy or CDN may cache the answer. Private files have no URL at all."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise Http404
    try:
        path = Path(storage.path(name)).resolve() if ".." not in name.split("/") else None
    except SuspiciousFileOperation:  # an absolute path, or one leaving the folder
        raise Http404 from None
    root = Path(storage.location).resolve()
    if path is None or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    inline = not name.startswith(ATTACHMENT_PREFIXES)
    response = file_response(
        path.open("rb"), filename=path.name, content_type=content_type, inline=inline
    )
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for ``/favicon.ico`` on every page that names no icon (the admin, PDFs,
    files): they are sent to the portal's own. Resolved per request, so a missing
    static manifest can fail only this answer, never the URLconf."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
