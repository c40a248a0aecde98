"""The OpenAPI 3 schema at /api/schema/ (YAML, or JSON when asked) and /openapi.json is
valid, and the interactive docs open under the site's Content-Security-Policy with every
script and style served by the portal itself."""

import json
import re

import pytest
import yaml
from openapi_spec_validator import validate

from tests.api.conftest import SITE

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/",
    "/api/v1/action-plans/",
    "/api/v1/action-plans/{id}/",
    "/api/v1/forums/",
    "/api/v1/forums/{slug}/",
    "/api/v1/institutes/",
    "/api/v1/institutes/{slug}/",
    "/api/v1/joint-statements/",
    "/api/v1/joint-statements/{slug}/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{slug}/",
    "/api/v1/publications/",
    "/api/v1/publications/{slug}/",
]


@pytest.fixture
def served(api):
    return {
        "openapi.json": api.get("/openapi.json"),
        "schema json": api.get("/api/schema/", {"format": "json"}),
        "schema yaml": api.get("/api/schema/"),
    }


def test_the_schema_is_served_as_json_and_yaml_and_is_valid_openapi_3(served):
    assert {name: r.status_code for name, r in served.items()} == {
        "openapi.json": 200,
        "schema json": 200,
        "schema yaml": 200,
    }
    assert served["openapi.json"]["Content-Type"] == "application/vnd.oai.openapi+json"
    assert served["schema yaml"]["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    documents = [
        json.loads(served["openapi.json"].content),
        json.loads(served["schema json"].content),
        yaml.safe_load(served["schema yaml"].content),
    ]
    for document in documents:
        validate(document)
    assert documents[0] == documents[1] == documents[2]


def test_the_schema_lists_every_resource_read_only_on_the_site_url(served):
    schema = json.loads(served["openapi.json"].content)

    assert schema["openapi"].startswith("3.")
    assert schema["servers"] == [{"url": SITE}]
    assert sorted(schema["paths"]) == PATHS
    assert {method for ops in schema["paths"].values() for method in ops} == {"get"}


def test_the_publications_take_the_catalogues_parameters(served):
    operation = json.loads(served["openapi.json"].content)["paths"]["/api/v1/publications/"]

    assert sorted(p["name"] for p in operation["get"]["parameters"]) == [
        "country",
        "cursor",
        "forum",
        "institute",
        "kind",
        "language",
        "page_size",
        "q",
        "theme",
        "year",
        "year_max",
        "year_min",
    ]
    assert sorted(operation["get"]["responses"]) == ["200", "400", "429"]


def test_the_docs_page_opens_under_the_content_security_policy(api, client):
    page = api.get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<style" not in html
    assert re.findall(r"<script[^>]*>([^<]+)</script>", html) == []
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert scripts == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]
    assert styles == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/api/docs.css",
    ]
    for asset in scripts[:2] + styles:
        assert client.get(asset).status_code == 200, asset


def test_the_docs_start_up_script_is_javascript_naming_the_schema(api):
    script = api.get("/api/docs/", {"script": ""})

    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    body = script.content.decode()
    assert 'url: "/api/schema/"' in body
    assert "csrf" not in body.lower()
