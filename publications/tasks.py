"""Celery entry points of the catalogue."""

from celery import shared_task
from django.http import QueryDict
from django.utils import translation

from members.harvesting import harvest_runs_queue_due
from publications.harvest.services import harvest_run_execute
from publications.models import Publication
from publications.selectors import catalogue_facets_recount
from publications.services import publication_extract_text


@shared_task(name="publications.extract_text", acks_late=True, ignore_result=True)
def extract_publication_text(publication_id: int) -> None:
    """Reads an uploaded PDF's text into the catalogue's search (safe to run twice)."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is not None:
        publication_extract_text(publication=publication)


@shared_task(name="publications.recount_catalogue_facets", ignore_result=True)
def recount_catalogue_facets(query: str, language: str) -> None:
    """Counts the catalogue's facets for one state of its filters (``query``, as in the
    page's address) after a change, for the pages serving the previous counts meanwhile
    (safe to run twice)."""
    with translation.override(language):
        catalogue_facets_recount(data=QueryDict(query))


@shared_task(name="publications.harvest_run", acks_late=True, ignore_result=True)
def harvest_run(run_id: int) -> str:
    """Harvests one queued run of an institute's repository (safe to run twice: a run
    already taken is left to the worker that has it)."""
    run = harvest_run_execute(run_id=run_id)
    return run.status if run is not None else "skipped"


@shared_task(name="publications.harvest_due", ignore_result=True)
def harvest_due() -> int:
    """Periodic: settles runs a worker lost and queues one harvest of every registered
    repository whose institute has none queued or running."""
    return len(harvest_runs_queue_due())
