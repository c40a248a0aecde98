"""A visitor uses the catalogue in a real browser."""

import datetime

import pytest
from django.core.files.base import ContentFile

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
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/publications/?*")
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
