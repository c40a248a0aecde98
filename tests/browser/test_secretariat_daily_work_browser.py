"""The secretariat's daily work in a real browser (issue 17's walk): what a member changes
reaches the staff home; a double click on "invite" sends one invitation; a circulation's
answers and the history pages read on a phone without the page scrolling sideways."""

import pytest
from django.utils import timezone

from members.models import Invitation, MemberChange
from secretariat.enums import DeliveryStatus
from secretariat.models import Delivery
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

PHONE = {"width": 390, "height": 844}


def test_a_members_profile_change_reaches_the_staff_home(live_server, page, sign_in, cica):
    member = f.UserFactory(username="member", email="member@example.org")
    f.ContactFactory(institute=cica.institute, user=member, email="member@example.org")
    sign_in(member)

    page.goto(f"{live_server.url}/members/institute/")
    page.fill("input[name=website]", "https://new-site.example.org")
    with page.expect_navigation():
        page.locator("form:has(input[name=website]) button[type=submit]").click()
    assert MemberChange.objects.filter(forum=cica.forum, seen_at__isnull=True).count() == 1

    page.context.clear_cookies()
    sign_in(cica.staff)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/")
    link = page.locator("#attention a", has_text="1 member change not yet seen")
    with page.expect_navigation():
        link.click()
    assert "https://new-site.example.org" not in page.content()  # what changed, not to what
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.locator("#result_list tbody tr td.field-what_changed").inner_text() == "Website"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_double_click_on_invite_sends_one_invitation(live_server, page, sign_in, cica):
    contact = f.ContactFactory(institute=cica.institute, email="invitee@example.org")
    sign_in(cica.staff)

    page.goto(f"{live_server.url}/admin/members/contact/{contact.pk}/change/")
    page.locator(".object-tools button", has_text="Send an invitation to log in").dblclick()
    page.wait_for_load_state()
    page.wait_for_selector(".messagelist li")

    assert Invitation.objects.filter(contact=contact).count() == 1


def test_a_circulations_answers_read_on_a_phone(live_server, page, sign_in, cica):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    circulation = f.CirculationFactory(
        paper=paper, subject="Water dialogue", started_at=timezone.now()
    )
    for n in range(3):
        delivery = Delivery.objects.create(
            circulation=circulation,
            email=f"focal{n}@institute-of-strategic-studies.example.org",
            name=f"Aigerim Nurlanovna Seitkali-Bekova {n}",
            organisation="Institute for Strategic and Interregional Studies",
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
        )
        f.AnswerFactory(
            delivery=delivery,
            attendees="Dr A. Nurlanova, Deputy Director; Mr B. Saidov, Senior Researcher",
            remarks="We will bring a presentation on water security in the Aral Sea basin.",
        )
    sign_in(cica.staff)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/admin/secretariat/circulation/{circulation.pk}/change/")

    assert page.locator("#answers tbody tr").count() == 3
    assert page.locator("#answers .answer-counts").inner_text().startswith("Will attend: 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_plans_history_shows_its_activities_changes_on_a_phone(live_server, page, sign_in, cica):
    plan = f.ActionPlanFactory(forum=cica.forum)
    activity = f.ActivityFactory(plan=plan, number=2, title="Interactive training")
    activity.title = "Interactive training and academic workshops"
    activity.save()
    sign_in(cica.staff)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/admin/actionplans/actionplan/{plan.pk}/history/")

    changes = page.locator(".related-history tbody tr").first.inner_text()
    assert "Interactive training → Interactive training and academic workshops" in changes
    assert "None" not in page.locator("#content-main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_circulate_form_reads_on_a_phone(live_server, page, sign_in, cica):
    paper = f.ConceptPaperFactory(
        forum=cica.forum, title="Workshop on water security: concept note", status="ready"
    )
    contact = f.ContactFactory(
        institute=cica.institute,
        full_name="Aigerim Nurlanovna Seitkali-Bekova",
        email="a.seitkali-bekova@institute-of-strategic-studies.example.org",
    )
    f.FocalPointFactory(contact=contact, forum=cica.forum)
    sign_in(cica.staff)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/admin/secretariat/conceptpaper/{paper.pk}/circulate/")

    assert page.locator("#circulate-form .form-row").count() >= 3
    assert page.locator(".email-preview").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    preview = page.locator(".email-preview").bounding_box()
    assert preview["x"] + preview["width"] <= 390


def test_the_forum_page_names_the_forum_in_russian(live_server, page, cica):
    cica.forum.name_ru = "Форум аналитических центров СВМДА"
    cica.forum.save()
    cica.forum.framework.working_languages = "en, ru"
    cica.forum.framework.save()
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/ru/forums/{cica.forum.slug}/")

    assert page.locator("h1").inner_text() == "Форум аналитических центров СВМДА"
    assert "английский, русский" in page.locator(".sidebar").inner_text()
