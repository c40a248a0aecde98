"""Keeping each document's PDF in step with its content: render jobs, versions, the race
between a slow render and a newer edit, failures, the command and the admin pages."""

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.urls import reverse

from actionplans.models import ActionPlan, JointStatement
from documents import registry, rendering
from documents.enums import DocumentType, RenderStatus
from documents.models import RenderJob
from documents.services import (
    document_changed,
    document_pdf_bytes,
    document_pdf_store,
    document_render,
)
from secretariat.enums import PaperKind
from secretariat.models import ConceptPaper
from tests import factories as f
from tests.secretariat.pdftools import pdf_text

YEAR = datetime.date.today().year


def _statement(forum, **kwargs) -> JointStatement:
    statement = f.JointStatementFactory(forum=forum, **kwargs)
    f.SignatoryFactory(statement=statement, institute__name="Korea Foundation")
    return statement


def _reload(document):
    return type(document).objects.get(pk=document.pk)


def test_render_stores_the_pdf_without_editing_the_document(private_media, cica):
    statement = _statement(cica.forum, title="Joint Statement of Astana")
    updated_at = statement.updated_at

    job = document_render(document_type="statement", object_id=statement.pk)

    statement = _reload(statement)
    assert (job.document_type, job.object_id, job.version) == ("statement", statement.pk, 1)
    assert (job.status, job.error) == (RenderStatus.DONE, "")
    assert job.started_at <= job.finished_at
    assert statement.pdf.name == f"documents/{YEAR}/{statement.slug}-v1.pdf"
    assert (statement.version, statement.pdf_version, statement.has_current_pdf) == (1, 1, True)
    assert statement.pdf_rendered_at is not None
    assert statement.updated_at == updated_at
    assert statement.history.count() == 1
    # Kept private, whatever its status: the public gets a copy only once it is published.
    assert (private_media / statement.pdf.name).is_file()
    assert statement.public_pdf.name == ""
    with statement.pdf.open("rb") as pdf:
        assert pdf_text(pdf.read()) == (
            "Joint Statement of Astana The representatives agreed. "
            "Participating institutions 1. Korea Foundation"
        )


def test_a_change_raises_the_version_and_renders_again_after_commit(
    private_media, cica, eager_celery, django_capture_on_commit_callbacks
):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    statement = _reload(statement)
    first_pdf = statement.pdf.name
    JointStatement.objects.filter(pk=statement.pk).update(text="The amended text.")

    with django_capture_on_commit_callbacks() as callbacks:
        document_changed(document=statement)

    assert statement.version == 2
    assert _reload(statement).version == 2
    assert statement.has_current_pdf is False
    assert RenderJob.objects.count() == 1
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()

    statement = _reload(statement)
    assert statement.pdf.name == f"documents/{YEAR}/{statement.slug}-v2.pdf"
    assert (statement.pdf_version, statement.has_current_pdf) == (2, True)
    assert list(RenderJob.objects.order_by("pk").values_list("version", "status")) == [
        (1, "done"),
        (2, "done"),
    ]
    assert statement.pdf.storage.exists(statement.pdf.name)
    assert not statement.pdf.storage.exists(first_pdf)


def test_a_render_that_ends_after_a_newer_edit_leaves_the_pdf_as_it_was(
    private_media, cica, monkeypatch, eager_celery, django_capture_on_commit_callbacks
):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    folder = f"documents/{YEAR}"
    v1, v2 = (f"{statement.slug}-v{version}.pdf" for version in (1, 2))
    real_html_to_pdf = rendering.html_to_pdf
    edits = []

    def edited_while_rendering(html, **kwargs):
        pdf = real_html_to_pdf(html, **kwargs)
        if not edits:
            JointStatement.objects.filter(pk=statement.pk).update(text="Edited again.")
            edits.append(document_changed(document=_reload(statement)))
        return pdf

    monkeypatch.setattr(rendering, "html_to_pdf", edited_while_rendering)
    storage = storages["private"]
    # Changed without a new version (as a script would): the render of version 1 makes a
    # new PDF, and an edit lands while it runs.
    JointStatement.objects.filter(pk=statement.pk).update(text="The amended text.")

    with django_capture_on_commit_callbacks(execute=True):
        job = document_render(document_type="statement", object_id=statement.pk)

        current = _reload(statement)
        assert (job.version, job.status, job.error) == (1, RenderStatus.DONE, "")
        assert (current.pdf.name, current.version, current.pdf_version) == (f"{folder}/{v1}", 2, 1)
        assert current.has_current_pdf is False
        assert len(storage.listdir(folder)[1]) == 2

    # After commit: the late file is gone, and the render the edit asked for has run.
    current = _reload(statement)
    assert (current.pdf.name, current.pdf_version, current.has_current_pdf) == (
        f"{folder}/{v2}",
        2,
        True,
    )
    assert storage.listdir(folder)[1] == [v2]
    assert list(RenderJob.objects.order_by("pk").values_list("version", "status")) == [
        (1, "done"),
        (1, "done"),
        (2, "done"),
    ]


def test_storing_the_pdf_of_an_outdated_version_is_refused(
    private_media, cica, django_capture_on_commit_callbacks
):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    statement = _reload(statement)
    kept = statement.pdf.name
    with django_capture_on_commit_callbacks():
        document_changed(document=statement)

    with django_capture_on_commit_callbacks(execute=True):
        stored = document_pdf_store(document=statement, version=1, pdf=b"%PDF-1.7 outdated")

    statement = _reload(statement)
    assert stored is False
    assert (statement.pdf.name, statement.pdf_version, statement.version) == (kept, 1, 2)
    assert statement.pdf.storage.listdir(f"documents/{YEAR}")[1] == [Path(kept).name]


def test_a_failing_render_records_the_error_and_keeps_the_previous_pdf(
    private_media, cica, monkeypatch, django_capture_on_commit_callbacks
):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    with django_capture_on_commit_callbacks():
        document_changed(document=_reload(statement))
    statements = registry.kind(DocumentType.STATEMENT)
    monkeypatch.setitem(
        registry._kinds,
        DocumentType.STATEMENT,
        dataclasses.replace(statements, template="actionplans/pdf/missing.html"),
    )

    job = document_render(document_type="statement", object_id=statement.pk)

    statement = _reload(statement)
    assert (job.version, job.status) == (2, RenderStatus.FAILED)
    assert job.error == "TemplateDoesNotExist: actionplans/pdf/missing.html"
    assert job.finished_at is not None
    assert statement.pdf.name == f"documents/{YEAR}/{statement.slug}-v1.pdf"
    assert (statement.pdf_version, statement.has_current_pdf) == (1, False)
    assert statement.pdf.storage.exists(statement.pdf.name)


def test_rendering_a_document_that_is_gone_records_a_failed_job(db):
    job = document_render(document_type="actionplan", object_id=987654)

    assert (job.status, job.version, job.object_id) == (RenderStatus.FAILED, 0, 987654)
    assert job.error == "DoesNotExist: ActionPlan matching query does not exist."


def test_concept_paper_pdf_shows_what_the_paper_is_for_and_stays_private(private_media, cica):
    meeting = f.MeetingFactory(
        forum=cica.forum,
        title="Workshop on water resources",
        place="Almaty",
        window_start=datetime.date(2024, 9, 1),
        window_end=datetime.date(2024, 10, 31),
    )
    paper = f.ConceptPaperFactory(
        forum=cica.forum,
        meeting=meeting,
        kind=PaperKind.ADMINISTRATIVE_NOTE,
        title="Administrative note on the workshop",
        reference="CICA/TTF/2024/7",
        organisers_note="With the support of the Secretariat.",
        participants="Two experts from each member institute.",
        financial_terms="The host covers accommodation; participants cover travel.",
        body="The workshop will take two days.",
    )
    paper.organisers.add(cica.institute)

    job = document_render(document_type="conceptpaper", object_id=paper.pk)

    paper = ConceptPaper.objects.get(pk=paper.pk)
    assert job.status == RenderStatus.DONE
    assert paper.pdf.name == f"concept-papers/pdf/{YEAR}/cica-ttf-2024-7-v1.pdf"  # its reference
    assert (private_media / paper.pdf.name).is_file()
    with paper.pdf.open("rb") as pdf:
        assert pdf_text(pdf.read()) == (
            "Administrative note · CICA/TTF/2024/7 Administrative note on the workshop "
            "Forum CICA Think Tank Forum Reference CICA/TTF/2024/7 "
            "Meeting Workshop on water resources, September–October 2024, Almaty "
            "Organisers • CICA Institute With the support of the Secretariat. "
            "Participants Two experts from each member institute. "
            "Terms of financial support The host covers accommodation; participants cover "
            "travel. The workshop will take two days."
        )


@pytest.mark.parametrize(
    ("document_type", "n"),
    [
        ("statement", 1),
        ("statement", 6),
        ("actionplan", 1),
        ("actionplan", 7),
        ("conceptpaper", 1),
        ("conceptpaper", 5),
    ],
)
def test_a_document_loads_in_a_fixed_number_of_queries_whatever_its_size(
    cica, django_assert_num_queries, document_type, n
):
    if document_type == "statement":
        document = f.JointStatementFactory(forum=cica.forum)
        f.SignatoryFactory.create_batch(n, statement=document)
    elif document_type == "actionplan":
        document = f.ActionPlanFactory(forum=cica.forum)
        f.ActivityFactory.create_batch(n, plan=document)
    else:
        document = f.ConceptPaperFactory(forum=cica.forum)
        document.organisers.add(*f.InstituteFactory.create_batch(n))

    # A plan also reads its language versions and its activities' (none here), a
    # statement its language versions.
    expected = {"actionplan": 4, "statement": 3, "conceptpaper": 2}[document_type]
    with django_assert_num_queries(expected):
        pdf = document_pdf_bytes(document_type=document_type, object_id=document.pk)

    assert pdf.startswith(b"%PDF-")


def test_render_document_command_writes_the_pdf(cica, tmp_path):
    plan = f.ActionPlanFactory(forum=cica.forum, title="Annual Action Plan for 2025")
    output = tmp_path / "plan.pdf"

    call_command("render_document", "actionplan", str(plan.pk), "--output", str(output))

    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert pdf_text(pdf) == "Annual Action Plan for 2025"
    assert _reload(plan).pdf.name == ""


def test_render_document_command_fails_for_an_unknown_id(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("render_document", "statement", "424242", "--output", str(tmp_path / "x"))

    assert str(error.value) == "There is no joint statement with id 424242."
    assert not (tmp_path / "x").exists()


# --- Admin ---------------------------------------------------------------------------------


def _admin_url(document, view: str) -> str:
    opts = document._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[document.pk])


def test_saving_a_statement_in_the_admin_renders_it_again(
    client, cica, django_capture_on_commit_callbacks
):
    statement = f.JointStatementFactory(forum=cica.forum, title="Draft statement")
    data = {
        "forum": cica.forum.pk,
        "meeting": "",
        "title": "Joint Statement of Almaty",
        "slug": statement.slug,
        "status": "draft",
        "place": "",
        "adopted_on": "",
        "published_on": "",
        "language": "en",
        "text": statement.text,
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
    }
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(_admin_url(statement, "change"), data)
    assert response.status_code == 302
    assert (_reload(statement).title, _reload(statement).version, len(callbacks)) == (
        "Joint Statement of Almaty",
        2,
        1,
    )

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(_admin_url(statement, "change"), data)
    assert (_reload(statement).version, len(callbacks)) == (2, 0)


def test_statement_change_page_shows_the_pdf_and_its_last_rendering(private_media, client, cica):
    statement = _statement(cica.forum)
    document_render(document_type="statement", object_id=statement.pk)
    statement = _reload(statement)
    client.force_login(cica.staff)

    response = client.get(_admin_url(statement, "change"))

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<a href="{_admin_url(statement, "pdf_download")}">{statement.slug}-v1.pdf</a> (current)'
        in content
    )
    assert f'href="{_admin_url(statement, "pdf_preview")}"' in content
    assert f'action="{_admin_url(statement, "pdf_render")}"' in content


def test_concept_paper_change_page_keeps_its_own_buttons_and_adds_the_pdf_ones(
    client, cica, superuser
):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(superuser)

    content = client.get(_admin_url(paper, "change")).content.decode()

    assert f'href="{_admin_url(paper, "circulate")}"' in content
    assert f'href="{_admin_url(paper, "pdf_preview")}"' in content
    assert f'action="{_admin_url(paper, "pdf_render")}"' in content
    assert f'href="{_admin_url(paper, "history")}"' in content


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 302), ("cica", 200), ("kca", 404), ("superuser", 200)],
)
def test_who_may_preview_and_render_a_statement(
    client, cica, log_in_as, django_capture_on_commit_callbacks, who, expected
):
    statement = _statement(cica.forum, title="Joint Statement of Astana")
    log_in_as(who)

    preview = client.get(_admin_url(statement, "pdf_preview"))
    with django_capture_on_commit_callbacks() as callbacks:
        render = client.post(_admin_url(statement, "pdf_render"))

    assert preview.status_code == expected
    assert render.status_code == (302 if expected == 200 else expected)
    if expected == 200:
        assert preview["Content-Type"] == "application/pdf"
        assert pdf_text(preview.content).startswith("Joint Statement of Astana")
        assert render["Location"] == _admin_url(statement, "change")
        assert len(callbacks) == 1
    else:
        assert b"Astana" not in preview.content
        assert len(callbacks) == 0
    assert RenderJob.objects.count() == 0
    assert _reload(statement).version == 1


def test_render_now_accepts_only_post(client, cica):
    statement = _statement(cica.forum)
    client.force_login(cica.staff)

    assert client.get(_admin_url(statement, "pdf_render")).status_code == 405


@pytest.mark.parametrize(("who", "expected"), [("cica", 200), ("kca", 404)])
def test_concept_paper_pdf_is_served_only_to_its_secretariat(
    private_media, client, cica, kca, who, expected
):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Concept paper on youth")
    document_render(document_type="conceptpaper", object_id=paper.pk)
    client.force_login({"cica": cica.staff, "kca": kca.staff}[who])

    response = client.get(_admin_url(paper, "pdf_download"))

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert pdf_text(b"".join(response.streaming_content)).startswith(
            "Concept paper Concept paper on youth Forum CICA Think Tank Forum Meeting"
        )


def test_concept_paper_without_pdf_answers_404(private_media, client, cica):
    paper = f.ConceptPaperFactory(forum=cica.forum)
    client.force_login(cica.staff)

    assert client.get(_admin_url(paper, "pdf_download")).status_code == 404


def test_render_action_enqueues_each_selected_document(
    client, cica, kca, django_capture_on_commit_callbacks
):
    mine = f.ActionPlanFactory.create_batch(2, forum=cica.forum)
    theirs = f.ActionPlanFactory(forum=kca.forum)
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:actionplans_actionplan_changelist"),
            {"action": "render_pdfs", "_selected_action": [p.pk for p in [*mine, theirs]]},
        )

    assert response.status_code == 302
    assert len(callbacks) == 2
    assert list(ActionPlan.objects.values_list("version", flat=True)) == [1, 1, 1]
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["2 PDFs will be rendered in a moment."]


def test_the_render_action_says_one_pdf_in_the_singular(client, cica):
    plan = f.ActionPlanFactory(forum=cica.forum)
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:actionplans_actionplan_changelist"),
        {"action": "render_pdfs", "_selected_action": [plan.pk]},
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["1 PDF will be rendered in a moment."]


@pytest.mark.parametrize("view", ["pdf_preview", "pdf_download"])
def test_an_unknown_document_id_is_404_not_an_error(client, cica, view):
    client.force_login(cica.staff)

    response = client.get(reverse(f"admin:actionplans_jointstatement_{view}", args=[987654]))

    assert response.status_code == 404
