"""Harvest runs as jobs: queued once per institute, taken once, handed to workers after
commit, and settled when a worker died."""

import datetime

import pytest
from django.utils import timezone

from members.enums import HarvestStatus
from members.harvesting import (
    HarvestNotStarted,
    harvest_run_claim,
    harvest_run_queue,
    harvest_runs_queue_due,
)
from members.models import HarvestRun, HarvestSource
from publications.tasks import harvest_due, harvest_run
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(cica, kca):
    """Three registered repositories: CICA's and KCA's institutes', and one switched off."""
    idle = f.InstituteFactory(name="Idle Institute")
    f.MembershipFactory(institute=idle, forum=cica.forum)
    return [
        HarvestSource.objects.create(
            institute=cica.institute, forum=cica.forum, base_url="https://cica.example.org/oai"
        ),
        HarvestSource.objects.create(
            institute=kca.institute, forum=kca.forum, base_url="https://kca.example.org/oai"
        ),
        HarvestSource.objects.create(
            institute=idle,
            forum=cica.forum,
            base_url="https://idle.example.org/oai",
            is_active=False,
        ),
    ]


def test_the_periodic_task_queues_each_registered_institute_once(
    sources, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        queued = harvest_due()
        again = harvest_due()

    assert (queued, again) == (2, 0)
    assert sorted(HarvestRun.objects.values_list("institute__name", "status")) == [
        ("CICA Institute", HarvestStatus.QUEUED),
        ("KCA Institute", HarvestStatus.QUEUED),
    ]
    assert len(callbacks) == 2  # one task each, enqueued after commit


def test_a_second_run_of_an_institute_is_refused_while_one_is_active(sources):
    harvest_run_queue(source=sources[0], by=None)

    with pytest.raises(HarvestNotStarted) as refused:
        harvest_run_queue(source=sources[0], by=None)

    assert refused.value.messages == ["A harvest of this institute is already queued or running."]
    assert HarvestRun.objects.count() == 1


def test_a_switched_off_repository_is_not_harvested(sources):
    with pytest.raises(HarvestNotStarted) as refused:
        harvest_run_queue(source=sources[2], by=None)

    assert refused.value.messages == ["Harvesting from this repository is switched off."]
    assert HarvestRun.objects.count() == 0


def test_a_run_is_taken_once_and_its_task_may_run_twice(sources):
    HarvestSource.objects.filter(pk=sources[0].pk).update(harvested_until="2025-01-10")
    run = harvest_run_queue(source=sources[0], by=None)

    taken = harvest_run_claim(run_id=run.pk)

    assert (taken.status, taken.from_datestamp) == (HarvestStatus.RUNNING, "2025-01-10")
    assert harvest_run_claim(run_id=run.pk) is None
    assert harvest_run(run.pk) == "skipped"  # the task delivered again does nothing


def test_a_run_whose_worker_died_fails_and_frees_its_institute(sources, settings):
    settings.HARVEST_RUN_LEASE_SECONDS = 3600
    run = harvest_run_queue(source=sources[0], by=None)
    harvest_run_claim(run_id=run.pk)
    HarvestRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=2)
    )

    queued = harvest_runs_queue_due()

    run.refresh_from_db()
    assert (run.status, run.error) == (
        HarvestStatus.FAILED,
        "Interrupted: the worker stopped before the harvest ended.",
    )
    assert sorted(r.institute.name for r in queued) == ["CICA Institute", "KCA Institute"]
