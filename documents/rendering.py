"""Turning a document into PDF: HTML from a template, then PDF bytes from the HTML.

Pure: no database access and no writes; the caller loads the document with everything it
shows (``documents.services``). Every document text goes through Django's
autoescaping templates, so markup in a field is printed as text. The PDF engine reads
nothing but the project's own static files: ``StaticFilesOnlyFetcher`` refuses every other
URL (network, ``data:``, any file outside ``static/``), and fonts come from the system
through fontconfig (docs/adr/0006).
"""

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.urls import URLFetcher, URLFetcherResponse

from documents import registry

# A paragraph of a statement that starts with one of these is an item of a list.
LIST_MARKERS = ("– ", "- ", "• ")


def _tag_languages() -> None:
    """WeasyPrint tags a PDF's structure but gives only the document one language; PDF/UA
    wants every part in another language marked as such (an action plan's Russian heading,
    a statement's translation). Each structure element WeasyPrint makes for an HTML element
    with a ``lang`` attribute gets that language (``/Lang``). WeasyPrint's tree builder
    calls itself through its module, so wrapping it there reaches every element; the
    pinned version (constraints.txt) is the one the tests check this against."""
    builder = weasyprint_tags._build_box_tree
    if getattr(builder, "marks_languages", False):
        return

    def build_with_languages(box, parent, *args, **kwargs):
        lang = box.element.get("lang") if getattr(box, "element", None) is not None else None
        for element in builder(box, parent, *args, **kwargs):
            if lang and box.element_tag not in ("html", "body") and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    setattr(build_with_languages, "marks_languages", True)  # noqa: B010 (a function's attribute)
    weasyprint_tags._build_box_tree = build_with_languages


_tag_languages()


class RefusedURLError(ValueError):
    """The renderer may not read this URL."""


def static_dir() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


def base_url() -> str:
    """The base URL of the PDF templates: the stylesheet is ``pdf/document.css``."""
    return static_dir().as_uri() + "/"


class StaticFilesOnlyFetcher(URLFetcher):
    """Answers only ``file://`` URLs whose real path (symbolic links and ``..`` resolved)
    lies inside the project's ``static/`` folder; raises for anything else, and WeasyPrint
    then leaves that resource out. It never opens a network connection."""

    def allowed_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"Refused to fetch {url!r}: only the project's static files.")
        root = static_dir()
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise RefusedURLError(f"Refused to fetch {url!r}: not a file in {root}.")
        return path

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def html_to_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """The PDF of ``html``; relative URLs resolve against ``static/``. Tagged for
    accessibility (PDF/UA-1: structure, reading order, each part's language), with the
    title, author and language the HTML gives and the time it was made as its creation
    date (set here, so that the HTML, whose digest says what a PDF shows, stays the same
    for the same content)."""
    document = weasyprint.HTML(
        string=html,
        base_url=base_url(),
        url_fetcher=url_fetcher or StaticFilesOnlyFetcher(),
    ).render(pdf_variant="pdf/ua-1")
    document.metadata.created = timezone.now().replace(microsecond=0).isoformat()
    return document.write_pdf(pdf_variant="pdf/ua-1")


@dataclass(frozen=True)
class TextBlock:
    """A paragraph (``text``) or a list (``items``) of a document's text."""

    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(text: str) -> list[TextBlock]:
    """Splits a text into paragraphs at blank lines; paragraphs that start with a dash
    ("– ") become the items of one list, as the statements print them."""
    blocks: list[TextBlock] = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        lines = [line.strip() for line in paragraph.split("\n")]
        if all(line.startswith(LIST_MARKERS) for line in lines):
            items = [line[2:].strip() for line in lines]
            if blocks and blocks[-1].items:
                blocks[-1].items.extend(items)
            else:
                blocks.append(TextBlock(items=items))
        else:
            blocks.append(TextBlock(text=paragraph))
    return blocks


def long_date(value: date | None) -> str:
    """ "20 November 2023", "20 ноября 2023": the day, the month in words, the year."""
    return date_format(value, "j E Y") if value else ""


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_html(template_name: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(_language(language)):
        return render_to_string(template_name, {"language": _language(language), **context})


def document_html(*, document_type: str, document: Any) -> str:
    """The HTML of a document of a registered kind (``documents.registry``). Expects the
    relations it shows to be loaded already (the kind's ``queryset`` does)."""
    kind = registry.kind(document_type)
    context = {"document": document, **kind.context(document)}
    return render_html(kind.template, context, language=kind.language(document))
