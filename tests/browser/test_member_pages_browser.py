"""A member institute's pages in a real browser, on a phone (390 × 844) where it matters:
landing after sign-up, the answer page's document, the submissions and the profile form."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from members.services import invitation_send
from secretariat.services.circulation import answer_token
from tests import factories as f
from tests.workspace.helpers import member_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "a long and unusual passphrase 42"
PHONE = {"width": 390, "height": 844}


def _png(width: int = 120, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 83, 148)).save(buffer, "PNG")
    return buffer.getvalue()


def _fits(page, selector: str) -> list[bool]:
    """For each element, whether it lies wholly inside the viewport's width."""
    width = page.viewport_size["width"]
    return [
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        for box in (e.bounding_box() for e in page.locator(selector).all())
    ]


def test_after_signing_up_the_member_lands_in_the_workspace_greeted_by_name(
    live_server, page, private_media, smtp, cica, eager_celery
):
    contact = f.ContactFactory(
        institute=cica.institute, full_name="Aigerim Sadykova", email="aigerim@kaziss.kz"
    )
    invitation_send(contact=contact, by=cica.staff)
    [mail] = smtp.accepted
    path = re.search(r"https?://[^/]+(/invitation/\S+/)", mail.body).group(1)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}{path}")
    page.wait_for_url("**/accounts/signup/")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form[action='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url("**/members/")
    page.screenshot(path="/tmp/ux-after-signup-phone.png")

    contact.refresh_from_db()
    username = contact.user.username
    assert page.get_by_role("heading", level=1).inner_text() == "CICA Institute"
    assert page.locator(".messages .notice").all_inner_texts() == [
        "Successfully signed in as Aigerim Sadykova."
    ]
    assert page.locator(".site-header .account-name").inner_text() == "Aigerim Sadykova"
    assert page.locator(".page-header .lead").inner_text() == "Signed in as Aigerim Sadykova."
    assert re.search(rf"\b{re.escape(username)}\b", page.locator("body").inner_text()) is None
    assert _fits(page, ".site-header .account-links > *") == [True, True, True]


def test_the_answer_page_links_the_circulated_document_for_the_institute_only(
    live_server, page, sign_in, private_media, cica, kca
):
    """A circulation from before circulations kept their own PDF (as the issue's walk met
    it): the e-mail attached the paper's PDF, and the answer page now links that."""
    member = member_of(cica, username="aigerim", full_name="Aigerim Sadykova")
    other = member_of(kca, username="minjun", full_name="Kim Min-jun")
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Youth and climate workshop")
    pdf = b"%PDF-1.4\n% Youth and climate workshop, concept paper\n%%EOF\n"
    paper.pdf.save("youth-climate.pdf", ContentFile(pdf))
    delivery = f.DeliveryFactory(
        circulation__paper=paper,
        circulation__subject="Concept paper: youth and climate",
        institute=cica.institute,
        contact=member,
        email=member.email,
    )
    page.set_viewport_size(PHONE)
    sign_in(member.user)

    page.goto(f"{live_server.url}/members/")
    page.get_by_role("link", name="Concept paper: youth and climate").click()
    page.wait_for_url("**/answer/*/")
    page.screenshot(path="/tmp/ux-answer-phone.png", full_page=True)
    link = page.get_by_role("link", name="Read the document (PDF)")
    assert link.get_attribute("href") == f"{urlsplit(page.url).path}pdf/"
    assert _fits(page, ".page-header a.button") == [True]
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert (response.status, response.body()) == (200, pdf)

    # A member of another institute is not offered it, and cannot open it by a link of
    # its own altered to point at it.
    page.context.clear_cookies()
    sign_in(other.user)
    page.goto(f"{live_server.url}/members/")
    assert page.locator(".awaiting-list a").count() == 0
    own = f.DeliveryFactory(
        circulation__paper__forum=kca.forum, institute=kca.institute, contact=other
    )
    token = answer_token(delivery=own)
    forged = token.replace(token.split(":")[0], answer_token(delivery=delivery).split(":")[0])
    refused = page.request.get(f"{live_server.url}/answer/{forged}/pdf/")
    assert (refused.status, pdf in refused.body()) == (404, False)


def test_the_submissions_show_status_and_actions_on_a_phone(live_server, page, sign_in, cica):
    member = member_of(cica, username="aigerim", full_name="Aigerim Sadykova")
    rows = [
        ("submitted", "Water security in the Aral Sea basin: a transboundary outlook"),
        ("returned", "Energy corridors of Central Asia"),
        ("approved", "Youth employment and digital skills"),
    ]
    for status, title in rows:
        publication = f.PublicationFactory(
            title=title, forum=cica.forum, status=status, return_reason="Add the abstract."
        )
        publication.institutes.set([cica.institute])
    page.set_viewport_size(PHONE)
    sign_in(member.user)

    page.goto(f"{live_server.url}/members/publications/")
    page.screenshot(path="/tmp/ux-submissions-phone.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert page.locator(".submission-table .badge").all_inner_texts() == [
        "Approved",
        "Returned",
        "Submitted",
    ]
    assert _fits(page, ".submission-table .badge") == [True, True, True]
    assert page.locator(".submission-actions a").all_inner_texts() == [
        "In the catalogue",
        "Edit",
        "Withdraw",
        "Edit",
        "Withdraw",
    ]
    assert _fits(page, ".submission-actions a") == [True] * 5
    assert (
        page.locator(".submission-table td[data-label='Status']").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        == '"Status: "'
    )


def test_the_profile_form_has_capitalised_labels_the_logo_and_the_limits_of_files(
    live_server, page, sign_in, settings, private_media, cica
):
    settings.PUBLICATION_MAX_UPLOAD_MB = 7  # the limit said is the one configured
    member = member_of(
        cica, username="aigerim", full_name="Aigerim Sadykova", phone="+7 7172 75 20 20"
    )
    cica.institute.logo.save("cica-institute.png", ContentFile(_png()))
    page.set_viewport_size(PHONE)
    sign_in(member.user)

    page.goto(f"{live_server.url}/members/institute/")
    page.screenshot(path="/tmp/ux-profile-phone.png", full_page=True)

    assert page.locator(".profile-form .form-row > label:first-child").all_inner_texts() == [
        "Description",
        "Website",
        "Address",
        "Phone",
        "E-mail",
        "Logo",
        "Focal point for CICA Think Tank Forum",
    ]
    preview = page.get_by_role("img", name="The logo of CICA Institute")
    assert preview.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]") == [
        True,
        120,
        60,
    ]
    assert page.locator("#id_logo_helptext").inner_text() == (
        "A JPEG, PNG or WebP picture of at most 2 MB."
    )
    assert page.locator("#id_logo").get_attribute("aria-describedby") == "id_logo_helptext"
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    # Name, e-mail, phone, active, edit (the empty position and focal points are left out).
    assert _fits(page, ".contact-table td:not(:empty)") == [True] * 5

    page.goto(f"{live_server.url}/members/publications/new/")
    page.screenshot(path="/tmp/ux-submission-form-phone.png", full_page=True)
    assert page.get_by_label("PDF file").get_attribute("aria-describedby") == "id_pdf_helptext"
    assert page.locator("#id_pdf_helptext").inner_text() == "A PDF of at most 7 MB."
    assert (
        page.locator(".submission-form .form-row > label:first-child").first.inner_text() == "Title"
    )
