"""A plan's or a statement's PDF changes whenever one of its parts goes or leaves it: deleting
activities or signatories from the list ("Delete selected") and moving one to another
document raise the version of each document concerned, once, and render it again."""

import pytest
from django.urls import reverse

from actionplans.models import Activity, Signatory
from tests import factories as f
from tests.html import form_data, page

pytestmark = pytest.mark.django_db


def _versions(documents) -> list[int]:
    return [type(d).objects.get(pk=d.pk).version for d in documents]


def _delete_selected(client, model, objects):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in objects], "post": "yes"},
    )


def test_deleting_selected_activities_changes_each_of_their_plans_once(
    client, cica, django_capture_on_commit_callbacks
):
    first, second, untouched = f.ActionPlanFactory.create_batch(3, forum=cica.forum)
    doomed = [
        f.ActivityFactory(plan=first),
        f.ActivityFactory(plan=first),
        f.ActivityFactory(plan=second),
    ]
    f.ActivityFactory(plan=untouched)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = _delete_selected(client, Activity, doomed)

    assert response.status_code == 302
    assert not Activity.objects.filter(pk__in=[a.pk for a in doomed]).exists()
    assert _versions([first, second, untouched]) == [2, 2, 1]
    assert len(callbacks) == 2


def test_deleting_selected_signatories_changes_their_statements(
    client, cica, django_capture_on_commit_callbacks
):
    first, second = f.JointStatementFactory.create_batch(2, forum=cica.forum)
    doomed = [f.SignatoryFactory(statement=first), f.SignatoryFactory(statement=second)]
    kept = f.SignatoryFactory(statement=first)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = _delete_selected(client, Signatory, doomed)

    assert response.status_code == 302
    assert list(Signatory.objects.values_list("pk", flat=True)) == [kept.pk]
    assert _versions([first, second]) == [2, 2]
    assert len(callbacks) == 2


def test_moving_an_activity_to_another_plan_changes_both_plans(
    client, cica, django_capture_on_commit_callbacks
):
    old, new = f.ActionPlanFactory.create_batch(2, forum=cica.forum)
    activity = f.ActivityFactory(plan=old, number=1)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        url = reverse("admin:actionplans_activity_change", args=[activity.pk])
        data = form_data(page(client.get(url)), "#activity_form") | {"plan": [str(new.pk)]}
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Activity.objects.get(pk=activity.pk).plan == new
    assert _versions([old, new]) == [2, 2]
    assert len(callbacks) == 2


def test_moving_a_signatory_to_another_statement_changes_both_statements(
    client, cica, django_capture_on_commit_callbacks
):
    old, new = f.JointStatementFactory.create_batch(2, forum=cica.forum)
    signatory = f.SignatoryFactory(statement=old, position=1)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:actionplans_signatory_change", args=[signatory.pk]),
            {"statement": new.pk, "institute": signatory.institute_id, "position": 1},
        )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Signatory.objects.get(pk=signatory.pk).statement == new
    assert _versions([old, new]) == [2, 2]
    assert len(callbacks) == 2


def test_editing_a_signatory_without_moving_it_changes_only_its_statement(
    client, cica, django_capture_on_commit_callbacks
):
    statement, other = f.JointStatementFactory.create_batch(2, forum=cica.forum)
    signatory = f.SignatoryFactory(statement=statement, position=1)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:actionplans_signatory_change", args=[signatory.pk]),
            {"statement": statement.pk, "institute": signatory.institute_id, "position": 2},
        )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _versions([statement, other]) == [2, 1]
    assert len(callbacks) == 1
