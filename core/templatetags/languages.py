"""``language_label``: a document's language code as its name in the page's language,
for any code a document may hold (Django's own filters fail on a code they do not know);
``lang_attr``: the ``lang`` attribute of text in another language than the page's."""

import re

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    names = dict(settings.DOCUMENT_LANGUAGES)
    if code in names:
        return str(names[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def language_label_local(code: str) -> str:
    """The language's name in itself ("Русский"), for a link to a version in it."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return language_label(code)


@register.filter
def language_label_inline(code: str) -> str:
    """The name as it stands inside a sentence: Russian names of languages are common
    nouns ("оригинал: английский"), English ones proper nouns."""
    label = language_label(code)
    return label.lower() if (get_language() or "").startswith("ru") else label


# A primary language subtag (ISO 639): what Publication.language and names hold, "other"
# (no language to name) excluded.
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}")


@register.filter
def lang_attr(code: str | None) -> str:
    """`` lang="ru"`` for text in language ``code`` shown on a page in another language,
    so that screen readers and browsers read it as that language; nothing for text in the
    page's own language or in none that can be named. Usage:
    ``<h3{{ publication.language|lang_attr }}>``."""
    if not code or not _LANGUAGE_TAG.fullmatch(code):
        return ""
    if code == (get_language() or settings.LANGUAGE_CODE).split("-")[0]:
        return ""
    return format_html(' lang="{}"', code)
