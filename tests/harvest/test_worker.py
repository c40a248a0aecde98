"""A harvest queued from the admin's service is run by a real Celery worker, on the real
broker, against the live OAI-PMH server."""

import pytest
from django.db import transaction

from members.enums import HarvestStatus
from members.harvesting import harvest_run_queue
from members.models import HarvestRun, HarvestSource
from portal.celery import app as celery_app
from publications.models import Publication
from tests.celery_worker import WorkerProcess, wait_for
from tests.harvest.conftest import record

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
]


def test_a_worker_harvests_a_queued_run(cica, oai, private_media):
    oai.records = [record(n, datestamp=f"2025-01-1{n}") for n in range(1, 6)]
    source = HarvestSource.objects.create(
        institute=cica.institute, forum=cica.forum, base_url=oai.url
    )
    celery_app.control.purge()
    worker = WorkerProcess(
        name="harvest", concurrency=1, env={"PRIVATE_MEDIA_ROOT": str(private_media)}
    ).start()
    try:
        with transaction.atomic():
            run = harvest_run_queue(source=source, by=cica.staff)
        wait_for(
            lambda: (
                HarvestRun.objects.get(pk=run.pk).status
                in (HarvestStatus.SUCCEEDED, HarvestStatus.FAILED)
            ),
            timeout=60,
            message="the run did not end",
        )
    finally:
        worker.stop()

    run.refresh_from_db()
    assert (run.status, run.records_seen, run.records_new, run.error) == (
        HarvestStatus.SUCCEEDED,
        5,
        5,
        "",
    )
    assert sorted(Publication.objects.values_list("oai_identifier", flat=True)) == [
        f"oai:repo.example.org:{n}" for n in range(1, 6)
    ]
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-01-15"
