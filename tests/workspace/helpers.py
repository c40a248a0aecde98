"""Shared pieces of the member workspace tests: a signed-in contact of an institute and a
small, real PDF made with fpdf2."""

import datetime

from fpdf import FPDF

from tests import factories as f


def member_of(tenant, *, username: str, **contact_fields):
    """A login that is an active contact of ``tenant``'s institute."""
    user = f.UserFactory(username=username)
    contact = f.ContactFactory(institute=tenant.institute, user=user, **contact_fields)
    return contact


def pdf_bytes(text: str = "Water security in Central Asia") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def submission_data(forum, **overrides) -> dict:
    data = {
        "title": "Water security in Central Asia",
        "subtitle": "",
        "authors": "Abenov, Nurlan\nSadykova, Aigerim",
        "forum": str(forum.pk),
        "kind": "analytical_report",
        "language": "en",
        "published_on": datetime.date(2025, 3, 1).isoformat(),
        "abstract": "Transboundary water management.",
        "keywords": "water, Aral Sea",
        "url": "",
        "doi": "",
        "isbn": "",
    }
    data.update(overrides)
    return data


def profile_data(institute, **overrides) -> dict:
    data = {
        "description": institute.description,
        "website": institute.website,
        "address": institute.address,
        "phone": institute.phone,
        "email": institute.email,
    }
    data.update(overrides)
    return data


def stored_files(root) -> list:
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )
