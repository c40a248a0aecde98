"""Members volunteer to moderate a theme of a workshop series of their forums' adopted
action plans; the secretariat confirms or declines in the admin."""

import datetime

import pytest
from django.utils import timezone

from actionplans.models import ActivityModerator
from tests import factories as f
from tests.html import page, texts
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/actionplans/activitymoderator/"


def _workshop(tenant, *themes, status="adopted"):
    plan = f.ActionPlanFactory(
        forum=tenant.forum, status=status, adopted_on=datetime.date(2024, 12, 1)
    )
    activity = f.ActivityFactory(plan=plan, kind="workshop_series", title="Regional workshops")
    activity.themes.set(themes)
    return activity


@pytest.fixture
def water():
    return f.ThemeFactory(name="Water security", slug="water")


@pytest.fixture
def energy():
    return f.ThemeFactory(name="Energy transition", slug="energy")


@pytest.fixture
def member_a(cica):
    return member_of(cica, username="member-a")


@pytest.fixture
def member_b(kca):
    return member_of(kca, username="member-b")


def _volunteer(client, activity, theme):
    return client.post(f"/members/workshops/{activity.pk}/volunteer/", {"theme": theme.pk})


def test_the_workshops_page_lists_own_forums_adopted_workshop_series(
    client, cica, kca, member_a, water
):
    mine = _workshop(cica, water)
    draft = f.ActivityFactory(
        plan=f.ActionPlanFactory(forum=cica.forum, status="draft"), title="Draft series"
    )
    theirs = _workshop(kca, water)
    theirs.title = "Their workshops"
    theirs.save()
    client.force_login(member_a.user)

    response = client.get("/members/workshops/")

    assert response.status_code == 200
    shown = [a.pk for a, _theme_rows in response.context["activities"]]
    assert shown == [mine.pk]
    assert draft.pk not in shown
    assert b"Their workshops" not in response.content
    assert b"Water security" in response.content


def test_the_russian_page_names_the_themes_in_russian(client, cica, member_a):
    theme = f.ThemeFactory(name="Water security", name_ru="Водная безопасность", slug="water")
    _workshop(cica, theme)
    client.force_login(member_a.user)

    names = texts(page(client.get("/ru/members/workshops/")), ".workshop-themes li")

    assert [" ".join(name.split()[:2]) for name in names] == ["Водная безопасность"]


def test_a_member_volunteers_once_and_a_second_post_changes_nothing(
    client, cica, member_a, water, energy
):
    activity = _workshop(cica, water, energy)
    client.force_login(member_a.user)

    assert _volunteer(client, activity, water).status_code == 302
    row = ActivityModerator.objects.get()
    assert (row.activity, row.institute, row.theme, row.status) == (
        activity,
        cica.institute,
        water,
        "volunteered",
    )
    assert _volunteer(client, activity, water).status_code == 302
    assert ActivityModerator.objects.count() == 1
    assert ActivityModerator.objects.get().updated_at == row.updated_at

    page = client.get("/members/workshops/")
    assert page.context["activities"][0][1] == [(energy, None), (water, row)]


def test_a_member_of_another_forum_cannot_volunteer(client, cica, kca, member_b, water):
    activity = _workshop(cica, water)
    client.force_login(member_b.user)

    assert _volunteer(client, activity, water).status_code == 404
    assert not ActivityModerator.objects.exists()


def test_a_member_of_both_forums_may_volunteer(client, cica, kca, member_b, water):
    f.MembershipFactory(institute=kca.institute, forum=cica.forum)
    activity = _workshop(cica, water)
    client.force_login(member_b.user)

    assert _volunteer(client, activity, water).status_code == 302
    assert ActivityModerator.objects.get().institute == kca.institute


def test_a_theme_not_of_the_activity_answers_404(client, cica, member_a, water, energy):
    activity = _workshop(cica, water)
    client.force_login(member_a.user)

    assert _volunteer(client, activity, energy).status_code == 404
    assert (
        client.post(f"/members/workshops/{activity.pk}/volunteer/", {"theme": "x"}).status_code
        == 404
    )
    assert not ActivityModerator.objects.exists()


def test_a_draft_plans_activity_answers_404(client, cica, member_a, water):
    activity = _workshop(cica, water, status="draft")
    client.force_login(member_a.user)

    assert _volunteer(client, activity, water).status_code == 404
    assert not ActivityModerator.objects.exists()


@pytest.mark.parametrize("url", ["/members/workshops/", "/members/workshops/1/volunteer/"])
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.post(url) if "volunteer" in url else client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("action", "status"), [("confirm", "confirmed"), ("decline", "declined")])
def test_staff_confirm_or_decline_a_volunteer(client, cica, water, action, status):
    activity = _workshop(cica, water)
    row = f.ActivityModeratorFactory(activity=activity, institute=cica.institute, theme=water)
    client.force_login(cica.staff)

    response = client.post(CHANGELIST, {"action": action, "_selected_action": [row.pk]})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == status
    assert row.decided_on == timezone.localdate()


def test_staff_of_another_secretariat_cannot_confirm(client, cica, kca, water):
    row = f.ActivityModeratorFactory(
        activity=_workshop(cica, water), institute=cica.institute, theme=water
    )
    client.force_login(kca.staff)

    client.post(CHANGELIST, {"action": "confirm", "_selected_action": [row.pk]})

    row.refresh_from_db()
    assert (row.status, row.decided_on) == ("volunteered", None)
