"""What any request may carry: NUL characters, unknown parameters, a proxy in front.

Each test sends the hostile request to every URL of its kind, so a new admin page or a
new public page is covered without being named here.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f
from tests.portal.test_deploy import _manage

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)
NUL = "\x00"


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("params", [{"q": NUL}, {"status__exact": NUL}, {NUL: "1"}])
def test_a_nul_in_an_admin_list_query_is_refused_with_400(client, superuser, model, params):
    client.force_login(superuser)

    response = client.get(_changelist(model), params)

    assert response.status_code == 400
    assert response.content == b"Requests may not contain NUL characters.\n"


def test_a_nul_in_an_autocomplete_term_is_refused_with_400(client, cica):
    client.force_login(cica.staff)
    params = {
        "app_label": "members",
        "model_name": "contact",
        "field_name": "institute",
        "term": f"CICA{NUL}",
    }

    assert client.get(reverse("admin:autocomplete"), params).status_code == 400
    params["term"] = "CICA"
    assert client.get(reverse("admin:autocomplete"), params).status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/publications/", "/forums/", "/institutes/", "/meetings.ics", "/sitemap.xml"]
)
def test_a_nul_in_a_public_query_is_refused_with_400(client, path):
    assert client.get(path, {"q": f"water{NUL}"}).status_code == 400


def test_a_nul_in_a_posted_form_is_refused_and_nothing_is_written(client, cica):
    contact = f.ContactFactory(institute=cica.institute, full_name="Aigerim")
    client.force_login(cica.staff)
    url = reverse("admin:members_contact_change", args=[contact.pk])

    response = client.post(url, {"full_name": f"Ai{NUL}gerim", "institute": cica.institute.pk})

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.full_name == "Aigerim"


def test_every_answer_carries_a_permissions_policy(client):
    policy = client.get("/healthz")["Permissions-Policy"]

    assert "camera=()" in policy.split(", ")
    assert "geolocation=()" in policy.split(", ")
    assert "microphone=()" in policy.split(", ")
    assert "payment=()" in policy.split(", ")


# --- Login throttling behind a proxy -------------------------------------------------------

TOO_MANY = "Too many failed login attempts. Try again later."
PROXY = "10.0.0.2"


@pytest.fixture
def member(db):
    cache.clear()
    user = f.UserFactory(username="aigerim", email="aigerim@kaziss.kz")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    yield user
    cache.clear()


def _failures(client, *, n: int, **client_address):
    for attempt in range(n):
        client.post(
            "/accounts/login/",
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            **client_address,
        )


def _login(client, **client_address):
    return client.post(
        "/accounts/login/",
        {"login": "aigerim@kaziss.kz", "password": "correct horse battery staple"},
        REMOTE_ADDR=PROXY,
        **client_address,
    )


@pytest.mark.parametrize(
    ("proxy_settings", "attacker", "member_address"),
    [
        (
            {"ALLAUTH_TRUSTED_PROXY_COUNT": 1},
            {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
            {"HTTP_X_FORWARDED_FOR": "198.51.100.9"},
        ),
        (
            {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
            {"HTTP_X_REAL_IP": "203.0.113.7"},
            {"HTTP_X_REAL_IP": "198.51.100.9"},
        ),
    ],
    ids=["x-forwarded-for", "client-ip-header"],
)
def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(
    client, settings, member, proxy_settings, attacker, member_address
):
    for name, value in proxy_settings.items():
        setattr(settings, name, value)
    _failures(client, n=10, **attacker)

    refused = client.post(
        "/accounts/login/",
        {"login": "someone@example.org", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        **attacker,
    )
    assert TOO_MANY in refused.content.decode()

    response = _login(client, **member_address)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, settings, member):
    """The client may put anything in X-Forwarded-For; with one proxy of ours, only the
    address that proxy appended counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        client.post(
            "/accounts/login/",
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7",
        )

    refused = client.post(
        "/accounts/login/",
        {"login": "someone@example.org", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )

    assert TOO_MANY in refused.content.decode()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0 None"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "1 None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
    ],
)
def test_the_proxy_settings_come_from_the_environment(env, expected):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        DEBUG="1",
        **env,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
