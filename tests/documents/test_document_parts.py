"""Changing an activity or a signatory on its own admin page changes its document."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.html import form_data, page

pytestmark = pytest.mark.django_db


def test_editing_an_activity_raises_its_plans_version_and_renders_it_again(
    client, cica, django_capture_on_commit_callbacks
):
    activity = f.ActivityFactory(plan=f.ActionPlanFactory(forum=cica.forum), number=1)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        url = reverse("admin:actionplans_activity_change", args=[activity.pk])
        data = form_data(page(client.get(url)), "#activity_form")
        data |= {"title": ["Workshops on water"], "text": ["Several workshops will be organized."]}
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    activity.plan.refresh_from_db()
    assert activity.plan.version == 2
    assert len(callbacks) == 1


def test_deleting_a_signatory_raises_its_statements_version(client, cica):
    signatory = f.SignatoryFactory(statement=f.JointStatementFactory(forum=cica.forum))
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:actionplans_signatory_delete", args=[signatory.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    signatory.statement.refresh_from_db()
    assert signatory.statement.version == 2
