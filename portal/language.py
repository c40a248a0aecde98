"""The visitor's language on a first visit, and the choice that overrides it.

English pages have no prefix, Russian ones are under ``/ru/`` (``i18n_patterns`` with
``prefix_default_language=False``). A visitor who has not chosen a language (no language
cookie) and whose browser prefers Russian is sent (302) from an unprefixed page to the
same page under ``/ru/``; crawlers, which send no Accept-Language, and anyone who chose
a language through the switcher (``language_choose``, or Django's ``/i18n/setlang/``)
get the address they asked for. Only GET requests for pages are negotiated: never the
admin, feeds, calendars, files, citation exports, nor HEAD or POST. The decision comes
from Django's own ``get_language_from_request`` and ``translate_url``.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, get_language_from_request, override
from django.views.decorators.http import require_safe

# Addresses under i18n_patterns that are not pages: machines fetch them, and a redirect
# would only cost a round trip (or, for a feed reader, change the language it subscribed to).
NOT_PAGES = frozenset(
    {
        "publications:feed",
        "publications:forum_feed",
        "publications:download",
        "publications:bibtex",
        "publications:ris",
        "publications:csl_json",
        "publications:export_bibtex",
        "publications:export_ris",
        "publications:export_csl_json",
        "publications:export_csv",
        "actionplans:meetings_ics",
        "documents:pdf",
        "secretariat:answer_pdf",
        "workspace:publication_file",
        "workspace:institute_logo",
    }
)
NEGOTIATED = "language_negotiated"


def _negotiable(request: HttpRequest) -> bool:
    """A GET for an unprefixed page, from a visitor who has not chosen a language."""
    match = request.resolver_match
    return (
        request.method == "GET"
        and match is not None
        and "admin" not in match.namespaces
        and match.view_name not in NOT_PAGES
        and get_language_from_path(request.path_info) is None
        and any(translate_url(request.path, code) != request.path for code in _others())
    )


def _others() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class PreferredLanguageMiddleware:
    """Sends a first-time visitor whose browser prefers another language to the page in
    that language (see the module). Answers that depended on the decision say so in
    ``Vary`` (Accept-Language and Cookie), so a shared cache keeps them apart."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, NEGOTIATED, False):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not _negotiable(request):
            return None
        setattr(request, NEGOTIATED, True)
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return None
        preferred = get_language_from_request(request)
        if preferred == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.get_full_path(), preferred)
        if target == request.get_full_path():
            return None
        return HttpResponseRedirect(target)


@require_safe
def language_choose(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher's link: remembers the visitor's choice in Django's language
    cookie (as ``/i18n/setlang/`` does, without a form and its CSRF token on every page)
    and goes on to ``next`` (a path of the portal) in that language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None, require_https=request.is_secure()
    ):
        with override(code):
            target = reverse("home")
    # ``translate_url`` resolves the path in the active language: the one it names.
    with override(get_language_from_path(target) or settings.LANGUAGE_CODE):
        target = translate_url(target, code)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response
