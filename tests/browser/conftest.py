"""Headless Chromium (Debian's, driven by Playwright's Python client) against the live
test server. Chromium must be installed (`.ci/run` installs it): without it these tests fail,
they are never skipped."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread for the whole session; the ORM
# calls the tests and their fixtures make between browser steps are ordinary synchronous
# code. (tests/portal/test_deploy.py keeps this out of the production check it runs.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(user)``: the browser page carries a session of ``user`` (made by the test
    client, without going through the sign-in form)."""
    from django.test import Client

    def as_user(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )

    return as_user


@pytest.fixture(autouse=True)
def empty_cache():
    """Every browser test starts with an empty cache: the catalogue's facet counts (and
    the pages cached from them) of another test's database are not this one's, and a
    transactional test's flush does not reach the cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
