from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

from core.site import portal_name


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def _in_language(path: str, code: str, active: str) -> str:
    url = translate_url(path, code)
    if url == path and code != active:  # no such page to translate (a 404): the home page
        with override(code):
            return reverse("home")
    return url


def portal(request: HttpRequest) -> dict:
    """The portal's name, and this page's address in each language (the language
    switcher's links; query string kept)."""
    path, active = request.get_full_path(), get_language()
    links = [
        LanguageLink(
            code=code,
            name=get_language_info(code)["name_local"],
            url=_in_language(path, code, active),
            current=code == active,
        )
        for code, _name in settings.LANGUAGES
    ]
    return {"portal_name": portal_name(), "language_links": links}
