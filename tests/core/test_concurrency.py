"""No lost updates (core.concurrency): two people open the same record; the second to save
is refused where the first changed a field since, sees what changed and by whom, and
saves their own changes on the current version."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.concurrency import ROW_STATE, digest
from members.models import Institute
from tests import factories as f
from tests.html import form_data, page, texts

pytestmark = pytest.mark.django_db
FIVE_HOURS = datetime.timedelta(hours=5)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(cica):
    """A second member of the CICA secretariat's staff."""
    user = f.StaffUserFactory(username="colleague", first_name="Aigerim", last_name="Sadykova")
    cica.secretariat.staff.add(user)
    return user


def _institute_url(institute) -> str:
    return reverse("admin:members_institute_change", args=[institute.pk])


def _opened(client, url, selector="form#institute_form"):
    return form_data(page(client.get(url)), selector)


def _both_open(url, me, them, selector="form#institute_form"):
    """Two people, each signed in in a browser of their own, with ``url`` open:
    (my client, my page's form, their client, their page's form)."""
    mine, theirs = _client(me), _client(them)
    return mine, _opened(mine, url, selector), theirs, _opened(theirs, url, selector)


def test_the_admin_refuses_to_save_over_a_field_changed_since_the_page_was_opened(
    cica, cica_staff, colleague
):
    institute = cica.institute
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)

    their_page["website"] = ["https://their.example.org"]
    assert theirs.post(url, their_page).status_code == 302
    my_page["phone"] = ["+7 7172 00 00 00"]
    response = mine.post(url, my_page)

    assert response.status_code == 200
    institute.refresh_from_db()
    assert (institute.website, institute.phone) == ("https://their.example.org", "")
    shown = page(response)
    [note] = texts(shown, "ul.errorlist.nonfield li")
    head, tail = note.split("): ", 1)
    assert head.startswith("Not saved: while you were editing, Aigerim Sadykova changed this (")
    assert tail == (
        "Website: “https://their.example.org”. The form now shows their version of what you "
        "did not change, with your own changes kept. Check it and save again."
    )
    again = form_data(shown, "form#institute_form")
    assert again["website"] == ["https://their.example.org"]
    assert again["phone"] == ["+7 7172 00 00 00"]


def test_the_refused_page_sent_again_saves_both_changes(cica, cica_staff, colleague):
    institute = cica.institute
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)
    their_page["website"] = ["https://their.example.org"]
    theirs.post(url, their_page)
    my_page["phone"] = ["+7 7172 00 00 00"]
    again = form_data(page(mine.post(url, my_page)), "form#institute_form")

    assert mine.post(url, again).status_code == 302
    institute.refresh_from_db()
    assert (institute.website, institute.phone) == (
        "https://their.example.org",
        "+7 7172 00 00 00",
    )
    assert institute.updated_by == cica_staff


def test_a_field_both_changed_keeps_the_senders_value_and_names_theirs(cica, cica_staff, colleague):
    institute = cica.institute
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)
    their_page["phone"] = ["+7 111"]
    theirs.post(url, their_page)
    my_page["phone"] = ["+7 222"]

    shown = page(mine.post(url, my_page))

    institute.refresh_from_db()
    assert institute.phone == "+7 111"
    assert form_data(shown, "form#institute_form")["phone"] == ["+7 222"]
    assert texts(shown, ".field-phone .errorlist li") == [
        "Aigerim Sadykova changed this to “+7 111” while you were editing. Your version "
        "is shown: keep it or take theirs, then save again."
    ]


def test_a_change_to_a_field_the_sender_did_not_touch_and_the_form_does_not_show_is_no_conflict(
    cica, cica_staff
):
    institute = cica.institute
    url = _institute_url(institute)
    client = _client(cica_staff)
    opened = _opened(client, url)
    Institute.objects.filter(pk=institute.pk).update(public_logo="logos/elsewhere.png")
    opened["phone"] = ["+7 333"]

    assert client.post(url, opened).status_code == 302
    institute.refresh_from_db()
    assert institute.phone == "+7 333"


def test_an_inline_row_changed_since_the_page_was_opened_is_refused(cica, cica_staff, colleague):
    institute = cica.institute
    contact = f.ContactFactory(institute=institute, full_name="Dana Omarova", phone="")
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)
    [prefix] = [k[: -len("-full_name")] for k, v in my_page.items() if v == ["Dana Omarova"]]
    their_page[f"{prefix}-position"] = ["Director"]
    assert theirs.post(url, their_page).status_code == 302
    my_page[f"{prefix}-phone"] = ["+7 444"]

    response = mine.post(url, my_page)

    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.position, contact.phone) == ("Director", "")
    again = form_data(page(response), "form#institute_form")
    assert again[f"{prefix}-position"] == ["Director"]
    assert again[f"{prefix}-phone"] == ["+7 444"]
    assert mine.post(url, again).status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.phone) == ("Director", "+7 444")


def test_a_form_sent_without_its_row_state_is_not_guarded(cica, cica_staff, colleague):
    institute = cica.institute
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)
    assert ROW_STATE in my_page
    del my_page[ROW_STATE]
    their_page["website"] = ["https://their.example.org"]
    theirs.post(url, their_page)

    assert mine.post(url, my_page).status_code == 302
    institute.refresh_from_db()
    assert institute.website == ""


def test_a_forged_row_state_is_ignored_not_trusted(cica, cica_staff, colleague):
    institute = cica.institute
    url = _institute_url(institute)
    mine = _client(cica_staff)
    my_page = _opened(mine, url)
    my_page[ROW_STATE] = [my_page[ROW_STATE][0][:-3] + "xyz"]
    my_page["phone"] = ["+7 555"]

    assert mine.post(url, my_page).status_code == 302
    assert Institute.objects.get(pk=institute.pk).phone == "+7 555"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (None, ""),
        ("line one\r\nline two ", "line one\nline two"),
        (datetime.date(2026, 12, 2), datetime.date(2026, 12, 2)),
        (
            datetime.datetime(2026, 12, 2, 18, 0, 30, 123456, tzinfo=datetime.UTC),
            datetime.datetime(2026, 12, 2, 23, 0, 30, tzinfo=datetime.timezone(FIVE_HOURS)),
        ),
        (Decimal("1.50"), Decimal("1.5")),
        (7, "7"),
        ([3, 1], ["1", "3"]),
    ],
)
def test_a_value_from_the_row_and_the_same_value_from_the_form_have_one_digest(a, b):
    assert digest(a) == digest(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("", "0"),
        (True, "false"),
        (datetime.date(2026, 12, 2), datetime.date(2026, 12, 3)),
        ([1, 2], [1]),
        ("https://a.example.org", "https://b.example.org"),
    ],
)
def test_different_values_have_different_digests(a, b):
    assert digest(a) != digest(b)


# --- The member workspace ----------------------------------------------------------------


@pytest.fixture
def two_members(cica):
    from tests.workspace.helpers import member_of

    return (
        member_of(cica, username="member-a", full_name="Aigerim Sadykova"),
        member_of(cica, username="member-b", full_name="Nurlan Abenov"),
    )


def test_the_workspace_profile_refuses_to_save_over_a_colleagues_change(
    cica, two_members, eager_celery
):
    a, b = two_members
    url = reverse("workspace:institute")
    mine, my_page, theirs, their_page = _both_open(url, a.user, b.user, "form.profile-form")
    their_page["website"] = ["https://their.example.org"]
    assert theirs.post(url, their_page).status_code == 302
    my_page["phone"] = ["+7 666"]

    response = mine.post(url, my_page)

    assert response.status_code == 200
    institute = Institute.objects.get(pk=cica.institute.pk)
    assert (institute.website, institute.phone) == ("https://their.example.org", "")
    shown = page(response)
    [note] = texts(shown, ".notice-error li")
    assert note.startswith("Not saved: while you were editing, Nurlan Abenov changed this (")
    again = form_data(shown, "form.profile-form")
    assert (again["website"], again["phone"]) == (["https://their.example.org"], ["+7 666"])
    assert mine.post(url, again).status_code == 302
    institute.refresh_from_db()
    assert (institute.website, institute.phone) == ("https://their.example.org", "+7 666")


def test_a_contact_edited_by_two_members_keeps_both_changes(cica, two_members, eager_celery):
    a, b = two_members
    target = f.ContactFactory(institute=cica.institute, full_name="Dana Omarova")
    url = reverse("workspace:contact_edit", args=[target.pk])
    mine, my_page, theirs, their_page = _both_open(url, a.user, b.user, "main form")
    their_page["position"] = ["Director"]
    assert theirs.post(url, their_page).status_code == 302
    my_page["phone"] = ["+7 777"]

    shown = page(mine.post(url, my_page))
    target.refresh_from_db()
    assert (target.position, target.phone) == ("Director", "")
    assert mine.post(url, form_data(shown, "main form")).status_code == 302
    target.refresh_from_db()
    assert (target.position, target.phone) == ("Director", "+7 777")


def test_the_other_persons_markup_in_the_note_is_text(cica, cica_staff, colleague):
    institute = cica.institute
    url = _institute_url(institute)
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague)
    their_page["phone"] = ["<img src=x onerror=alert(1)>"]
    theirs.post(url, their_page)
    my_page["phone"] = ["+7 888"]

    response = mine.post(url, my_page)

    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_plans_language_version_edited_by_two_staff_members_keeps_both_changes(
    cica, cica_staff, colleague
):
    from actionplans.models import ActionPlanTranslation, ActivityTranslation
    from actionplans.services import plan_version_save

    plan = f.ActionPlanFactory(forum=cica.forum, title="Annual Action Plan for 2025")
    activity = f.ActivityFactory(plan=plan, number=1, title="", text="A forum will be held.")
    plan_version_save(
        plan=plan,
        language="ru",
        title="Ежегодный план",
        preamble="",
        is_official=False,
        source="",
        texts={activity.pk: ""},
        by=None,
    )
    url = reverse("admin:actionplans_actionplan_versions", args=[plan.pk, "ru"])
    mine, my_page, theirs, their_page = _both_open(url, cica_staff, colleague, "main form")
    their_page[f"activity_{activity.pk}"] = ["Будет проведён форум."]
    assert theirs.post(url, their_page).status_code == 302
    my_page["title"] = ["Ежегодный план действий на 2025 год"]

    shown = page(mine.post(url, my_page))

    assert ActionPlanTranslation.objects.get(plan=plan).title == "Ежегодный план"
    [note] = texts(shown, "main form p.errornote")
    assert note.startswith("Not saved: while you were editing, Aigerim Sadykova changed this (")
    again = form_data(shown, "main form")
    assert again[f"activity_{activity.pk}"] == ["Будет проведён форум."]
    assert mine.post(url, again).status_code == 302
    assert ActionPlanTranslation.objects.get(plan=plan).title == (
        "Ежегодный план действий на 2025 год"
    )
    assert ActivityTranslation.objects.get(activity=activity).text == "Будет проведён форум."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_pages_sent_at_the_same_moment_save_one_and_refuse_the_other(
    cica, cica_staff, colleague
):
    """Both pages were opened before either was sent and both change the website: the
    row lock makes one wait for the other's save, then see it and refuse."""
    import threading

    from django.db import connection

    url = _institute_url(cica.institute)
    pages = []
    for user, website in (
        (cica_staff, "https://one.example.org"),
        (colleague, "https://two.example.org"),
    ):
        client = _client(user)
        data = _opened(client, url)
        data["website"] = [website]
        pages.append((client, data))
    start = threading.Barrier(2)
    statuses = []

    def send(client, data):
        start.wait()
        statuses.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]
    assert Institute.history.filter(id=cica.institute.pk).count() == 2


def test_every_admin_page_that_can_change_a_row_is_guarded(rf, superuser):
    from django.contrib import admin

    from core.adminbase import RowStateAdminMixin

    request = rf.get("/admin/")
    request.user = superuser
    unguarded = sorted(
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, RowStateAdminMixin)
        and model_admin.has_change_permission(request)
        # Django's and allauth's own pages (logins, groups, addresses): superusers only.
        and model._meta.app_label not in ("auth", "account", "mfa")
    )
    assert unguarded == []


def test_a_page_sent_twice_by_a_double_click_is_saved_not_refused(cica, cica_staff):
    """The second send finds the row as the first left it, which is what it asks for:
    nobody else changed anything, so there is nothing to refuse."""
    url = _institute_url(cica.institute)
    client = _client(cica_staff)
    opened = _opened(client, url)
    opened["website"] = ["https://mine.example.org"]

    assert client.post(url, opened).status_code == 302
    assert client.post(url, opened).status_code == 302
    assert Institute.objects.get(pk=cica.institute.pk).website == "https://mine.example.org"
