"""The API only reads: every other method is a 405 that changes nothing, no session or
CSRF token is involved, no cookie is set, and there are no browsable HTML forms."""

import pytest

from publications.models import Publication

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/", "/api/v1/publications/", "/api/v1/publications/energy-security-outlook/"]
)
def test_writing_is_not_allowed_and_changes_nothing(api, world, method, path):
    before = list(Publication.objects.order_by("pk").values_list("pk", "title", "status"))

    response = getattr(api, method)(path, {"title": "Changed"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert list(Publication.objects.order_by("pk").values_list("pk", "title", "status")) == before


def test_a_signed_in_users_session_gives_no_more_than_anonymous(client, world, cica_staff):
    client.force_login(cica_staff)

    listed = client.get("/api/v1/publications/").json()
    hidden = client.get("/api/v1/publications/unpublished-submitted/")
    posted = client.post("/api/v1/publications/", {"title": "x"})

    assert [row["slug"] for row in listed["results"]] == ["energy-security-outlook"]
    assert hidden.status_code == 404
    assert posted.status_code == 405


def test_a_browser_gets_json_and_no_cookie(client, world):
    response = client.get(
        "/api/v1/publications/",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.cookies == {}
    assert b"<form" not in response.content


def test_an_unknown_address_under_the_api_is_a_json_404(api, world):
    response = api.get("/api/v2/anything/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_nul_in_a_parameter_is_a_json_400(api, world):
    response = api.get("/api/v1/publications/", {"q": "energy\x00"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Requests may not contain NUL characters."}
