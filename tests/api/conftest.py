"""The public API's data: two secretariats' forums with what the public site shows of
them and, beside it, what it must never show (drafts, unapproved publications, cancelled
meetings, private contact data)."""

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from actionplans.enums import ActionPlanStatus, MeetingKind, MeetingStatus, StatementStatus
from members.enums import MembershipStatus
from publications.enums import PublicationStatus
from publications.services import catalogue_index
from tests import factories as f

SITE = "https://forums.example.org"
D = datetime.date


@pytest.fixture(autouse=True)
def api_settings(settings):
    """Absolute URLs on the canonical site; a limit no ordinary test reaches (the
    throttling tests set their own), counted from an empty cache."""
    from django.core.cache import cache

    settings.SITE_URL = SITE
    settings.API_RATE_LIMIT = "100000/minute"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def publish(*, institutes=(), themes=(), status=PublicationStatus.APPROVED, **fields):
    publication = f.PublicationFactory(status=status, **fields)
    publication.institutes.set(institutes)
    publication.themes.set(themes)
    catalogue_index(publications=[publication])
    return publication


@dataclass
class World:
    cica: object
    kca: object
    energy: object
    report: object
    hidden_publications: list
    held: object
    tentative: object
    cancelled: object
    plan: object
    draft_plan: object
    statement: object
    hidden_statements: list
    unlisted_institute: object
    recommended_institute: object


@pytest.fixture
def world(cica, kca):
    kz = cica.institute
    kz.short_name = "CICA-I"
    kz.parent_authority = "the President of the Republic of Kazakhstan"
    kz.description = "Strategic studies."
    kz.website = "https://cica-institute.example.org"
    kz.email = "private-desk@cica-institute.example.org"
    kz.phone = "+7 7172 000000"
    kz.address = "Private street 1, Astana"
    kz.public_logo.name = "institutes/logos/cica-institute.png"
    kz.save()
    f.ContactFactory(
        institute=kz, full_name="Secret Focal Point", email="focal.point@cica-institute.example.org"
    )
    membership = kz.memberships.get()
    membership.notes = "Internal note of the CICA secretariat"
    membership.save()
    kca.institute.country = "KR"
    kca.institute.save()
    unlisted = f.InstituteFactory(name="Unlisted Institute", slug="unlisted-institute")
    recommended = f.InstituteFactory(name="Recommended Institute", slug="recommended-institute")
    f.MembershipFactory(
        institute=recommended,
        forum=cica.forum,
        status=MembershipStatus.RECOMMENDED,
        decided_on=None,
    )
    energy = f.ThemeFactory(name="Energy", name_ru="Энергетика", slug="energy")

    report = publish(
        title="Energy security outlook",
        subtitle="Central Asia, 2024",
        slug="energy-security-outlook",
        authors="Abenov, Arman\nKim, Min-jun",
        forum=cica.forum,
        kind="analytical_report",
        language="en",
        published_on=D(2024, 5, 1),
        abstract="Energy and water.",
        keywords="energy; security",
        doi="10.1234/energy-2024",
        isbn="978-601-000-00-0",
        url="https://publisher.example.org/energy",
        institutes=[kz],
        themes=[energy],
    )
    report.public_file.name = "publications/2024/energy-security-outlook.pdf"
    report.save()
    hidden = [
        publish(
            title=f"Unpublished {status}",
            slug=f"unpublished-{status}",
            forum=cica.forum,
            institutes=[unlisted],
            status=status,
            **({"return_reason": "Incomplete."} if status == PublicationStatus.RETURNED else {}),
        )
        for status in (
            PublicationStatus.SUBMITTED,
            PublicationStatus.RETURNED,
            PublicationStatus.WITHDRAWN,
        )
    ]

    held = f.MeetingFactory(
        forum=cica.forum,
        kind=MeetingKind.FORUM,
        title="Twelfth CICA Think Tank Forum",
        slug="twelfth-cica-ttf",
        theme="Energy security",
        status=MeetingStatus.HELD,
        place="Astana",
        host_country="KZ",
        host_institute=kz,
        starts_on=D(2024, 10, 2),
        ends_on=D(2024, 10, 3),
        host_rotation_override_reason="Internal reason",
        description="Internal description",
    )
    tentative = f.MeetingFactory(
        forum=kca.forum,
        kind=MeetingKind.ROUNDTABLE,
        title="Second roundtable",
        slug="second-roundtable",
        status=MeetingStatus.PLANNED,
        window_start=D(2025, 9, 1),
        window_end=D(2025, 10, 31),
    )
    cancelled = f.MeetingFactory(
        forum=cica.forum,
        title="Cancelled workshop",
        slug="cancelled-workshop",
        status=MeetingStatus.CANCELLED,
        starts_on=D(2024, 6, 1),
    )

    plan = f.ActionPlanFactory(
        forum=cica.forum,
        year=2024,
        title="Annual Action Plan of the CICA Think Tank Forum for 2024",
        document_symbol="SOC/2024-II/DEC/2",
        adopting_body="CICA Senior Officials Committee",
        adopted_at="Astana",
        adopted_on=D(2024, 6, 27),
        preamble="The Senior Officials Committee,",
        status=ActionPlanStatus.ADOPTED,
        pdf="documents/2024/soc-2024-ii-dec-2-v1.pdf",
        public_pdf="documents/2024/soc-2024-ii-dec-2-v1.pdf",
        pdf_version=1,
    )
    draft_plan = f.ActionPlanFactory(
        forum=cica.forum, year=2025, title="Draft plan for 2025", status=ActionPlanStatus.DRAFT
    )
    statement = f.JointStatementFactory(
        forum=kca.forum,
        title="Joint Statement on Launching the Forum",
        slug="joint-statement-launching",
        place="Seoul",
        adopted_on=D(2023, 11, 20),
        published_on=D(2023, 11, 21),
        text="The participants agreed to launch the forum.",
        status=StatementStatus.PUBLISHED,
    )
    f.SignatoryFactory(statement=statement, institute=kca.institute, position=1)
    f.SignatoryFactory(statement=statement, institute=kz, position=2)
    hidden_statements = [
        f.JointStatementFactory(
            forum=kca.forum,
            title="Adopted, not published",
            slug="adopted-not-published",
            adopted_on=D(2024, 1, 1),
            status=StatementStatus.ADOPTED,
        ),
        f.JointStatementFactory(forum=kca.forum, title="Draft statement", slug="draft-statement"),
    ]
    return World(
        cica=cica,
        kca=kca,
        energy=energy,
        report=report,
        hidden_publications=hidden,
        held=held,
        tentative=tentative,
        cancelled=cancelled,
        plan=plan,
        draft_plan=draft_plan,
        statement=statement,
        hidden_statements=hidden_statements,
        unlisted_institute=unlisted,
        recommended_institute=recommended,
    )
