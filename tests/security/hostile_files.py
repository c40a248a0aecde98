"""Hostile files built byte by byte: small on the wire, huge or active once opened."""

import struct
import zlib


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalogue), with a correct
    cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _page_objects(contents: bytes, *, extra_catalogue: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalogue + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(contents)
        + contents
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def pdf_inflating_to(megabytes: int) -> bytes:
    """A valid one-page PDF whose content stream, a few hundred kB compressed, inflates to
    ``megabytes`` MB of text-drawing operators."""
    compressor = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 72 712 Td (bomb) Tj ET\n" * 29_000  # about 1 MB
    parts = [compressor.compress(chunk) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return _pdf(_page_objects(b"".join(parts)))


def pdf_with_javascript() -> bytes:
    """A readable PDF that runs JavaScript when it is opened (/OpenAction)."""
    text = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Water security) Tj ET")
    objects = _page_objects(text, extra_catalogue=b"/OpenAction 6 0 R ")
    objects.append(b"<< /Type /Action /S /JavaScript /JS (app.alert\\('portal'\\);) >>")
    return _pdf(objects)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_of_size(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` × ``height`` pixels (greyscale), with a few
    rows of real data: small as a file, enormous once decoded."""
    rows = zlib.compress(b"\x00" + b"\x00" * width)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )
