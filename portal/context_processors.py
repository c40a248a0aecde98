from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info, override

from core.site import portal_name
from core.urls import absolute_url


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    # The switcher's link: through ``language_choose``, which remembers the choice.
    choose_url: str


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


def _in_language(path: str, code: str, active: str) -> tuple[str, bool]:
    """The page in language ``code``, and whether there is such a page."""
    url = translate_url(path, code)
    if url == path and code != active:  # no such page to translate (a 404): the home page
        with override(code):
            return reverse("home"), False
    return url, True


def portal(request: HttpRequest) -> dict:
    """The portal's name; this page's address in each language (the language switcher's
    links, query string kept); and, for a page that exists in every language, its
    ``hreflang`` alternates, absolute on SITE_URL, the default language's address also
    the ``x-default``."""
    path, active = request.get_full_path(), get_language()
    links = []
    alternates = []
    translated = True
    for code, _name in settings.LANGUAGES:
        url, found = _in_language(path, code, active)
        translated = translated and found
        choose = reverse("language_choose", kwargs={"code": code})
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                current=code == active,
                choose_url=f"{choose}?{urlencode({'next': url})}",
            )
        )
        alternates.append(Alternate(hreflang=code, href=absolute_url(url)))
        if code == settings.LANGUAGE_CODE:
            alternates.append(Alternate(hreflang="x-default", href=absolute_url(url)))
    return {
        "portal_name": portal_name(),
        "language_links": links,
        "language_alternates": alternates if translated else [],
    }
