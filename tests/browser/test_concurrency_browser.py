"""Two people, two browsers, one record: the second to save is told what the first changed
and by whom, keeps their own change, and saves both (core.concurrency)."""

import pytest
from django.test import Client

from members.models import Institute
from tests import factories as f
from tests.workspace.helpers import member_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


@pytest.fixture
def open_as(browser, live_server):
    """``open_as(user, path)``: a page of its own browser context, signed in as ``user``
    and showing ``path``."""
    contexts = []

    def opened(user, path):
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}{path}")
        return page

    yield opened
    for context in contexts:
        context.close()


def test_two_staff_members_editing_one_institute_lose_neither_change(open_as, cica):
    colleague = f.StaffUserFactory(username="colleague", first_name="Aigerim", last_name="Sadykova")
    cica.secretariat.staff.add(colleague)
    path = f"/admin/members/institute/{cica.institute.pk}/change/"
    mine, theirs = open_as(cica.staff, path), open_as(colleague, path)

    theirs.fill("#id_website", "https://their.example.org")
    theirs.click("input[name=_save]")
    theirs.wait_for_url("**/admin/members/institute/")
    mine.fill("#id_phone", "+7 7172 00 00 00")
    mine.click("input[name=_save]")

    note = mine.locator("ul.errorlist.nonfield li")
    assert note.inner_text().startswith(
        "Not saved: while you were editing, Aigerim Sadykova changed this ("
    )
    assert "Website" in note.inner_text()
    assert mine.input_value("#id_website") == "https://their.example.org"
    assert mine.input_value("#id_phone") == "+7 7172 00 00 00"
    institute = Institute.objects.get(pk=cica.institute.pk)
    assert (institute.website, institute.phone) == ("https://their.example.org", "")

    mine.click("input[name=_save]")
    mine.wait_for_url("**/admin/members/institute/")
    institute.refresh_from_db()
    assert (institute.website, institute.phone) == (
        "https://their.example.org",
        "+7 7172 00 00 00",
    )


def test_two_members_editing_their_institutes_profile_lose_neither_change(
    open_as, cica, eager_celery
):
    a = member_of(cica, username="member-a", full_name="Dana Omarova")
    b = member_of(cica, username="member-b", full_name="Nurlan Abenov")
    mine, theirs = open_as(a.user, "/members/institute/"), open_as(b.user, "/members/institute/")

    theirs.fill("#id_website", "https://their.example.org")
    theirs.click("form.profile-form button[type=submit]")
    theirs.wait_for_selector(".messages, .notice-success, [role=status]")
    mine.fill("#id_phone", "+7 7172 11 11 11")
    mine.click("form.profile-form button[type=submit]")

    assert (
        mine.locator(".notice-error li")
        .inner_text()
        .startswith("Not saved: while you were editing, Nurlan Abenov changed this (")
    )
    assert mine.input_value("#id_website") == "https://their.example.org"
    assert mine.input_value("#id_phone") == "+7 7172 11 11 11"

    mine.click("form.profile-form button[type=submit]")
    mine.wait_for_selector(".messages, .notice-success, [role=status]")
    institute = Institute.objects.get(pk=cica.institute.pk)
    assert (institute.website, institute.phone) == (
        "https://their.example.org",
        "+7 7172 11 11 11",
    )
