"""A visitor uses the catalogue in a real browser."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from publications.services import publication_approve
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def _publish(title, *, forum, themes, institutes, pdf=None, **fields):
    """A submitted publication approved as the secretariat approves one (its public copy
    is made when the approval commits: this test's database commits)."""
    publication = f.PublicationFactory(title=title, forum=forum, **fields)
    publication.themes.set(themes)
    publication.institutes.set(institutes)
    if pdf:
        publication.file.save(f"{publication.slug}.pdf", ContentFile(pdf))
    return publication_approve(publication=publication, by=None)


def test_visitor_filters_searches_opens_downloads_and_switches_to_russian(
    live_server, page, private_media, cica, kca
):
    water = f.ThemeFactory(name="Water resources", name_ru="Водные ресурсы")
    energy = f.ThemeFactory(name="Energy", name_ru="Энергетика")
    pdf = b"%PDF-1.4\n% Aral Sea basin study\n%%EOF\n"
    target = _publish(
        "Water security in the Aral Sea basin",
        forum=cica.forum,
        themes=[water],
        institutes=[cica.institute],
        pdf=pdf,
        abstract="Transboundary water management in Central Asia.",
        published_on=datetime.date(2024, 4, 1),
    )
    _publish("Water diplomacy", forum=kca.forum, themes=[water], institutes=[kca.institute])
    _publish("Energy markets", forum=cica.forum, themes=[energy], institutes=[cica.institute])
    _publish("Aral Sea fisheries", forum=cica.forum, themes=[energy], institutes=[cica.institute])

    page.goto(f"{live_server.url}/publications/")
    assert page.locator("ol.card-list > li").count() == 4

    page.get_by_label(cica.forum.name).check()
    page.get_by_label("Water resources").check()
    with page.expect_navigation(url="**/publications/?*"):  # the button still loads the page
        page.get_by_role("button", name="Apply filters").click()
    assert page.locator("ol.card-list h3").all_inner_texts() == [target.title]

    page.get_by_label("Search words in titles, authors, abstracts and full texts").fill("aral")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**q=aral**")
    assert page.locator("ol.card-list h3").all_inner_texts() == [target.title]
    assert f"forum={cica.forum.pk}" in page.url and f"theme={water.pk}" in page.url

    page.get_by_role("link", name=target.title).click()
    page.wait_for_url(f"**{target.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == target.title

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        assert handle.read() == pdf

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    page.wait_for_url(f"**/ru{target.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == target.title
    assert page.get_by_role("link", name="Скачать PDF").is_visible()
    assert page.get_by_role("link", name="Публикации").first.is_visible()


@pytest.fixture
def shelf(cica):
    """25 public publications (more than a page), over three themes; five are on water.
    The cache starts empty: facet counts of another test's database are not this one's."""
    cache.clear()
    water = f.ThemeFactory(name="Water resources", name_ru="Водные ресурсы")
    energy = f.ThemeFactory(name="Energy", name_ru="Энергетика")
    youth = f.ThemeFactory(name="Youth", name_ru="Молодёжь")
    for number in range(25):
        theme = water if number % 5 == 0 else (energy if number % 2 else youth)
        _publish(
            f"Regional outlook {number}",
            forum=cica.forum,
            themes=[theme],
            institutes=[cica.institute],
            abstract="Trends and risks across the region, by sector and by country. " * 3,
            published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )
    yield water
    cache.clear()


def test_on_a_phone_the_filters_open_from_a_button_above_the_results(live_server, page, shelf):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/publications/")
    button = page.locator("#filters > summary")
    first_result = page.locator("ol.card-list > li").first
    page.screenshot(path="/tmp/ux-catalogue-phone.png")

    assert button.inner_text() == "Filters"
    assert button.bounding_box()["y"] + button.bounding_box()["height"] <= 844  # first screen
    assert button.bounding_box()["y"] < first_result.bounding_box()["y"]
    assert page.get_by_label("Water resources").is_visible() is False

    button.click()
    page.get_by_label("Water resources").check()  # applies at once: no button to find

    expect(page.locator("#results-heading")).to_have_text("5 publications")
    expect(button).to_have_text("Filters (1 active)")
    assert page.url == f"{live_server.url}/publications/?theme={shelf.pk}&sort=newest&per_page=20"
    assert page.locator("ol.card-list h3").all_inner_texts() == [
        "Regional outlook 20",
        "Regional outlook 15",
        "Regional outlook 10",
        "Regional outlook 5",
        "Regional outlook 0",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.screenshot(path="/tmp/ux-catalogue-phone-filtered.png")

    page.go_back()  # the address it had, and the results with it
    expect(page.locator("#results-heading")).to_have_text("25 publications")
    assert page.get_by_label("Water resources").is_checked() is False


def test_by_keyboard_the_facets_come_before_the_results_and_apply_as_they_are_ticked(
    live_server, page, shelf
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/publications/")
    page.screenshot(path="/tmp/ux-catalogue-desktop.png")
    assert page.locator("#filters > summary").is_visible() is False  # the sidebar is open
    assert page.get_by_role("heading", name="Filter", exact=True).is_visible()

    stops = []
    while len(stops) < 30 and (not stops or stops[-1] != "checkbox"):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "(el => el.type === 'checkbox' ? 'checkbox' : el.textContent.trim() || el.id)"
                "(document.activeElement)"
            )
        )
    assert stops[-4:] == ["id_q", "Search", "Skip to results", "checkbox"]
    assert len(stops) == 14  # was 40: every result link came first

    # Ticking by keyboard applies at once; the count is announced (a live region) and
    # the focus stays on the box.
    for _step in range(10):
        if page.evaluate("document.activeElement.id") == f"f-theme-{shelf.pk}":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Space")

    heading = page.locator("#results-heading")
    expect(heading).to_have_text("5 publications")
    assert heading.get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.id") == f"f-theme-{shelf.pk}"
    assert page.evaluate("document.activeElement.checked") is True
    assert f"theme={shelf.pk}" in page.url
    page.screenshot(path="/tmp/ux-catalogue-desktop-filtered.png")

    # "Skip to results" takes the keyboard past the facets.
    page.get_by_role("link", name="Skip to results").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"


def test_without_javascript_the_filters_apply_with_their_button(browser, live_server, shelf):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/publications/")

    page.locator("#filters > summary").click()
    page.get_by_label("Water resources").check()
    assert page.locator("#results-heading").inner_text() == "25 publications"  # not yet
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()

    assert page.locator("#results-heading").inner_text() == "5 publications"
    assert page.locator("#filters > summary").inner_text() == "Filters (1 active)"
    context.close()


def test_the_year_facet_filters_stays_ticked_and_combines_on_a_phone(live_server, page, cica):
    """The Year facet showed boxes with counts but filtered nothing, and lost its tick."""
    water = f.ThemeFactory(name="Water resources")
    for year, theme_title in ((2022, "Old"), (2023, "Middle"), (2024, "New")):
        _publish(
            f"{theme_title} water report",
            forum=cica.forum,
            themes=[water],
            institutes=[cica.institute],
            published_on=datetime.date(year, 5, 1),
        )
    _publish(
        "New energy report",
        forum=cica.forum,
        themes=[],
        institutes=[cica.institute],
        published_on=datetime.date(2024, 6, 1),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/publications/")
    page.locator("#filters > summary").click()

    page.locator("#f-year-2024").check()
    expect(page.locator("#results-heading")).to_have_text("2 publications")
    page.get_by_label("Water resources").check()
    expect(page.locator("#results-heading")).to_have_text("1 publication")

    assert page.locator("ol.card-list h3").all_inner_texts() == ["New water report"]
    assert page.locator("#f-year-2024").is_checked()
    page.reload()
    assert page.locator("#f-year-2024").is_checked()
    assert page.get_by_label("Water resources").is_checked()
    expect(page.locator("#results-heading")).to_have_text("1 publication")
