"""A reader copies a formatted citation from a publication's page in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from publications.services import publication_approve
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def clipboard_page(browser, live_server):
    context = browser.new_context(locale="en-GB", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_reader_opens_a_style_and_copies_its_citation(clipboard_page, live_server, cica):
    page = clipboard_page
    publication = f.PublicationFactory(
        title="Water & <energy> in Central Asia",
        slug="water-energy",
        authors="Abenov, Nurlan\nKim, Ji-won",
        forum=cica.forum,
        language="en",
        published_on=datetime.date(2024, 12, 15),
    )
    publication.institutes.set([cica.institute])
    publication_approve(publication=publication, by=None)

    page.goto(f"{live_server.url}/publications/water-energy/")
    page.get_by_role("button", name="Copy the citation in APA (7th edition)").click()

    status = page.locator("#citation-apa-status")
    assert status.get_attribute("role") == "status"
    expect(status).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Abenov, N., & Kim, J.-W. (2024). Water & <energy> in Central Asia [Analytical report]."
        f" {cica.institute.name}. http://testserver/publications/water-energy/"
    )

    # Chicago is folded until the reader opens it; its button copies its own text.
    chicago = page.get_by_role("button", name="Copy the citation in Chicago (author-date)")
    assert not chicago.is_visible()
    page.get_by_text("Chicago (author-date)", exact=True).click()
    chicago.click()
    expect(page.locator("#citation-chicago-status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Abenov, Nurlan, and Ji-won Kim. 2024. Water & <energy> in Central Asia."
        f" Analytical report. {cica.institute.name}."
        " http://testserver/publications/water-energy/."
    )


def test_without_a_clipboard_the_copy_buttons_stay_hidden(browser, live_server, cica):
    """Over plain HTTP to another host (no secure context) there is no clipboard API: the
    buttons stay hidden and the citation is there to select."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.clipboard;")
    publication = f.PublicationFactory(
        title="Energy", slug="energy", forum=cica.forum, published_on=datetime.date(2024, 1, 1)
    )
    publication_approve(publication=publication, by=None)
    try:
        page.goto(f"{live_server.url}/publications/energy/")
        assert page.locator("button[data-copy]").count() == 3
        assert page.locator("button[data-copy]:visible").count() == 0
        assert page.locator("#citation-apa").is_visible()
    finally:
        context.close()
