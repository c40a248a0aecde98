"""The API shows only what the public site shows: approved publications, adopted plans,
published statements, listed (not cancelled) meetings, public institutes, and of those
never a contact, an e-mail address, a phone number, a note or another internal field."""

import pytest

from publications.enums import PublicationStatus
from publications.services import publication_return

pytestmark = pytest.mark.django_db

LISTS = {
    "forums": "slug",
    "institutes": "slug",
    "meetings": "slug",
    "action-plans": "title",
    "joint-statements": "slug",
    "publications": "slug",
}
PRIVATE = [
    "private-desk@cica-institute.example.org",
    "+7 7172 000000",
    "Private street",
    "Secret Focal Point",
    "focal.point@cica-institute.example.org",
    "Internal note of the CICA secretariat",
    "Internal reason",
    "Internal description",
    "Incomplete.",
    "Unlisted Institute",
    "Recommended Institute",
    "Unpublished",
    "Cancelled workshop",
    "Draft plan",
    "Adopted, not published",
    "Draft statement",
    "cica-staff",
    "kca-staff",
]


def _listed(api, resource):
    body = api.get(f"/api/v1/{resource}/").json()
    return [row[LISTS[resource]] for row in body["results"]]


def test_each_list_holds_exactly_the_public_rows(api, world):
    assert {resource: _listed(api, resource) for resource in LISTS} == {
        "forums": ["cica-ttf", "kca-ttf"],
        "institutes": ["cica-institute", "kca-institute"],
        "meetings": ["second-roundtable", "twelfth-cica-ttf"],
        "action-plans": ["Annual Action Plan of the CICA Think Tank Forum for 2024"],
        "joint-statements": ["joint-statement-launching"],
        "publications": ["energy-security-outlook"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/publications/unpublished-submitted/",
        "/api/v1/publications/unpublished-returned/",
        "/api/v1/publications/unpublished-withdrawn/",
        "/api/v1/meetings/cancelled-workshop/",
        "/api/v1/joint-statements/adopted-not-published/",
        "/api/v1/joint-statements/draft-statement/",
        "/api/v1/institutes/unlisted-institute/",
        "/api/v1/institutes/recommended-institute/",
        "/api/v1/forums/no-such-forum/",
        "/api/v1/action-plans/999999999999999999/",
    ],
)
def test_what_the_site_does_not_show_is_not_found(api, world, path):
    response = api.get(path)

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_a_draft_action_plan_is_not_found(api, world):
    response = api.get(f"/api/v1/action-plans/{world.draft_plan.pk}/")

    assert response.status_code == 404


def test_a_publication_returned_after_approval_leaves_the_api(api, world, cica_staff):
    publication_return(publication=world.report, by=cica_staff, reason="A wrong file.")

    assert api.get("/api/v1/publications/").json() == {"next": None, "results": []}
    assert api.get("/api/v1/publications/energy-security-outlook/").status_code == 404


def test_no_private_or_unpublished_text_appears_anywhere(api, world):
    paths = ["/api/", *(f"/api/v1/{resource}/" for resource in LISTS)]
    paths += [
        "/api/v1/institutes/cica-institute/",
        "/api/v1/meetings/twelfth-cica-ttf/",
        "/api/v1/publications/energy-security-outlook/",
        "/api/v1/joint-statements/joint-statement-launching/",
        f"/api/v1/action-plans/{world.plan.pk}/",
    ]
    leaked = {
        path: [text for text in PRIVATE if text in api.get(path).content.decode()] for path in paths
    }

    assert leaked == {path: [] for path in paths}


def test_the_publication_filters_never_reach_unapproved_rows(api, world):
    unlisted = world.unlisted_institute
    response = api.get("/api/v1/publications/", {"institute": unlisted.pk, "q": "Unpublished"})

    assert response.status_code == 200
    assert response.json() == {"next": None, "results": []}
    assert [p.status for p in world.hidden_publications] == [
        PublicationStatus.SUBMITTED,
        PublicationStatus.RETURNED,
        PublicationStatus.WITHDRAWN,
    ]
