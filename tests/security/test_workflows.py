"""Every status moves only through its service, and only as its workflow allows.

The probe set a publication to "approved" in its change form (no review recorded, no
catalogue entry), approved one the member had withdrawn, and edited a moderation's
status directly. These tests hold for every model with a status, so a new one, a new
admin page or a new move is covered (or fails here) without being named by the probe.
"""

import datetime
import smtplib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from actionplans import services as plans
from actionplans.models import ActionPlan, Activity, ActivityModerator, JointStatement, Meeting
from core.models import RenderedDocument
from core.workflow import TransitionNotAllowed, workflow_of
from documents.models import RenderJob
from mail.models import OutboundMail
from mail.outbox import Claim, outbox_claim, outbox_reclaim, outbox_requeue_failed, outbox_settle
from members import services as members
from members.models import (
    HarvestRun,
    Invitation,
    Membership,
    MembershipStatusChange,
    Recommendation,
)
from publications import services as catalogue
from publications.models import Publication
from secretariat.models import AnnualReport, Circulation, ConceptPaper, Delivery
from secretariat.recipients import Recipient
from secretariat.services import circulation as circulating
from tests import factories as f
from tests.html import form_data, page

pytestmark = pytest.mark.django_db

# Fields named "status" that are not workflows, and why.
RECORDS = {
    Meeting: "what happened to a meeting (planned, held, postponed, cancelled), as recorded",
    Activity: "an activity's progress as the secretariat reports it",
    MembershipStatusChange: "a step of a membership's history, written by its services",
    RenderJob: "a rendering's own record, written by the renderer",
    HarvestRun: "a harvest's own record, written by the harvester (members.harvesting)",
}


def test_every_status_is_a_workflow_or_a_record_with_a_reason():
    with_status = {
        model
        for model in apps.get_models()
        if "status" in {field.name for field in model._meta.fields}
        and not model.__name__.startswith("Historical")
    }
    workflows = {model for model in with_status if workflow_of(model) is not None}

    assert workflows | set(RECORDS) == with_status
    assert workflows & set(RECORDS) == set()
    assert workflows == set(SERVICES)


# --- No admin form writes a status -------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _admins():
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: str(i[0])):
        yield model, model_admin
        for inline in model_admin.get_inline_instances(_request(_superuser()), None):
            yield inline.model, inline


def _superuser():
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_no_admin_form_inline_or_list_field_writes_a_workflow_status(cica, who):
    user = _superuser() if who == "superuser" else cica.staff
    request = _request(user)
    exposed = []
    for model, model_admin in _admins():
        workflow = workflow_of(model)
        if workflow is None:
            continue
        protected = set(workflow.read_only_fields)
        if isinstance(model_admin, admin.options.InlineModelAdmin):
            forms = [model_admin.get_formset(request, None).form]
        else:
            forms = [
                model_admin.get_form(request, None, change=False),
                model_admin.get_form(request, model(), change=True),
            ]
            exposed += [(model, name) for name in protected & set(model_admin.list_editable)]
        exposed += [(model, name) for form in forms for name in protected & set(form.base_fields)]

    assert exposed == []


# State that has no status field but moves only through services (ADR 0009): an invitation
# is open, accepted, revoked or expired by its timestamps; a rendered document's version and
# PDF are raised and stored by the documents services alone.
SERVICE_WRITTEN = {
    Invitation: {"token_hash", "expires_at", "accepted_at", "accepted_user", "revoked_at", "mail"},
    **{
        model: {"version", "pdf", "public_pdf", "pdf_version", "pdf_rendered_at", "pdf_fingerprint"}
        for model in (ActionPlan, JointStatement, ConceptPaper, AnnualReport)
    },
}


def test_every_rendered_document_is_named_among_the_service_written_models():
    rendered = {model for model in apps.get_models() if issubclass(model, RenderedDocument)}

    assert rendered == {ActionPlan, JointStatement, ConceptPaper, AnnualReport}


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_no_admin_form_writes_an_invitations_state_or_a_documents_version(cica, who):
    user = _superuser() if who == "superuser" else cica.staff
    request = _request(user)
    exposed = []
    for model, model_admin in _admins():
        protected = SERVICE_WRITTEN.get(model, set())
        if not protected:
            continue
        if isinstance(model_admin, admin.options.InlineModelAdmin):
            forms = [model_admin.get_formset(request, None).form]
        else:
            forms = [
                model_admin.get_form(request, None, change=False),
                model_admin.get_form(request, model(), change=True),
            ]
            exposed += [(model, name) for name in protected & set(model_admin.list_editable)]
        exposed += [(model, name) for form in forms for name in protected & set(form.base_fields)]

    assert exposed == []


def test_a_status_posted_in_the_change_form_changes_nothing(client, cica):
    publication = f.PublicationFactory(forum=cica.forum, status="submitted")
    publication.institutes.set([cica.institute])
    client.force_login(cica.staff)
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    data = form_data(page(client.get(url)), "form#publication_form")
    data.update(status=["approved"], return_reason=["forged"], title=["Edited title"])

    response = client.post(url, data)

    assert response.status_code == 302
    publication.refresh_from_db()
    assert (publication.title, publication.status) == ("Edited title", "submitted")
    assert (publication.reviewed_by, publication.return_reason) == (None, "")
    assert publication.facets.count() == 0


def test_a_moderation_status_posted_in_its_change_form_changes_nothing(client, cica):
    moderation = f.ActivityModeratorFactory(
        activity=f.ActivityFactory(plan=f.ActionPlanFactory(forum=cica.forum)),
        institute=cica.institute,
    )
    client.force_login(cica.staff)
    url = reverse("admin:actionplans_activitymoderator_change", args=[moderation.pk])
    data = form_data(page(client.get(url)), "form#activitymoderator_form")
    data.update(status=["confirmed"], decided_on=["2030-01-01"])

    client.post(url, data)

    moderation.refresh_from_db()
    assert (moderation.status, moderation.decided_on) == ("volunteered", None)


def test_the_approve_action_leaves_a_withdrawn_submission_withdrawn(client, cica):
    withdrawn = f.PublicationFactory(forum=cica.forum, status="withdrawn", title="Taken back")
    submitted = f.PublicationFactory(forum=cica.forum, status="submitted")
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "approve", "_selected_action": [withdrawn.pk, submitted.pk]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Taken back: Not done: a publication that is withdrawn cannot become approved.",
        "1 publication approved.",
    ]
    assert Publication.objects.get(pk=withdrawn.pk).status == "withdrawn"
    assert Publication.objects.get(pk=submitted.pk).status == "approved"


def test_history_shows_old_versions_but_never_restores_one(client, cica):
    publication = f.PublicationFactory(forum=cica.forum, status="submitted")
    catalogue.publication_return(publication=publication, by=cica.staff, reason="Add an abstract")
    old = publication.history.order_by("history_id").first()
    client.force_login(cica.staff)
    url = reverse(
        "admin:publications_publication_simple_history", args=[publication.pk, old.history_id]
    )

    assert client.get(url).status_code == 200
    assert client.post(url, {"title": old.title}).status_code == 403
    assert Publication.objects.get(pk=publication.pk).status == "returned"


# --- Every move through its service, every other move refused ------------------------------


@dataclass
class Move:
    """A service and the statuses it may start from (written out here, not read from the
    code under test); from any other it must refuse and change nothing."""

    target: str
    sources: set[str]
    call: Any
    raises: bool = True  # worker entry points skip instead


def _submission_data(publication):
    return {"title": publication.title, "forum": publication.forum, "kind": publication.kind}


PUB = {
    "approve": Move(
        "approved", {"submitted"}, lambda o, by: catalogue.publication_approve(publication=o, by=by)
    ),
    "return": Move(
        "returned",
        {"submitted", "approved"},
        lambda o, by: catalogue.publication_return(publication=o, by=by, reason="Too short"),
    ),
    "withdraw": Move(
        "withdrawn",
        {"submitted", "returned"},
        lambda o, by: catalogue.publication_withdraw(publication=o, by=by),
    ),
    "submit again": Move(  # from submitted: an edit, the status stays
        "submitted",
        {"returned", "submitted"},
        lambda o, by: catalogue.publication_update(
            publication=o,
            institute=o.institutes.get(),
            data=_submission_data(o),
            pdf=None,
            by=by,
        ),
    ),
}
MODERATION = {
    "confirm": Move(
        "confirmed",
        {"volunteered", "declined"},
        lambda o, by: plans.moderation_confirm(activitymoderator=o, by=by),
    ),
    "decline": Move(
        "declined",
        {"volunteered", "confirmed"},
        lambda o, by: plans.moderation_decline(activitymoderator=o, by=by),
    ),
    "back to volunteered": Move(
        "volunteered",
        set(),
        lambda o, by: plans.moderation_decide(moderation=o, status="volunteered", by=by),
    ),
}
RECOMMENDATION = {
    "admit": Move(
        "admitted",
        {"pending"},
        lambda o, by: members.recommendation_admit(recommendation=o, by=by),
    ),
    "decline": Move(
        "declined",
        {"pending"},
        lambda o, by: members.recommendation_decline(recommendation=o, by=by),
    ),
}


def _decide(status):
    return lambda o, by: members.membership_decide(membership=o, status=status, by=by)


MEMBERSHIP = {
    "admit": Move("admitted", {"recommended", "suspended"}, _decide("admitted")),
    "decline": Move("declined", {"recommended"}, _decide("declined")),
    "suspend": Move("suspended", {"admitted"}, _decide("suspended")),
    "withdraw": Move("withdrawn", {"admitted", "suspended"}, _decide("withdrawn")),
    "recommend again": Move("recommended", {"declined", "withdrawn"}, _decide("recommended")),
}
PLAN = {
    "adopt": Move("adopted", {"draft"}, lambda o, by: plans.plan_adopt(actionplan=o, by=by)),
    "reopen": Move("draft", {"adopted"}, lambda o, by: plans.plan_reopen(actionplan=o, by=by)),
}
STATEMENT = {
    "adopt": Move(
        "adopted", {"draft"}, lambda o, by: plans.statement_adopt(jointstatement=o, by=by)
    ),
    "publish": Move(
        "published", {"adopted"}, lambda o, by: plans.statement_publish(jointstatement=o, by=by)
    ),
    "unpublish": Move(
        "adopted",
        {"published"},
        lambda o, by: plans.statement_unpublish(jointstatement=o, by=by),
    ),
    "reopen": Move(
        "draft", {"adopted"}, lambda o, by: plans.statement_reopen(jointstatement=o, by=by)
    ),
}
PAPER = {
    "mark ready": Move(
        "ready", {"draft"}, lambda o, by: circulating.paper_mark_ready(conceptpaper=o, by=by)
    ),
    "reopen": Move(
        "draft", {"ready"}, lambda o, by: circulating.paper_reopen(conceptpaper=o, by=by)
    ),
    "circulate": Move(
        "circulated",
        {"draft", "ready", "circulated"},
        lambda o, by: circulating.circulation_start(
            paper=o, recipients=[Recipient(email="a@example.org")], subject="Paper", by=by
        ),
    ),
}
CIRCULATION = {
    "prepare": Move(
        "ready",
        {"preparing"},
        lambda o, by: circulating.circulation_prepare(circulation_id=o.pk),
        raises=False,
    ),
    "prepare, the paper failing to render": Move(
        "failed", {"preparing"}, lambda o, by: _prepare_with_storage_down(o), raises=False
    ),
    "try again": Move(
        "preparing",
        {"failed"},
        lambda o, by: circulating.circulation_retry(circulation=o, by=by),
    ),
}


def _prepare_with_storage_down(circulation):
    """The paper has no PDF yet and its rendering cannot be stored (the private storage
    is a path no folder can be made in): the circulation fails, with the reason."""
    ConceptPaper.objects.filter(pk=circulation.paper_id).update(pdf="", pdf_version=None)
    with override_settings(PRIVATE_MEDIA_ROOT="/dev/null/private"):
        circulating.circulation_prepare(circulation_id=circulation.pk)


def _outbox(model):
    def settle(error):
        def call(o, by):
            claim = Claim(
                pk=o.pk, token=o.claim_token, attempts=o.attempts, number=1, duplicate_suspect=False
            )
            return outbox_settle(model, claim=claim, error=error)

        return call

    return {
        "claim": Move(
            "sending", {"queued"}, lambda o, by: outbox_claim(model, pk=o.pk), raises=False
        ),
        "sent": Move("sent", {"sending"}, settle(None), raises=False),
        "refused": Move(
            "failed",
            {"sending"},
            settle(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")})),
            raises=False,
        ),
        "retry later": Move(
            "queued",
            {"sending"},
            settle(smtplib.SMTPResponseException(451, b"try later")),
            raises=False,
        ),
        "send again": Move(
            "queued",
            {"failed"},
            lambda o, by: outbox_requeue_failed(model, ids=[o.pk]),
            raises=False,
        ),
    }


SERVICES = {
    Publication: PUB,
    ActivityModerator: MODERATION,
    Recommendation: RECOMMENDATION,
    Membership: MEMBERSHIP,
    ActionPlan: PLAN,
    JointStatement: STATEMENT,
    ConceptPaper: PAPER,
    Circulation: CIRCULATION,
    Delivery: _outbox(Delivery),
    OutboundMail: _outbox(OutboundMail),
}


def _make(model, status: str, tenant):
    today = datetime.date(2024, 6, 27)
    if model is Publication:
        publication = f.PublicationFactory(
            forum=tenant.forum,
            status=status,
            return_reason="Add an abstract" if status == "returned" else "",
        )
        publication.institutes.set([tenant.institute])
        return publication
    if model is ActivityModerator:
        plan = f.ActionPlanFactory(forum=tenant.forum)
        return f.ActivityModeratorFactory(
            activity=f.ActivityFactory(plan=plan), institute=tenant.institute, status=status
        )
    if model is Recommendation:
        return f.RecommendationFactory(
            forum=tenant.forum,
            recommended_by=tenant.institute,
            status=status,
            decided_on=None if status == "pending" else today,
        )
    if model is Membership:
        return f.MembershipFactory(forum=tenant.forum, status=status, decided_on=today)
    if model is ActionPlan:
        return f.ActionPlanFactory(forum=tenant.forum, status=status, adopted_on=today)
    if model is JointStatement:
        return f.JointStatementFactory(
            forum=tenant.forum, status=status, adopted_on=today, published_on=today
        )
    if model is ConceptPaper:
        return f.ConceptPaperFactory(forum=tenant.forum, status=status)
    if model is Circulation:
        paper = f.ConceptPaperFactory(forum=tenant.forum)
        return f.CirculationFactory(paper=paper, status=status)
    if model is Delivery:
        return f.DeliveryFactory(
            circulation=f.CirculationFactory(paper=f.ConceptPaperFactory(forum=tenant.forum)),
            status=status,
            sent_at=timezone.now() if status == "sent" else None,
            claimed_at=timezone.now(),
            claim_token="held-by-a-sender" if status == "sending" else "",
            attempts=1,
        )
    if model is OutboundMail:
        return OutboundMail.objects.create(
            to="a@example.org",
            subject="Notice",
            body="Text",
            template="t",
            message_id=f"<{status}@test>",
            status=status,
            sent_at=timezone.now() if status == "sent" else None,
            claimed_at=timezone.now(),
            claim_token="held-by-a-sender" if status == "sending" else "",
            attempts=1,
        )
    raise AssertionError(f"no builder for {model.__name__}")


CASES = [
    (model, name, source)
    for model, moves in SERVICES.items()
    for name in moves
    for source in sorted(workflow_of(model).states)
]


@pytest.mark.parametrize(
    ("model", "move", "source"),
    CASES,
    ids=[f"{m.__name__}-{n}-from-{s}" for m, n, s in CASES],
)
def test_each_move_happens_through_its_service_only_from_where_it_may(
    cica, private_media, model, move, source, django_capture_on_commit_callbacks
):
    spec = SERVICES[model][move]
    obj = _make(model, source, cica)
    if model is Circulation:
        obj.paper.pdf.save("paper.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        ConceptPaper.objects.filter(pk=obj.paper_id).update(pdf=obj.paper.pdf.name, pdf_version=1)

    if source in spec.sources:
        spec.call(obj, cica.staff)
        obj.refresh_from_db()
        assert obj.status == spec.target
    elif spec.raises:
        with pytest.raises(TransitionNotAllowed):
            spec.call(obj, cica.staff)
        obj.refresh_from_db()
        assert obj.status == source
    else:
        spec.call(obj, cica.staff)
        obj.refresh_from_db()
        assert obj.status == source


@pytest.mark.parametrize("model", list(SERVICES), ids=lambda m: m.__name__)
def test_the_services_cover_exactly_the_moves_the_workflow_allows(model):
    by_services = {
        (source, spec.target)
        for spec in SERVICES[model].values()
        for source in spec.sources
        if source != spec.target
    }
    workflow = workflow_of(model)
    allowed = {(s, t) for s in workflow.states for t in workflow.states if workflow.allows(s, t)}
    assert by_services == allowed


def test_a_dead_senders_row_goes_back_to_the_queue_after_the_lease(cica, settings):
    settings.DELIVERY_LEASE_SECONDS = 60
    delivery = _make(Delivery, "sending", cica)
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    sent = _make(Delivery, "sent", cica)

    assert outbox_reclaim(Delivery) == [delivery.pk]
    assert Delivery.objects.get(pk=delivery.pk).status == "queued"
    assert Delivery.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.parametrize(
    ("model", "status"),
    [(Membership, "suspended"), (Membership, "declined"), (Publication, "approved")],
)
def test_a_new_row_starts_only_where_its_workflow_starts(cica, model, status):
    if model is Membership:
        membership = Membership(
            institute=f.InstituteFactory(), forum=cica.forum, status=status, decided_on=None
        )
        with pytest.raises(TransitionNotAllowed):
            members.membership_save(membership=membership, by=cica.staff)
        assert not Membership.objects.filter(forum=cica.forum, status=status).exists()
    else:
        assert status not in workflow_of(model).initial
