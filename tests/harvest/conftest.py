"""The harvest tests' repository: a real OAI-PMH server on 127.0.0.1 (tests/oai_server.py)
and the CICA institute's registration of it."""

import pytest

from members.harvesting import harvest_run_queue
from members.models import HarvestRun, HarvestSource
from publications.harvest.services import harvest_run_execute
from tests.oai_server import OaiRecord, OaiServer


@pytest.fixture
def oai():
    server = OaiServer(page_size=2).start()
    yield server
    server.stop()


@pytest.fixture
def source(cica, oai):
    return HarvestSource.objects.create(
        institute=cica.institute, forum=cica.forum, base_url=oai.url
    )


def harvest(source: HarvestSource) -> HarvestRun:
    """Queues a run of ``source`` and runs it here, as a worker would."""
    run = harvest_run_queue(source=source, by=None)
    harvest_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def record(n: int, datestamp: str = "2025-01-10", **dc) -> OaiRecord:
    """Record ``n`` of the test repository: a title and a date unless ``dc`` says more."""
    elements = {"title": [f"Report {n}"], "date": ["2024-03-01"], **dc}
    return OaiRecord(identifier=f"oai:repo.example.org:{n}", datestamp=datestamp, dc=elements)
