"""Reading PDFs, shared by the apps: the text layer and the number of pages, within limits
that hold whoever made the file (a member's upload as well as the portal's own render)."""

import io
from typing import NamedTuple

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError

MAX_EXTRACTED_CHARS = 300_000
# What staff see of a file's text on its admin page.
PREVIEW_CHARS = 600
# How far pypdf may go on a file: no stream inflates beyond 20 MB, whatever its compressed
# size (a 1 MB upload can declare 400 MB), nor takes more parsing than this.
PDF_LIMITS = {
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "brotli_maximum_output_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "maximum_declared_stream_length": 20_000_000,
    "stream_decoding_work_maximum_length": 60_000_000,
    "stream_parsing_work_maximum_count": 1_000_000,
}


def pdf_read(
    data: bytes, *, max_pages: int | None = None, max_chars: int = MAX_EXTRACTED_CHARS
) -> tuple[str, int]:
    """The text layer of a PDF, page after page (the first ``max_pages`` only, if given,
    and no page after ``max_chars`` characters), and its number of pages, read within
    ``PDF_LIMITS``; an unreadable PDF, or one beyond the limits, gives ValueError."""
    try:
        with apply_configuration(None, **PDF_LIMITS):
            reader = PdfReader(io.BytesIO(data))
            pages = len(reader.pages)
            parts = []
            size = 0
            for page in reader.pages[:max_pages]:
                text = page.extract_text() or ""
                parts.append(text)
                size += len(text)
                if size >= max_chars:
                    break
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    return "\n".join(parts)[:max_chars].replace("\x00", ""), pages


class PdfFigures(NamedTuple):
    """What a file's admin page shows of a PDF besides its size."""

    pages: int
    preview: str


def pdf_preview(text: str) -> str:
    """The start of a PDF's text, as its admin page shows it."""
    return text[:PREVIEW_CHARS].strip()


def pdf_figures(data: bytes) -> PdfFigures | None:
    """The number of pages of a PDF and the start of its text (read only as far as the
    preview goes); None for a file that cannot be read as a PDF."""
    try:
        text, pages = pdf_read(data, max_chars=PREVIEW_CHARS)
    except ValueError:
        return None
    return PdfFigures(pages=pages, preview=pdf_preview(text))
