"""A visitor reads a founding document's PDF on a freshly seeded portal, in a real browser."""

import pytest

from secretariat.seeding import seed_forums
from tests.secretariat.pdftools import pdf_text

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_a_visitor_downloads_the_statement_of_a_freshly_seeded_portal(
    live_server, page, private_media, eager_celery
):
    seed_forums()  # renders both founding documents as it commits (jobs in-process)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Korea–Central Asia Think Tank Forum").first.click()
    page.get_by_role(
        "link", name="Joint Statement on Launching the Korea–Central Asia Think Tank Forum"
    ).first.click()
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as answer_info:
        page.get_by_role("link", name="Download the PDF").click()
    answer = answer_info.value

    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    # Chromium shows it in its viewer; what the browser received is the rendered document.
    pdf = page.request.get(answer.url).body()
    assert pdf_text(pdf).startswith(
        "Joint Statement on Launching the Korea–Central Asia Think Tank Forum Seoul, "
        "20 November 2023"
    )
    assert answer.url == (
        f"{live_server.url}/media/documents/{__import__('datetime').date.today().year}/"
        "joint-statement-launching-korea-central-asia-think-tank-forum-v2.pdf"
    )


def test_a_visitor_finds_the_cica_plan_in_two_clicks_reads_it_in_russian_and_gets_the_pdf(
    live_server, page, private_media, eager_celery
):
    seed_forums()

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
    page.get_by_role(
        "link", name="Annual Action Plan of the CICA Think Tank Forum for 2024"
    ).first.click()

    assert page.url == f"{live_server.url}/documents/SOC/2024-II/DEC/2/"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    assert page.url == f"{live_server.url}/ru/documents/SOC/2024-II/DEC/2/"
    # The decision has no Russian text beyond its heading: the page says so, in Russian.
    assert page.locator(".notice").inner_text() == (
        "У этого документа нет версии на языке: русский; он показан на языке оригинала: английский."
    )
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as answer_info:
        page.get_by_role("link", name="Скачать PDF").click()
    answer = answer_info.value

    assert (answer.status, answer.headers["content-type"]) == (200, "application/pdf")
    text = pdf_text(page.request.get(answer.url).body())
    # The decision as it was adopted: English, with its English and Russian headings.
    assert text.startswith(
        "SOC/2024-II/DEC/2 27 June 2024 "
        "CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA "
        "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ "
        "Senior Officials Committee Astana, 27 June 2024 "
        "Annual Action Plan of the CICA Think Tank Forum for 2024"
    )
