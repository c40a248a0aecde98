"""The secretariat's pages for harvesting: registrations and runs, scoped to the user's
secretariat; "Harvest now" queues a run and harvests nothing in the request."""

import pytest
from django.urls import reverse

from members.enums import HarvestStatus
from members.models import HarvestRun, HarvestSource
from tests import factories as f
from tests.harvest.conftest import record

pytestmark = pytest.mark.django_db


def _run(tenant, **fields) -> HarvestRun:
    values = {
        "institute": tenant.institute,
        "forum": tenant.forum,
        "base_url": "https://repo.example.org/oai",
        "status": HarvestStatus.SUCCEEDED,
    }
    return HarvestRun.objects.create(**{**values, **fields})


def test_staff_see_only_their_secretariats_runs(client, cica, kca):
    ours = _run(cica, error="CICA run")
    theirs = _run(kca, error="KCA run")
    client.force_login(cica.staff)

    listed = client.get(reverse("admin:members_harvestrun_changelist"))
    other = client.get(reverse("admin:members_harvestrun_change", args=[theirs.pk]))
    own = client.get(reverse("admin:members_harvestrun_change", args=[ours.pk]))

    assert [row.pk for row in listed.context["cl"].result_list] == [ours.pk]
    assert "KCA" not in listed.content.decode()
    assert other.status_code == 404
    assert own.status_code == 200


def test_a_runs_page_shows_its_counts_error_and_notes(client, cica):
    run = _run(
        cica,
        status=HarvestStatus.FAILED,
        records_seen=7,
        records_failed=1,
        error="The repository answered HTTP 500.",
        notes=[{"identifier": "oai:x:1", "reason": "no <dc:title>"}],
    )
    client.force_login(cica.staff)

    content = client.get(reverse("admin:members_harvestrun_change", args=[run.pk])).content.decode()

    assert "The repository answered HTTP 500." in content
    assert "<li><code>oai:x:1</code>: no &lt;dc:title&gt;</li>" in content


@pytest.mark.parametrize("n", [1, 30])
def test_the_runs_list_costs_the_same_queries_for_one_run_or_thirty(
    client, cica, n, django_assert_num_queries
):
    for _ in range(n):
        _run(cica)
    client.force_login(cica.staff)
    client.get(reverse("admin:members_harvestrun_changelist"))  # sessions, caches

    with django_assert_num_queries(10):
        response = client.get(reverse("admin:members_harvestrun_changelist"))

    assert len(response.context["cl"].result_list) == n


def test_harvest_now_queues_a_run_and_harvests_nothing_in_the_request(
    client, cica, oai, django_capture_on_commit_callbacks
):
    oai.records = [record(1)]
    source = HarvestSource.objects.create(
        institute=cica.institute, forum=cica.forum, base_url=oai.url
    )
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:members_harvestsource_changelist"),
            {"action": "harvest_now", "_selected_action": [source.pk]},
            follow=True,
        )

    assert [str(m) for m in response.context["messages"]] == ["1 harvest queued; a worker runs it."]
    run = HarvestRun.objects.get()
    assert (run.status, run.requested_by, run.institute) == (
        HarvestStatus.QUEUED,
        cica.staff,
        cica.institute,
    )
    assert len(callbacks) == 1
    assert oai.requests == []


def test_staff_cannot_register_a_forum_the_institute_is_not_a_member_of(client, cica, kca):
    client.force_login(cica.staff)
    outsider = f.InstituteFactory(name="Unaffiliated Institute")

    response = client.post(
        reverse("admin:members_harvestsource_add"),
        {
            "institute": outsider.pk,
            "base_url": "https://repo.example.org/oai",
            "set_spec": "",
            "forum": cica.forum.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "forum": ["Your institute is not an admitted member of this forum."]
    }
    assert HarvestSource.objects.count() == 0


def test_staff_register_a_repository_that_publishes_without_review(client, cica):
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:members_harvestsource_add"),
        {
            "institute": cica.institute.pk,
            "base_url": "https://repo.example.org/oai",
            "set_spec": "publications:reports",
            "forum": cica.forum.pk,
            "is_active": "on",
            "arrives_approved": "on",
        },
    )

    assert response.status_code == 302
    source = HarvestSource.objects.get()
    assert (source.base_url, source.set_spec, source.arrives_approved, source.created_by) == (
        "https://repo.example.org/oai",
        "publications:reports",
        True,
        cica.staff,
    )
