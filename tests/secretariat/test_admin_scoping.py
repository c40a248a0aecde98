"""Staff reach only their own secretariat's forums, by every admin URL.

Each scoped model has a builder that makes one row belonging to a tenant's forum. A CICA
staff user must find the CICA row and never the Korea–Central Asia (KCA) one: not in a
changelist, not in an autocomplete, not by typing its change, delete or history URL.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import (
    ActionPlan,
    Activity,
    ActivityModerator,
    JointStatement,
    Meeting,
    Signatory,
)
from forums.models import Forum, Framework, FrameworkMemberState, Secretariat
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


def _plan(t):
    return ActionPlan.objects.get_or_create(
        forum=t.forum, year=2024, defaults={"title": f"Plan of {t.forum.name}"}
    )[0]


def _activity(t):
    return f.ActivityFactory(plan=_plan(t))


BUILDERS = {
    Forum: lambda t: t.forum,
    Secretariat: lambda t: t.secretariat,
    Framework: lambda t: t.forum.framework,
    FrameworkMemberState: lambda t: f.FrameworkMemberStateFactory(framework=t.forum.framework),
    Institute: lambda t: t.institute,
    Contact: lambda t: f.ContactFactory(institute=t.institute),
    Membership: lambda t: Membership.objects.get(forum=t.forum),
    MembershipStatusChange: lambda t: f.MembershipStatusChangeFactory(
        membership=Membership.objects.get(forum=t.forum)
    ),
    FocalPoint: lambda t: f.FocalPointFactory(
        contact=f.ContactFactory(institute=t.institute), forum=t.forum
    ),
    ActionPlan: _plan,
    Activity: _activity,
    ActivityModerator: lambda t: f.ActivityModeratorFactory(
        activity=_activity(t), institute=t.institute
    ),
    Meeting: lambda t: f.MeetingFactory(forum=t.forum),
    JointStatement: lambda t: f.JointStatementFactory(forum=t.forum),
    Signatory: lambda t: f.SignatoryFactory(
        statement=f.JointStatementFactory(forum=t.forum), institute=t.institute
    ),
    Publication: lambda t: f.PublicationFactory(forum=t.forum),
    ConceptPaper: lambda t: f.ConceptPaperFactory(forum=t.forum),
    ConceptPaperAttachment: lambda t: f.ConceptPaperAttachmentFactory(
        paper=f.ConceptPaperFactory(forum=t.forum)
    ),
    StateContact: lambda t: f.StateContactFactory(forum=t.forum),
    Recommendation: lambda t: f.RecommendationFactory(forum=t.forum, recommended_by=t.institute),
    HarvestSource: lambda t: f.HarvestSourceFactory(forum=t.forum),
    HarvestRun: lambda t: f.HarvestRunFactory(institute=t.institute, forum=t.forum),
    MemberChange: lambda t: MemberChange.objects.create(
        forum=t.forum, institute=t.institute, summary="website"
    ),
    Circulation: lambda t: f.CirculationFactory(paper=f.ConceptPaperFactory(forum=t.forum)),
    Delivery: lambda t: f.DeliveryFactory(
        circulation=f.CirculationFactory(paper=f.ConceptPaperFactory(forum=t.forum))
    ),
    Answer: lambda t: f.AnswerFactory(
        delivery__circulation=f.CirculationFactory(paper=f.ConceptPaperFactory(forum=t.forum))
    ),
    AnnualReport: lambda t: AnnualReport.objects.create(forum=t.forum, year=2024, language="en"),
}
KCA_NAMES = ("KCA Think Tank Forum", "KCA Institute", "KCA Secretariat")
SCOPED = sorted(BUILDERS, key=lambda m: m._meta.label)


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_scoped_model_in_the_admin_is_covered_here():
    registered = {m for m in admin.site._registry if getattr(m, "forum_scope", None)}
    assert registered == set(BUILDERS)


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_changelist_shows_only_own_secretariats_rows(client, cica, kca, model):
    mine, theirs = BUILDERS[model](cica), BUILDERS[model](kca)
    client.force_login(cica.staff)

    response = client.get(_url(model, "changelist"))

    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert mine.pk in shown
    assert theirs.pk not in shown


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_superuser_sees_both_secretariats_rows(client, cica, kca, superuser, model):
    mine, theirs = BUILDERS[model](cica), BUILDERS[model](kca)
    client.force_login(superuser)

    response = client.get(_url(model, "changelist"))

    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {mine.pk, theirs.pk} <= shown


@pytest.mark.parametrize("action", ["change", "delete", "history"])
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_other_secretariats_object_pages_are_refused(client, cica, kca, model, action):
    theirs = BUILDERS[model](kca)
    client.force_login(cica.staff)

    response = client.get(_url(model, action, theirs.pk))

    assert response.status_code == 404
    # Nothing that identifies the other secretariat's row or its tenant: its own text
    # (built from names, never a bare number) and the tenant's names.
    for identifying in (str(theirs), *KCA_NAMES):
        assert len(identifying) > 5 and not identifying.isdigit()
        assert identifying.encode() not in response.content


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_own_object_pages_open(client, cica, kca, model):
    mine = BUILDERS[model](cica)
    client.force_login(cica.staff)

    assert client.get(_url(model, "change", mine.pk)).status_code == 200
    assert client.get(_url(model, "history", mine.pk)).status_code == 200


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_posting_a_delete_of_another_secretariats_object_deletes_nothing(client, cica, kca, model):
    theirs = BUILDERS[model](kca)
    client.force_login(cica.staff)

    response = client.post(_url(model, "delete", theirs.pk), {"post": "yes"})

    assert response.status_code == 404
    assert model.objects.filter(pk=theirs.pk).exists()


def _autocomplete_cases():
    for source_model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target = source_model._meta.get_field(field_name).remote_field.model
            if target in BUILDERS:
                yield pytest.param(
                    source_model, field_name, target, id=f"{source_model._meta.label}.{field_name}"
                )


@pytest.mark.parametrize(("source", "field_name", "target"), list(_autocomplete_cases()))
def test_autocomplete_offers_only_own_secretariats_rows(
    client, cica, kca, source, field_name, target
):
    mine, theirs = BUILDERS[target](cica), BUILDERS[target](kca)
    client.force_login(cica.staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field_name,
        },
    )

    assert response.status_code == 200
    offered = {int(row["id"]) for row in response.json()["results"]}
    assert str(mine.pk) in {str(i) for i in offered}
    assert theirs.pk not in offered


def test_forged_foreign_key_to_another_secretariats_forum_is_refused(client, cica, kca):
    client.force_login(cica.staff)

    response = client.post(
        _url(Meeting, "add"),
        {
            "forum": kca.forum.pk,
            "kind": "workshop",
            "title": "Forged workshop",
            "slug": "forged-workshop",
            "status": "planned",
        },
    )

    assert response.status_code == 200
    assert "forum" in response.context["adminform"].form.errors
    assert not Meeting.objects.filter(slug="forged-workshop").exists()


def test_own_forum_is_accepted_in_the_same_form(client, cica):
    client.force_login(cica.staff)

    response = client.post(
        _url(Meeting, "add"),
        {
            "forum": cica.forum.pk,
            "kind": "workshop",
            "title": "Energy workshop",
            "slug": "energy-workshop",
            "status": "planned",
            "speakers-TOTAL_FORMS": "0",
            "speakers-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="energy-workshop")
    assert meeting.created_by == cica.staff
    assert meeting.updated_by == cica.staff
    assert meeting.history.count() == 1


def test_staff_outside_any_secretariat_sees_no_forum(client, cica):
    outsider = f.StaffUserFactory(username="outsider")
    client.force_login(outsider)

    response = client.get(_url(Forum, "changelist"))

    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(client, cica, superuser, model):
    client.force_login(superuser)
    url = _url(model, "changelist")
    BUILDERS[model](cica)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        extra = f.ForumFactory(secretariat=cica.secretariat, slug=f"extra-{model.__name__}-{n}")
        f.MembershipFactory(forum=extra, institute=f.InstituteFactory())
        BUILDERS[model](_as_tenant(cica, extra))
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(one)


def _as_tenant(tenant, forum):
    from tests.conftest import Tenant

    institute = Membership.objects.filter(forum=forum).get().institute
    return Tenant(secretariat=tenant.secretariat, forum=forum, institute=institute, staff=None)


def test_country_filter_offers_only_countries_of_visible_rows(client, cica, kca):
    Institute.objects.filter(pk=cica.institute.pk).update(country="CN")
    Institute.objects.filter(pk=kca.institute.pk).update(country="KR")
    client.force_login(cica.staff)

    response = client.get(_url(Institute, "changelist"))

    country_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "country"
    )
    offered = [c["display"] for c in country_filter.choices(response.context["cl"])]
    assert offered == ["All", "China"]
