"""Celery entry points of the catalogue."""

from celery import shared_task

from publications.models import Publication
from publications.services import publication_extract_text


@shared_task(name="publications.extract_text", acks_late=True, ignore_result=True)
def extract_publication_text(publication_id: int) -> None:
    """Reads an uploaded PDF's text into the catalogue's search (safe to run twice)."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is not None:
        publication_extract_text(publication=publication)
