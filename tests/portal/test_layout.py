"""The base layout every public page shares: landmarks, skip link, navigation, language
switcher, messages, the feed link, and nothing inline the Content-Security-Policy would
block. And the error pages."""

import datetime

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.http import urlencode

from actionplans.enums import StatementStatus
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import parse as _parse
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """One public thing of each kind, at known addresses."""
    forum = f.ForumFactory(name="Korea–Central Asia Think Tank Forum", slug="kca-ttf")
    institute = f.InstituteFactory(name="Korea Foundation", slug="korea-foundation")
    f.MembershipFactory(forum=forum, institute=institute, is_founding_member=True)
    f.JointStatementFactory(
        forum=forum,
        slug="launch",
        adopted_on=datetime.date(2023, 11, 20),
        published_on=datetime.date(2023, 11, 21),
        status=StatementStatus.PUBLISHED,
    )


PAGES = [
    ("/", 200),
    ("/forums/", 200),
    ("/forums/kca-ttf/", 200),
    ("/institutes/", 200),
    ("/institutes/korea-foundation/", 200),
    ("/statements/launch/", 200),
    ("/forums/no-such-forum/", 404),
    ("/ru/", 200),
    ("/ru/forums/kca-ttf/", 200),
    ("/ru/institutes/korea-foundation/", 200),
]


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_every_page_has_the_landmarks_and_a_skip_link(client, site, path, status):
    response = client.get(path)
    page = _page(response)

    assert response.status_code == status
    assert _attrs(page, "main", "id") == ["content"]
    assert len(list(page.query_all("body > header.site-header"))) == 1
    assert len(list(page.query_all("body > footer.site-footer"))) == 1
    assert _attrs(page, "body > a.skip-link:first-child", "href") == ["#content"]
    assert len(_attrs(page, "nav.primary-nav[aria-label]", "aria-label")) == 1


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_no_page_has_inline_scripts_or_styles(client, site, path, status):
    response = client.get(path)
    content = response.content.decode().lower()

    assert response.status_code == status
    assert "<script" not in content
    assert " style=" not in content
    assert "<style" not in content
    assert _attrs(_page(response), "link[rel=stylesheet]", "href") == ["/static/css/site.css"]


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_every_page_links_the_catalogue_feed(client, site, path, status):
    page = _page(client.get(path))
    prefix = "/ru" if path.startswith("/ru/") else ""

    assert _attrs(page, "head link[type='application/atom+xml']", "href")[0] == (
        f"{prefix}/publications/feed.atom"
    )


def test_skip_link_and_landmark_labels(client, site):
    page = _page(client.get("/"))

    assert _texts(page, "a.skip-link") == ["Skip to main content"]
    assert _attrs(page, "nav[aria-label]", "aria-label") == ["Language", "Main", "Footer"]


def test_html_lang_follows_the_language(client, site):
    english = _page(client.get("/forums/kca-ttf/"))
    russian_response = client.get("/ru/forums/kca-ttf/")

    assert english.etree_element.get("lang") == "en"
    assert russian_response.status_code == 200
    assert _page(russian_response).etree_element.get("lang") == "ru"


def test_title_ends_with_the_site_name(client, site):
    page = _page(client.get("/forums/kca-ttf/"))

    assert _texts(page, "title") == ["Korea–Central Asia Think Tank Forum — Think Tank Forums"]


@pytest.mark.parametrize(
    ("portal_name", "path", "title", "header"),
    [
        (
            "",
            "/ru/forums/kca-ttf/",
            "Korea–Central Asia Think Tank Forum — Форумы аналитических центров",
            "Форумы аналитических центров",
        ),
        (
            "CICA <Forum>",
            "/ru/forums/kca-ttf/",
            "Korea–Central Asia Think Tank Forum — CICA <Forum>",
            "CICA <Forum>",
        ),
    ],
)
def test_site_name_is_the_setting_or_the_translated_default(
    client, site, settings, portal_name, path, title, header
):
    settings.PORTAL_NAME = portal_name
    page = _page(client.get(path))

    assert _texts(page, "title") == [title]
    assert _texts(page, ".site-name") == [header]


def test_primary_navigation_links_forums_publications_and_institutes(client, site):
    page = _page(client.get("/forums/kca-ttf/"))

    assert _texts(page, ".primary-nav a") == ["Forums", "Documents", "Publications", "Institutes"]
    assert _attrs(page, ".primary-nav a", "href") == [
        "/forums/",
        "/documents/",
        "/publications/",
        "/institutes/",
    ]
    assert _attrs(page, ".primary-nav a", "aria-current") == ["true", None, None, None]
    assert _attrs(page, ".site-name", "href") == ["/"]


def test_russian_pages_link_russian_pages(client, site):
    page = _page(client.get("/ru/institutes/"))

    assert _attrs(page, ".primary-nav a", "href") == [
        "/ru/forums/",
        "/ru/documents/",
        "/ru/publications/",
        "/ru/institutes/",
    ]
    assert _attrs(page, ".primary-nav a", "aria-current") == [None, None, None, "true"]


def test_language_switcher_is_a_labelled_list_of_links(client, site):
    page = _page(client.get("/forums/kca-ttf/"))

    assert _attrs(page, "nav.language-switcher", "aria-label") == ["Language"]
    assert _attrs(page, ".language-switcher a", "hreflang") == ["en", "ru"]
    assert _attrs(page, ".language-switcher a", "lang") == ["en", "ru"]
    assert _texts(page, ".language-switcher a") == ["English", "Русский"]
    assert _attrs(page, ".language-switcher a", "aria-current") == ["true", None]
    assert _attrs(page, "form.language-switcher, .language-switcher input", "name") == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/forums/kca-ttf/", ["/forums/kca-ttf/", "/ru/forums/kca-ttf/"]),
        ("/ru/forums/kca-ttf/", ["/forums/kca-ttf/", "/ru/forums/kca-ttf/"]),
        ("/institutes/?page=2&q=a", ["/institutes/?page=2&q=a", "/ru/institutes/?page=2&q=a"]),
        ("/ru/institutes/?page=2", ["/institutes/?page=2", "/ru/institutes/?page=2"]),
        ("/ru/", ["/", "/ru/"]),
        ("/ru/statements/launch/", ["/statements/launch/", "/ru/statements/launch/"]),
    ],
)
def test_language_links_lead_to_the_same_page_in_each_language(client, site, path, expected):
    page = _page(client.get(path))

    links = _attrs(page, ".language-switcher a", "href")
    assert links == [
        f"/i18n/choose/{code}/?{urlencode({'next': target})}"
        for code, target in zip(["en", "ru"], expected, strict=True)
    ]
    assert [client.get(link)["Location"] for link in links] == expected


def test_following_a_language_link_shows_the_page_in_that_language(client, site):
    page = _page(client.get("/forums/kca-ttf/"))
    (russian,) = _attrs(page, ".language-switcher a[hreflang=ru]", "href")

    response = client.get(russian, follow=True)

    assert response.status_code == 200
    assert _attrs(_page(response), "html", "lang") == ["ru"]
    assert _attrs(_page(response), ".language-switcher a", "aria-current") == [None, "true"]


def test_a_missing_page_links_the_home_page_in_the_other_language(client, site):
    page = _page(client.get("/no-such-page/"))

    assert _attrs(page, ".language-switcher a", "href") == [
        "/i18n/choose/en/?next=%2Fno-such-page%2F",
        "/i18n/choose/ru/?next=%2Fru%2F",
    ]
    assert _attrs(page, "link[hreflang]", "href") == []


def test_messages_are_shown_in_a_live_region():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    messages.success(request, "Your changes were saved.")

    page = _parse(render_to_string("400.html", request=request))

    assert _attrs(page, ".messages", "aria-live") == ["polite"]
    assert _attrs(page, ".messages", "role") == ["status"]
    assert _texts(page, ".messages .notice") == ["Your changes were saved."]
    assert _attrs(page, ".messages .notice", "class") == ["notice notice-success"]


def test_not_found_page(client):
    response = client.get("/no-such-page/")
    page = _page(response)

    assert response.status_code == 404
    assert _texts(page, "h1") == ["Page not found"]
    assert _attrs(page, "main a", "href") == ["/", "/forums/", "/publications/"]


def test_bad_request_page(client):
    response = client.get("/", HTTP_HOST="not-allowed.example")

    assert response.status_code == 400
    assert _texts(_page(response), "h1") == ["Bad request"]


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    page = _parse(html)

    assert _texts(page, "h1") == ["Sorry, something went wrong"]
    assert _attrs(page, "main", "id") == ["content"]
    assert _attrs(page, "a.skip-link", "href") == ["#content"]
    assert page.etree_element.get("lang") == "en"
    assert "<script" not in html
    assert " style=" not in html


def test_the_favicon_address_sends_browsers_to_the_portals_icon(client):
    answer = client.get("/favicon.ico")

    assert answer.status_code == 301
    assert answer["Location"].startswith("/static/img/favicon")
    assert answer["Location"].endswith(".svg")
