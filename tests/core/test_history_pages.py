"""History pages in the admin (core.history, templates/simple_history): who changed what
and why, read-only, with the changes of the rows edited on the object's page."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.html import page, texts

pytestmark = pytest.mark.django_db


def _history(admin_name: str, pk: int) -> str:
    return reverse(f"admin:{admin_name}_history", args=[pk])


def test_a_change_says_who_what_and_why_and_nothing_prints_none(client, cica):
    institute = cica.institute
    institute.website = "https://old.example.org"
    institute.save()
    institute.website = "https://new.example.org"
    institute._change_reason = "New domain"
    institute.updated_by = cica.staff
    institute.save()
    client.force_login(cica.staff)

    root = page(client.get(_history("members_institute", institute.pk)))

    rows = list(root.query_all(".history-module:first-child tbody tr"))
    first = texts(rows[0], "td")
    assert first[1:4] == ["Changed", "the portal", "New domain"]
    assert first[4] == "Website: https://old.example.org → https://new.example.org"
    assert "None" not in texts(root, "#content-main")[0]


def test_an_entry_is_not_a_link_to_a_revert_form(client, cica):
    client.force_login(cica.staff)
    root = page(client.get(_history("members_institute", cica.institute.pk)))
    assert list(root.query_all(".history-module a[href*='/history/']")) == []


def test_an_activity_edited_on_the_plan_shows_on_the_plans_history(client, cica):
    plan = f.ActionPlanFactory(forum=cica.forum)
    activity = f.ActivityFactory(plan=plan, number=3, title="Expert workshop")
    activity.title = "Expert <b>workshop</b> on water"
    activity._change_reason = "Agreed at the meeting"
    activity.save()
    client.force_login(cica.staff)

    root = page(client.get(_history("actionplans_actionplan", plan.pk)))

    assert texts(root, ".related-history h2") == ["Changes to its activities"]
    newest = texts(root.query(".related-history tbody tr"), "td")
    assert newest[0] == "3. Expert <b>workshop</b> on water"
    assert newest[2] == "Changed"
    assert newest[4] == "Agreed at the meeting"
    assert newest[5] == "Title: Expert workshop → Expert <b>workshop</b> on water"
    assert texts(root, ".related-history tbody tr td:nth-child(3)") == ["Changed", "Created"]


def test_another_secretariats_plan_history_is_not_found(client, cica, kca):
    plan = f.ActionPlanFactory(forum=kca.forum)
    client.force_login(cica.staff)
    assert client.get(_history("actionplans_actionplan", plan.pk)).status_code == 404
