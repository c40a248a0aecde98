"""The API's interactive docs in a real browser under the site's Content-Security-Policy:
Swagger UI starts from our own files, lists every operation, and runs one, with no error
and no refused script or style in the console."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_the_api_docs_list_every_operation_and_run_one(page, live_server, settings, cica):
    settings.SITE_URL = live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    forums = page.locator(".opblock", has=page.locator('[data-path="/api/v1/forums/"]'))
    forums.locator(".opblock-summary").click()
    forums.get_by_role("button", name="Try it out").click()
    forums.get_by_role("button", name="Execute").click()
    status = forums.locator(".live-responses-table tbody .response-col_status").first

    assert [p.replace("\u200b", "") for p in paths] == [
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
    expect(status).to_have_text("200")
    expect(forums.locator(".live-responses-table tbody .microlight").first).to_contain_text(
        '"slug": "cica-ttf"'
    )
    assert problems == []
    assert outside == []
