"""Reading rendered PDFs back with poppler (pdftotext, pdffonts), as a reader's viewer
would: text comes out only where the PDF has real glyphs with a Unicode mapping; and
making small PDFs of several pages to upload."""

import re
import subprocess
from pathlib import Path

from fpdf import FPDF

# An A4 page in points, less the top margin (22 mm) that holds the running head and the
# bottom margin (24 mm) that holds the page number: the text of the page body, so a
# sentence running over a page break reads as one.
A4_WIDTH, BODY_TOP, BODY_HEIGHT = 595, 62, 712


def pdf_text(pdf: bytes) -> str:
    """The page bodies' text, whitespace normalised: a line ending in a hyphen joins the
    next line without a space ("Korea-" + "Central"), every other run of white space
    becomes one space."""
    raw = subprocess.run(
        [
            "pdftotext",
            "-layout",
            "-x",
            "0",
            "-y",
            str(BODY_TOP),
            "-W",
            str(A4_WIDTH),
            "-H",
            str(BODY_HEIGHT),
            "-",
            "-",
        ],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return normalise(re.sub(r"-\n\s*", "-", raw))


def normalise(text: str) -> str:
    return " ".join(text.split())


def pdf_fonts(pdf: bytes, tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """Each font of the PDF by its name (less the subset prefix): (embedded, subset,
    has a Unicode map), each "yes" or "no"."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    fonts = {}
    for line in lines:
        columns = line.split()
        name = columns[0].split("+", 1)[-1]
        emb, sub, uni = columns[-5:-2]
        fonts[name] = (emb, sub, uni)
    return fonts


def pdf_pages(*texts: str) -> bytes:
    """A PDF (made with fpdf2, as a person's file would be) of one page per text."""
    pdf = FPDF()
    for text in texts:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text=text)
    return bytes(pdf.output())
