"""Each resource as the API writes it, field by field, and the index of resources."""

import pytest

from tests.api.conftest import SITE

pytestmark = pytest.mark.django_db


def forum_ref(forum):
    return {
        "id": forum.pk,
        "slug": forum.slug,
        "name": forum.name,
        "name_ru": "",
        "short_name": "",
    }


def test_the_index_names_every_resource_the_schema_and_the_docs(api):
    response = api.get("/api/")

    assert response.status_code == 200
    assert response.json() == {
        "resources": {
            "forums": f"{SITE}/api/v1/forums/",
            "institutes": f"{SITE}/api/v1/institutes/",
            "meetings": f"{SITE}/api/v1/meetings/",
            "action-plans": f"{SITE}/api/v1/action-plans/",
            "joint-statements": f"{SITE}/api/v1/joint-statements/",
            "publications": f"{SITE}/api/v1/publications/",
        },
        "schema": f"{SITE}/api/schema/",
        "docs": f"{SITE}/api/docs/",
    }


def test_a_forum_is_written_with_its_framework_secretariat_and_member_count(api, world):
    forum = world.cica.forum
    forum.name_ru = "Форум аналитических центров СВМДА"
    forum.short_name = "CICA TTF"
    forum.description = "A platform for think tanks."
    forum.cadence = "annual"
    forum.website = "https://cica-ttf.example.org"
    forum.save()
    framework = forum.framework
    framework.name, framework.short_name = "Conference on Interaction", "CICA"
    framework.save()

    response = api.get("/api/v1/forums/cica-ttf/")

    assert response.status_code == 200
    assert response.json() == {
        "id": forum.pk,
        "slug": "cica-ttf",
        "name": "CICA Think Tank Forum",
        "name_ru": "Форум аналитических центров СВМДА",
        "short_name": "CICA TTF",
        "short_name_ru": "",
        "framework": {
            "slug": framework.slug,
            "name": "Conference on Interaction",
            "name_ru": "",
            "short_name": "CICA",
            "website": "",
        },
        "secretariat": {"slug": "cica-sec", "name": "CICA Secretariat", "name_ru": ""},
        "description": "A platform for think tanks.",
        "description_source": "",
        "founded_on": None,
        "founding_document": "",
        "cadence": "annual",
        "hosting_principle": "",
        "admission_rule": "",
        "orientation": "",
        "website": "https://cica-ttf.example.org",
        "member_count": 1,
        "url": f"{SITE}/api/v1/forums/cica-ttf/",
        "web_url": f"{SITE}/forums/cica-ttf/",
    }


def test_an_institute_is_its_public_profile_only(api, world):
    institute = world.cica.institute

    response = api.get("/api/v1/institutes/cica-institute/")

    assert response.status_code == 200
    assert response.json() == {
        "id": institute.pk,
        "slug": "cica-institute",
        "name": "CICA Institute",
        "short_name": "CICA-I",
        "country": "KZ",
        "kind": "strategic_studies",
        "parent_authority": "the President of the Republic of Kazakhstan",
        "description": "Strategic studies.",
        "website": "https://cica-institute.example.org",
        "logo_url": f"{SITE}/media/institutes/logos/cica-institute.png",
        "memberships": [
            {
                "forum": forum_ref(world.cica.forum),
                "is_founding_member": False,
                "decided_on": "2024-01-15",
            }
        ],
        "url": f"{SITE}/api/v1/institutes/cica-institute/",
        "web_url": f"{SITE}/institutes/cica-institute/",
    }


def test_a_meeting_is_written_as_its_card_shows_it(api, world):
    response = api.get("/api/v1/meetings/twelfth-cica-ttf/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.held.pk,
        "slug": "twelfth-cica-ttf",
        "title": "Twelfth CICA Think Tank Forum",
        "kind": "forum",
        "status": "held",
        "theme": "Energy security",
        "forum": forum_ref(world.cica.forum),
        "place": "Astana",
        "host_country": "KZ",
        "host_institute": "CICA Institute",
        "starts_on": "2024-10-02",
        "ends_on": "2024-10-03",
        "window_start": None,
        "window_end": None,
        "is_tentative": False,
        "url": f"{SITE}/api/v1/meetings/twelfth-cica-ttf/",
        "web_url": f"{SITE}/forums/cica-ttf/meetings/#meeting-twelfth-cica-ttf",
    }


def test_a_tentative_meeting_gives_its_window(api, world):
    body = api.get("/api/v1/meetings/second-roundtable/").json()

    assert (body["starts_on"], body["window_start"], body["window_end"], body["is_tentative"]) == (
        None,
        "2025-09-01",
        "2025-10-31",
        True,
    )


def test_an_action_plan_is_written_with_its_register_address_and_public_pdf(api, world):
    response = api.get(f"/api/v1/action-plans/{world.plan.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.plan.pk,
        "title": "Annual Action Plan of the CICA Think Tank Forum for 2024",
        "document_symbol": "SOC/2024-II/DEC/2",
        "kind": "action-plan",
        "forum": forum_ref(world.cica.forum),
        "year": 2024,
        "language": "en",
        "languages": ["en"],
        "adopting_body": "CICA Senior Officials Committee",
        "adopted_at": "Astana",
        "adopted_on": "2024-06-27",
        "heading_en": "",
        "heading_ru": "",
        "preamble": "The Senior Officials Committee,",
        "source": "",
        "pdf_url": f"{SITE}/media/documents/2024/soc-2024-ii-dec-2-v1.pdf",
        "url": f"{SITE}/api/v1/action-plans/{world.plan.pk}/",
        "web_url": f"{SITE}/documents/SOC/2024-II/DEC/2/",
    }


def test_an_outdated_pdf_is_not_offered(api, world):
    world.plan.version = 2
    world.plan.save()

    assert api.get(f"/api/v1/action-plans/{world.plan.pk}/").json()["pdf_url"] is None


def test_a_joint_statement_is_written_with_its_participating_institutions_in_order(api, world):
    response = api.get("/api/v1/joint-statements/joint-statement-launching/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.statement.pk,
        "slug": "joint-statement-launching",
        "title": "Joint Statement on Launching the Forum",
        "document_symbol": "",
        "kind": "joint-statement",
        "forum": forum_ref(world.kca.forum),
        "meeting": None,
        "place": "Seoul",
        "adopted_on": "2023-11-20",
        "published_on": "2023-11-21",
        "language": "en",
        "languages": ["en"],
        "source": "",
        "text": "The participants agreed to launch the forum.",
        "participating_institutions": [
            {"name": "KCA Institute", "country": "KR"},
            {"name": "CICA Institute", "country": "KZ"},
        ],
        "pdf_url": None,
        "url": f"{SITE}/api/v1/joint-statements/joint-statement-launching/",
        "web_url": f"{SITE}/forums/kca-ttf/documents/joint-statement/2023-11-20/",
    }


def test_a_publication_is_written_as_its_public_page_shows_it(api, world):
    response = api.get("/api/v1/publications/energy-security-outlook/")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.report.pk,
        "slug": "energy-security-outlook",
        "title": "Energy security outlook",
        "subtitle": "Central Asia, 2024",
        "authors": ["Abenov, Arman", "Kim, Min-jun"],
        "kind": "analytical_report",
        "language": "en",
        "published_on": "2024-05-01",
        "container_title": "",
        "publisher": "",
        "abstract": "Energy and water.",
        "keywords": "energy; security",
        "forum": forum_ref(world.cica.forum),
        "institutes": [
            {
                "id": world.cica.institute.pk,
                "slug": "cica-institute",
                "name": "CICA Institute",
                "short_name": "CICA-I",
                "country": "KZ",
            }
        ],
        "themes": [
            {"id": world.energy.pk, "slug": "energy", "name": "Energy", "name_ru": "Энергетика"}
        ],
        "doi": "10.1234/energy-2024",
        "doi_url": "https://doi.org/10.1234/energy-2024",
        "isbn": "978-601-000-00-0",
        "link": "https://publisher.example.org/energy",
        "pdf_url": f"{SITE}/publications/energy-security-outlook/pdf/",
        "url": f"{SITE}/api/v1/publications/energy-security-outlook/",
        "web_url": f"{SITE}/publications/energy-security-outlook/",
    }


def test_every_address_is_on_the_site_url_whatever_the_host_or_language_asked(api, world, settings):
    settings.ALLOWED_HOSTS = ["attacker.example"]

    response = api.get(
        "/api/v1/publications/energy-security-outlook/",
        HTTP_HOST="attacker.example",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    body = response.json()
    assert (body["url"], body["web_url"], body["pdf_url"]) == (
        f"{SITE}/api/v1/publications/energy-security-outlook/",
        f"{SITE}/publications/energy-security-outlook/",
        f"{SITE}/publications/energy-security-outlook/pdf/",
    )
    assert b"attacker.example" not in response.content
