"""What a secretariat user finds in the admin after `seed_forums`."""

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan, JointStatement
from forums.models import Forum, Secretariat
from secretariat.seeding import seed_forums
from secretariat.seeding.data import STATEMENT_PARAGRAPHS
from tests import factories as f


@pytest.fixture
def seeded(db):
    seed_forums()


def _staff_of(secretariat_name: str):
    user = f.StaffUserFactory(username=f"staff-{secretariat_name[:20]}")
    Secretariat.objects.get(name=secretariat_name).staff.add(user)
    return user


def test_superuser_finds_both_forums(client, seeded, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:forums_forum_changelist"))
    assert sorted(str(forum) for forum in response.context["cl"].result_list) == [
        "CICA Think Tank Forum",
        "Korea–Central Asia Think Tank Forum",
    ]


def test_kca_staff_find_the_six_participants_and_the_statement(client, seeded):
    staff = _staff_of(Forum.objects.get(slug__startswith="korea").secretariat.name)
    client.force_login(staff)

    statement = JointStatement.objects.get()
    page = client.get(reverse("admin:actionplans_jointstatement_change", args=[statement.pk]))

    participants = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.position for form in participants.forms] == [1, 2, 3, 4, 5, 6]
    text = page.context["adminform"].form.initial["text"]
    assert all(paragraph in text for paragraph in STATEMENT_PARAGRAPHS)
    assert page.status_code == 200


def test_cica_staff_find_the_plan_with_seven_activities_and_not_the_kca_forum(client, seeded):
    staff = _staff_of("CICA Secretariat")
    client.force_login(staff)
    plan = ActionPlan.objects.get()

    plan_page = client.get(reverse("admin:actionplans_actionplan_change", args=[plan.pk]))
    forums = client.get(reverse("admin:forums_forum_changelist"))
    statement = JointStatement.objects.get()

    # The language versions come first, then the activities.
    activity_formset = plan_page.context["inline_admin_formsets"][1].formset
    assert [form.instance.number for form in activity_formset.forms] == [1, 2, 3, 4, 5, 6, 7]
    assert [str(forum) for forum in forums.context["cl"].result_list] == ["CICA Think Tank Forum"]
    assert (
        client.get(
            reverse("admin:actionplans_jointstatement_change", args=[statement.pk])
        ).status_code
        == 404
    )
