"""A document's PDF follows what the document says whoever changed it: the admin, a
command, seed_forums, an institute renamed, a script. The probe found re-rendering only in
admin hooks, so every other writer left stale PDFs."""

import datetime

import pytest
from django.core.files.storage import storages
from django.db import transaction

from actionplans.models import ActionPlan, JointStatement
from documents.models import RenderJob
from documents.services import (
    document_changed,
    document_pdf_store,
    document_render,
    documents_refresh,
)
from members.models import Institute
from secretariat.seeding import seed_forums
from tests import factories as f
from tests.documents.test_documents import _reload, _statement

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


def test_renaming_a_signatory_institute_outdates_the_statement_and_it_is_rendered_again(
    private_media,
    cica,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    Institute.objects.filter(name="Korea Foundation").update(name="The Korea Foundation")

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_refresh() == 1

    statement = _reload(statement)
    assert (statement.version, statement.pdf_version) == (2, 2)
    assert statement.pdf.name == f"documents/{YEAR}/{statement.slug}-v2.pdf"
    assert documents_refresh() == 0


def test_a_document_without_a_pdf_is_rendered_and_a_waiting_one_is_not_asked_twice(
    private_media,
    cica,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    statement = _statement(cica.forum)
    RenderJob.objects.create(
        document_type="statement", object_id=statement.pk, version=1, status="queued"
    )
    plan = f.ActionPlanFactory(forum=cica.forum)

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_refresh() == 1

    assert _reload(plan).has_current_pdf is True
    assert _reload(statement).pdf.name == ""


def test_rendering_an_unchanged_version_keeps_its_file(private_media, cica):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    first = _reload(statement).pdf.name

    document_changed(document=statement)  # a save that changed nothing the PDF shows
    job = document_render(document_type="statement", object_id=statement.pk)

    statement = _reload(statement)
    assert (job.status, statement.version, statement.pdf_version) == ("done", 2, 2)
    assert statement.pdf.name == first
    assert storages["private"].listdir(f"documents/{YEAR}")[1] == [first.rsplit("/", 1)[1]]


def test_a_replaced_pdf_is_deleted_only_after_its_successor_is_committed(
    private_media, cica, django_capture_on_commit_callbacks
):
    """Readers keep the old file until the new one is the document's PDF for everybody;
    a transaction that rolls back leaves the document with its old, existing file."""
    private = storages["private"]
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    first = _reload(statement).pdf.name
    JointStatement.objects.filter(pk=statement.pk).update(version=2)

    with pytest.raises(RuntimeError), transaction.atomic():
        document_pdf_store(document=_reload(statement), version=2, pdf=b"%PDF-1.7 lost")
        raise RuntimeError("the rest of the transaction failed")
    assert (_reload(statement).pdf.name, private.exists(first)) == (first, True)

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        stored = document_pdf_store(document=_reload(statement), version=2, pdf=b"%PDF-1.7 v2")
    second = _reload(statement).pdf.name
    assert (stored, second != first, private.exists(first)) == (True, True, True)

    for callback in after_commit:
        callback()
    assert (private.exists(first), private.exists(second)) == (False, True)


def test_seed_forums_has_both_founding_documents_rendered_and_public_once(
    private_media, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        seed_forums()
    with django_capture_on_commit_callbacks() as second_run:
        seed_forums()

    statement = JointStatement.objects.get()
    plan = ActionPlan.objects.get()
    assert (statement.status, plan.status) == ("published", "adopted")
    assert (statement.version, plan.version) == (2, 2)
    assert statement.has_current_pdf and plan.has_current_pdf
    assert statement.public_pdf.name == (
        f"documents/{YEAR}/joint-statement-launching-korea-central-asia-think-tank-forum-v2.pdf"
    )
    assert plan.public_pdf.name == f"documents/{YEAR}/soc-2024-ii-dec-2-v2.pdf"
    assert RenderJob.objects.filter(status="done").count() == 2
    assert len(second_run) == 0  # nothing written, nothing asked for
