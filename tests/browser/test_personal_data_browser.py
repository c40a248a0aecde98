"""Staff export a contact's personal data and erase it in Chromium: the download is the
person's JSON; the erasure page shows what goes and what is kept, refuses a wrong name, and
erases once confirmed. The pages break no Content-Security-Policy rule."""

import json

import pytest

from members.models import Contact, ContactErasure

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_staff_export_then_erase_a_contact(live_server, page, sign_in, cica):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    contact = Contact.objects.create(
        institute=cica.institute, full_name="Aigerim Sultanova", email="as@kaziss.example"
    )
    sign_in(cica.staff)
    page.goto(f"{live_server.url}/admin/members/contact/{contact.pk}/change/")

    with page.expect_download() as download:
        page.click("a.personal-data-export")
    assert download.value.suggested_filename == f"contact-{contact.pk}-personal-data.json"
    with open(download.value.path(), encoding="utf-8") as exported:
        data = json.load(exported)
    assert (data["contact"]["full_name"], data["contact"]["email"]) == (
        "Aigerim Sultanova",
        "as@kaziss.example",
    )

    page.click("a.personal-data-erase")
    assert page.locator(".plan-kept li").count() == 5
    page.fill("#id_reason", "Her request of 2 December 2026")
    page.fill("#id_confirm", "Someone Else")
    with page.expect_navigation():
        page.click("#erasure-form input[type=submit]")
    assert page.locator(".errorlist li").all_inner_texts() == [
        "This is not the contact's full name."
    ]
    assert ContactErasure.objects.count() == 0

    page.fill("#id_confirm", "Aigerim Sultanova")
    with page.expect_navigation():
        page.click("#erasure-form input[type=submit]")

    assert page.locator(".messagelist .success").inner_text() == (
        "The contact's personal data was erased."
    )
    contact.refresh_from_db()
    assert (contact.full_name, contact.email, contact.is_active) == (
        f"Erased contact {contact.pk}",
        "",
        False,
    )
    assert ContactErasure.objects.get().reason == "Her request of 2 December 2026"
    assert problems == []
