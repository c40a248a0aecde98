"""Every page of every ModelAdmin, opened by each kind of staff user, with realistic data:
uploaded and rendered files included.

For each registered model the walk opens the list, the add page, one row's change,
history and delete pages, and (for staff) the other secretariat's row. The statuses are
written out below, per model and user; no answer may be a 500, and no page a CICA staff
member opens may name anything of the Korea–Central Asia secretariat's (nor the other way
round). A ModelAdmin registered without a builder here fails the walk.
"""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from actionplans.enums import MeetingKind
from actionplans.models import (
    ActionPlan,
    Activity,
    ActivityModerator,
    JointStatement,
    Meeting,
    Signatory,
)
from documents.models import DocumentCategory
from documents.services import document_render
from forums.enums import HostingPrinciple
from forums.models import (
    Forum,
    Framework,
    FrameworkMemberState,
    HostRotationCountry,
    Secretariat,
    Theme,
)
from mail.models import OutboundMail
from members.models import (
    Contact,
    FocalPoint,
    HarvestRun,
    HarvestSource,
    Institute,
    MemberChange,
    Membership,
    MembershipStatusChange,
    Recommendation,
    StateContact,
)
from publications.models import Publication
from secretariat.models import (
    AnnualReport,
    Answer,
    Circulation,
    ConceptPaper,
    ConceptPaperAttachment,
    Delivery,
)
from tests import factories as f
from tests.html import form_data, page
from tests.workspace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

# What identifies each secretariat's data in a page: names nothing of the other's has.
TOKENS = {"cica": "Alphacica", "kca": "Zetakca"}
NAMES = {
    "cica": ("CICA Think Tank Forum", "CICA Institute", "CICA Secretariat"),
    "kca": ("KCA Think Tank Forum", "KCA Institute", "KCA Secretariat"),
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _world(tenant, key: str) -> dict:
    """One row of every registered model for ``tenant``, files and all."""
    tok = TOKENS[key]
    forum, institute = tenant.forum, tenant.institute
    Framework.objects.filter(pk=forum.framework_id).update(name=f"{tok} Framework")
    institute.logo.save("logo.png", ContentFile(_png()))
    contact = f.ContactFactory(institute=institute, full_name=f"{tok} Person", email=f"{tok}@x.org")
    membership = Membership.objects.get(forum=forum, institute=institute)
    plan = f.ActionPlanFactory(forum=forum, title=f"{tok} Plan", year=2024)
    activity = f.ActivityFactory(plan=plan, title=f"{tok} Activity")
    statement = f.JointStatementFactory(forum=forum, title=f"{tok} Statement", slug=f"{key}-st")
    f.SignatoryFactory(statement=statement, institute=institute)
    paper = f.ConceptPaperFactory(forum=forum, title=f"{tok} Concept")
    for document_type, document in (("statement", statement), ("actionplan", plan)):
        document_render(document_type=document_type, object_id=document.pk)
    document_render(document_type="conceptpaper", object_id=paper.pk)
    report = AnnualReport.objects.create(forum=forum, year=2024, language="en")
    document_render(document_type="annualreport", object_id=report.pk)
    for document in (statement, plan, paper, report):
        document.refresh_from_db()
    publication = f.PublicationFactory(forum=forum, title=f"{tok} Report", slug=f"{key}-report")
    publication.institutes.set([institute])
    publication.file.save("report.pdf", ContentFile(pdf_bytes(f"{tok} findings")))
    circulation = f.CirculationFactory(paper=paper, subject=f"{tok} Circulation")
    circulation.pdf.save("sent.pdf", ContentFile(pdf_bytes("as sent")))
    delivery = f.DeliveryFactory(circulation=circulation, email=f"{tok}-r@x.org", name=tok)
    forum.hosting_principle = HostingPrinciple.RECIPROCITY
    forum.save()
    for group, country in enumerate(("KR", "KZ"), start=1):  # the forum page's rule inline
        HostRotationCountry.objects.create(forum=forum, group=group, turn=1, country=country)
    return {
        Forum: forum,
        Secretariat: tenant.secretariat,
        Framework: forum.framework,
        FrameworkMemberState: f.FrameworkMemberStateFactory(framework=forum.framework),
        Institute: institute,
        Contact: contact,
        FocalPoint: f.FocalPointFactory(contact=contact, forum=forum),
        Membership: membership,
        MembershipStatusChange: f.MembershipStatusChangeFactory(
            membership=membership, note=f"{tok} decision"
        ),
        StateContact: f.StateContactFactory(forum=forum, organisation=f"{tok} Ministry"),
        Recommendation: f.RecommendationFactory(
            forum=forum, recommended_by=institute, name=f"{tok} Centre"
        ),
        MemberChange: MemberChange.objects.create(
            forum=forum, institute=institute, summary=f"{tok} website"
        ),
        HarvestSource: HarvestSource.objects.create(
            institute=institute, forum=forum, base_url=f"https://{tok.lower()}.example.org/oai"
        ),
        HarvestRun: HarvestRun.objects.create(
            institute=institute,
            forum=forum,
            base_url=f"https://{tok.lower()}.example.org/oai",
            status="failed",
            error=f"{tok} repository answered HTTP 500",
            notes=[{"identifier": f"oai:{tok}:1", "reason": "no dc:title"}],
        ),
        ActionPlan: plan,
        Activity: activity,
        ActivityModerator: f.ActivityModeratorFactory(
            activity=activity, institute=institute, note=f"{tok} note"
        ),
        Meeting: f.MeetingFactory(
            forum=forum,
            title=f"{tok} Meeting",
            slug=f"{key}-meeting",
            kind=MeetingKind.FORUM,
            host_country="KR",
            starts_on=datetime.date(2024, 10, 1),
        ),
        JointStatement: statement,
        Signatory: statement.signatures.get(),
        Publication: publication,
        ConceptPaper: paper,
        ConceptPaperAttachment: f.ConceptPaperAttachmentFactory(paper=paper, title=f"{tok} Annex"),
        Circulation: circulation,
        Delivery: delivery,
        Answer: f.AnswerFactory(delivery=delivery, attendees=f"{tok} attendee"),
        AnnualReport: report,
    }


def _shared(superuser) -> dict:
    """Rows of no secretariat: shared vocabulary, accounts, the notice outbox."""
    theme = f.ThemeFactory(name="Water resources")
    EmailAddress.objects.create(user=superuser, email="root@example.org", verified=True)
    return {
        Theme: theme,
        DocumentCategory: DocumentCategory.objects.create(name="Joint communiqué", slug="jc"),
        OutboundMail: OutboundMail.objects.create(
            to="a@example.org", subject="Notice", body="Text", template="t", message_id="<1@t>"
        ),
        User: superuser,
        Group: Group.objects.get(name="Secretariat staff"),
        EmailAddress: EmailAddress.objects.get(email="root@example.org"),
        Authenticator: Authenticator.objects.create(
            user=superuser, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
        ),
    }


# Per model: the statuses of (list, add, change, history, delete) for a superuser, then for
# staff on their own row, and of the change page of the other secretariat's row for staff
# (None: the model is not any one secretariat's).
OK, NO, MISSING = 200, 403, 404
EXPECTED = {
    # model: (superuser pages, staff pages, other secretariat's row for staff)
    Forum: ((OK, OK, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    Secretariat: ((OK, OK, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    Framework: ((OK, OK, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    FrameworkMemberState: ((OK, OK, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    Theme: ((OK, OK, OK, OK, OK), (OK, NO, OK, OK, NO), None),
    # Staff add kinds of document; only superusers rename or delete one (shown read-only).
    DocumentCategory: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, NO), None),
    OutboundMail: ((OK, NO, OK, OK, NO), (NO, NO, NO, NO, NO), None),
    Institute: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, NO), MISSING),
    Contact: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    FocalPoint: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Membership: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, NO), MISSING),
    MembershipStatusChange: ((OK, NO, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    StateContact: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Recommendation: ((OK, NO, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    MemberChange: ((OK, NO, OK, OK, NO), (OK, NO, OK, OK, NO), MISSING),
    HarvestSource: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, NO), MISSING),
    # The harvester writes runs; staff and superusers read them.
    HarvestRun: ((OK, NO, OK, OK, NO), (OK, NO, OK, OK, NO), MISSING),
    ActionPlan: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Activity: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    ActivityModerator: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Meeting: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    JointStatement: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Signatory: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Publication: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    ConceptPaper: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    ConceptPaperAttachment: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    Circulation: ((OK, NO, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    Delivery: ((OK, NO, OK, OK, NO), (OK, NO, OK, OK, NO), MISSING),
    Answer: ((OK, NO, OK, OK, OK), (OK, NO, OK, OK, NO), MISSING),
    AnnualReport: ((OK, OK, OK, OK, OK), (OK, OK, OK, OK, OK), MISSING),
    User: ((OK, OK, OK, OK, OK), (NO, NO, NO, NO, NO), None),
    Group: ((OK, OK, OK, OK, OK), (NO, NO, NO, NO, NO), None),
    EmailAddress: ((OK, OK, OK, OK, OK), (NO, NO, NO, NO, NO), None),
    Authenticator: ((OK, OK, OK, OK, OK), (NO, NO, NO, NO, NO), None),
}
PAGES = ("changelist", "add", "change", "history", "delete")


def test_every_registered_model_has_data_and_expectations_here():
    assert set(admin.site._registry) == set(EXPECTED)


def _url(model, view: str, obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk] if view in ("change", "history", "delete") else [])


def _leaks(content: str, key: str) -> list[str]:
    other = "kca" if key == "cica" else "cica"
    return [name for name in (TOKENS[other], *NAMES[other]) if name.lower() in content.lower()]


@pytest.fixture
def world(cica, kca, superuser, private_media):
    return {"cica": _world(cica, "cica"), "kca": _world(kca, "kca"), "shared": _shared(superuser)}


@pytest.mark.slow
def test_the_walk(client, world, cica, kca, superuser):
    """One test, so the world (rendered PDFs included) is built once; every failing page
    is listed in the assertion."""
    found, expected, leaks = {}, {}, []
    users = {"superuser": superuser, "cica": cica.staff, "kca": kca.staff}
    for who, user in users.items():
        client.force_login(user)
        for model, (as_superuser, as_staff, others) in EXPECTED.items():
            scoped = others is not None
            key = "cica" if who == "superuser" else who
            obj = world[key][model] if scoped else world["shared"][model]
            statuses = as_superuser if who == "superuser" else as_staff
            for view, status in zip(PAGES, statuses, strict=True):
                response = client.get(_url(model, view, obj))
                found[(who, model.__name__, view)] = response.status_code
                expected[(who, model.__name__, view)] = status
                if who != "superuser":
                    leaks += [
                        (who, model.__name__, view, n)
                        for n in _leaks(response.content.decode(), who)
                    ]
            if who != "superuser" and scoped:
                theirs = world["kca" if who == "cica" else "cica"][model]
                for view in ("change", "history", "delete"):
                    response = client.get(_url(model, view, theirs))
                    found[(who, model.__name__, f"{view} of theirs")] = response.status_code
                    expected[(who, model.__name__, f"{view} of theirs")] = (
                        others if as_staff[0] == OK else NO
                    )
    wrong = {k: (found[k], expected[k]) for k in found if found[k] != expected[k]}
    assert wrong == {}
    assert leaks == []


def test_the_superuser_sees_both_secretariats_so_the_leak_check_can_fail(client, world, superuser):
    client.force_login(superuser)
    for model, (_su, _staff, others) in EXPECTED.items():
        if others is None:
            continue
        content = client.get(_url(model, "changelist")).content.decode()
        seen_cica = TOKENS["cica"] in content or any(name in content for name in NAMES["cica"])
        assert seen_cica, model
        seen_kca = TOKENS["kca"] in content or any(name in content for name in NAMES["kca"])
        assert seen_kca, model


def test_the_files_are_there(world):
    cica = world["cica"]
    assert cica[Publication].file.name.startswith("publications/")
    assert cica[JointStatement].has_current_pdf
    assert cica[ActionPlan].has_current_pdf
    assert cica[ConceptPaper].has_current_pdf
    assert cica[Institute].logo.name.startswith("institutes/logos/")
    assert cica[Circulation].pdf.name.startswith(f"circulations/{datetime.date.today().year}/")


def _complete(client, response):
    """Sends an action's intermediate page (a reason, a decision date) as a person would,
    filling what it asks for; returns the answer after the redirect."""
    root = page(response)
    form = root.query("#content-main form")
    if form is None:
        return response
    data = form_data(root, "#content-main form")
    for element in form.query_all("input, textarea"):
        node = element.etree_element
        name, kind = node.get("name"), (node.get("type") or "text").lower()
        if not name or data.get(name, [""]) != [""]:
            continue
        if kind == "date" or name.endswith("_on"):
            data[name] = ["2024-06-27"]
        elif kind in ("text", "textarea") or node.tag.endswith("textarea"):
            data[name] = ["Decided at the Twelfth Forum"]
    return client.post(response.request["PATH_INFO"], data, follow=True)


def test_every_admin_action_runs_through_the_changelist_as_a_browser_would(
    client, world, cica, superuser
):
    """Each action of each admin, chosen on the list with one row selected (and its
    intermediate page, if any, filled in and sent), ends with a message about that row:
    never "No action selected." (an intermediate page that named the action wrongly) and
    never a 500."""
    outcomes = {}
    for model, model_admin in admin.site._registry.items():
        scoped = EXPECTED[model][2] is not None
        user = cica.staff if scoped else superuser
        obj = world["cica"][model] if scoped else world["shared"][model]
        client.force_login(user)
        request = RequestFactory().get("/")
        request.user = user
        for name in model_admin.get_actions(request):
            if name == "delete_selected":
                continue
            url = _url(model, "changelist")
            response = client.post(url, {"action": name, "_selected_action": [obj.pk]})
            if response.status_code == 200:
                response = _complete(client, response)
            else:
                response = client.get(response["Location"])
            messages = [str(m) for m in response.context["messages"]]
            outcomes[(model.__name__, name)] = (response.status_code, bool(messages))
            assert "No action selected." not in messages, (model, name)
    # Third-party admins (accounts, two-factor) may act without a message.
    third_party = {"EmailAddress", "Authenticator", "User", "Group"}
    assert {
        k: v
        for k, v in outcomes.items()
        if v != (200, True) and not (k[0] in third_party and v[0] == 200)
    } == {}
    assert ("Membership", "suspend") in outcomes
