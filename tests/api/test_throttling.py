"""Anonymous clients are limited to API_RATE_LIMIT requests per address: over it, 429
with Retry-After, and other addresses are not affected."""

import pytest

pytestmark = pytest.mark.django_db


def test_over_the_limit_a_client_is_told_429_and_when_to_retry(api, world, settings):
    settings.API_RATE_LIMIT = "3/minute"

    statuses = [api.get("/api/v1/forums/").status_code for _ in range(3)]
    refused = api.get("/api/v1/publications/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled. Expected available in ")


def test_the_limit_is_counted_per_client_address(api, world, settings):
    settings.API_RATE_LIMIT = "2/minute"
    for _ in range(2):
        api.get("/api/", REMOTE_ADDR="192.0.2.1")

    assert api.get("/api/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api.get("/api/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_behind_a_proxy_the_client_is_the_header_the_proxy_sets(api, world, settings):
    settings.API_RATE_LIMIT = "1/minute"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = api.get("/api/", HTTP_X_REAL_IP="198.51.100.7", **proxy).status_code
    again = api.get("/api/", HTTP_X_REAL_IP="198.51.100.7", **proxy).status_code
    other = api.get("/api/", HTTP_X_REAL_IP="198.51.100.8", **proxy).status_code

    assert (first, again, other) == (200, 429, 200)
