"""Every admin page costs the same number of queries whatever the number of rows.

For each ModelAdmin registered on the portal's admin site, a builder makes one row of its
model (in the CICA secretariat's forum) and another adds related rows to that row: the
rows of each inline of its change page, the values its many-to-many widgets show. The
changelist and the change page are opened with one row of each, then again with 20, as
the CICA staff (where they may see the model) and as a superuser; the count must be the
same and at most ``MAX_QUERIES``. A ModelAdmin registered without a builder here fails.
"""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from actionplans.enums import MeetingKind, MeetingStatus
from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    Activity,
    ActivityModerator,
    ActivityTranslation,
    JointStatement,
    JointStatementTranslation,
    Meeting,
    MeetingSpeaker,
    Signatory,
)
from documents.models import DocumentCategory
from forums.enums import HostingPrinciple
from forums.models import (
    Forum,
    Framework,
    FrameworkMemberState,
    HostRotationCountry,
    Secretariat,
    Theme,
)
from mail.models import OutboundMail, OutboundMailAttempt
from members.models import (
    Contact,
    FocalPoint,
    HarvestRun,
    HarvestSource,
    Institute,
    Invitation,
    MemberChange,
    Membership,
    MembershipStatusChange,
    Recommendation,
    StateContact,
)
from publications.models import Publication
from secretariat.enums import DeliveryStatus
from secretariat.models import (
    AnnualReport,
    Answer,
    Circulation,
    ConceptPaper,
    ConceptPaperAttachment,
    Delivery,
    DeliveryAttempt,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25
MANY = 20
_n = itertools.count(1)
_country_codes = iter([code for code, _name in countries])


def _forum(t) -> Forum:
    """Another forum run by the tenant's secretariat, with the tenant's institute in it."""
    forum = f.ForumFactory(secretariat=t.secretariat, framework=t.forum.framework)
    f.MembershipFactory(forum=forum, institute=f.InstituteFactory())
    return forum


def _plan(t) -> ActionPlan:
    return f.ActionPlanFactory(forum=_forum(t), year=2024)


def _paper(t) -> ConceptPaper:
    return f.ConceptPaperFactory(forum=t.forum)


def _circulation(t) -> Circulation:
    return f.CirculationFactory(paper=_paper(t), started_at=timezone.now())


def _noop(t, obj, k: int) -> None:
    return None


def _framework(t) -> Framework:
    framework = f.FrameworkFactory()
    f.ForumFactory(secretariat=t.secretariat, framework=framework)
    return framework


def _framework_states(t, framework, k: int) -> None:
    for _ in range(k):
        f.FrameworkMemberStateFactory(framework=framework, country=next(_country_codes))


def _secretariat(t) -> Secretariat:
    """Another secretariat the tenant's staff work for, running a forum."""
    secretariat = f.SecretariatFactory(operator=t.institute)
    secretariat.staff.add(t.staff)
    f.ForumFactory(secretariat=secretariat, framework=t.forum.framework)
    return secretariat


def _secretariat_staff(t, secretariat, k: int) -> None:
    secretariat.staff.add(*(f.StaffUserFactory() for _ in range(k)))


def _rotating_forum(t) -> Forum:
    """A forum hosting by reciprocity: its page also shows its host rotation."""
    forum = _forum(t)
    forum.hosting_principle = HostingPrinciple.RECIPROCITY
    forum.save()
    return forum


def _forum_rows(t, forum, k: int) -> None:
    """Memberships, countries of its host rotation (one group each) and sessions they
    hosted."""
    for _ in range(k):
        f.MembershipFactory(forum=forum, institute=f.InstituteFactory(), recommended_by=t.institute)
        group = HostRotationCountry.objects.filter(forum=forum).count() + 1
        country = next(_country_codes)
        HostRotationCountry.objects.create(forum=forum, group=group, turn=1, country=country)
        f.MeetingFactory(
            forum=forum,
            kind=MeetingKind.FORUM,
            status=MeetingStatus.HELD,
            starts_on=datetime.date(2000 + group, 1, 1),
            host_country=country,
        )


def _mail(t) -> OutboundMail:
    return OutboundMail.objects.create(
        to="someone@example.org",
        subject="Notice",
        body="Text",
        template="t",
        message_id=f"<{next(_n)}@test>",
    )


def _mail_attempts(t, mail, k: int) -> None:
    start = mail.attempt_log.count()
    OutboundMailAttempt.objects.bulk_create(
        OutboundMailAttempt(row=mail, number=start + i + 1, started_at=timezone.now())
        for i in range(k)
    )


def _institute(t) -> Institute:
    institute = f.InstituteFactory()
    f.MembershipFactory(forum=t.forum, institute=institute)
    return institute


def _institute_rows(t, institute, k: int) -> None:
    for _ in range(k):
        f.ContactFactory(institute=institute)
        f.MembershipFactory(
            forum=f.ForumFactory(secretariat=t.secretariat, framework=t.forum.framework),
            institute=institute,
        )


def _contact(t) -> Contact:
    user = f.UserFactory()
    return f.ContactFactory(institute=t.institute, user=user, email=user.email)


def _contact_rows(t, contact, k: int) -> None:
    for _ in range(k):
        f.FocalPointFactory(contact=contact, forum=_forum(t))
        Invitation.objects.create(
            contact=contact,
            email=contact.email,
            token_hash=f"{next(_n):064d}",
            expires_at=timezone.now() + datetime.timedelta(days=7),
            mail=_mail(t),
        )


def _membership(t) -> Membership:
    return f.MembershipFactory(
        forum=t.forum, institute=f.InstituteFactory(), recommended_by=t.institute
    )


def _status_changes(t, membership, k: int) -> None:
    for _ in range(k):
        f.MembershipStatusChangeFactory(membership=membership, created_by=t.staff)


def _plan_activities(t, plan, k: int) -> None:
    themes = [f.ThemeFactory(), f.ThemeFactory()]
    ActionPlanTranslation.objects.get_or_create(plan=plan, language="ru", title="План")
    for _ in range(k):
        activity = f.ActivityFactory(plan=plan, number=next(_n))
        activity.themes.set(themes)
        ActivityTranslation.objects.create(activity=activity, language="ru", text="Текст")


def _activity(t) -> Activity:
    return f.ActivityFactory(plan=_plan(t))


def _activity_rows(t, activity, k: int) -> None:
    for _ in range(k):
        f.ActivityModeratorFactory(activity=activity, institute=f.InstituteFactory())
        f.MeetingFactory(forum=activity.plan.forum, activity=activity)
        activity.themes.add(f.ThemeFactory())


def _meeting(t) -> Meeting:
    return f.MeetingFactory(forum=t.forum, host_institute=t.institute)


def _meeting_rows(t, meeting, k: int) -> None:
    for _ in range(k):
        MeetingSpeaker.objects.create(meeting=meeting, name=f"Speaker {next(_n)}")
    meeting.participants.add(*(f.InstituteFactory() for _ in range(k)))
    meeting.themes.add(*(f.ThemeFactory() for _ in range(k)))


def _statement(t) -> JointStatement:
    return f.JointStatementFactory(forum=t.forum)


def _signatories(t, statement, k: int) -> None:
    for _ in range(k):
        f.SignatoryFactory(statement=statement, institute=f.InstituteFactory())
    JointStatementTranslation.objects.get_or_create(
        statement=statement, language="ru", defaults={"title": "Заявление", "text": "Текст"}
    )


def _publication_rows(t, publication, k: int) -> None:
    plan = _plan(t)
    publication.institutes.add(*(f.InstituteFactory() for _ in range(k)))
    publication.themes.add(*(f.ThemeFactory() for _ in range(k)))
    publication.activities.add(*(f.ActivityFactory(plan=plan) for _ in range(k)))


def _paper_rows(t, paper, k: int) -> None:
    for _ in range(k):
        f.ConceptPaperAttachmentFactory(paper=paper)
        f.CirculationFactory(paper=paper, started_at=timezone.now())
    paper.organisers.add(*(f.InstituteFactory() for _ in range(k)))


def _delivery(t) -> Delivery:
    return f.DeliveryFactory(circulation=_circulation(t), name="Recipient")


def _deliveries(t, circulation, k: int) -> None:
    for _ in range(k):
        delivery = f.DeliveryFactory(
            circulation=circulation, status=DeliveryStatus.FAILED, last_error="550"
        )
        DeliveryAttempt.objects.create(row=delivery, number=1, started_at=timezone.now())
        f.AnswerFactory(delivery=f.DeliveryFactory(circulation=circulation))


_report_years = itertools.count(2000)


def _annual_report(t) -> AnnualReport:
    """A report of a year of its own (one per forum, year and language)."""
    return AnnualReport.objects.create(forum=t.forum, year=next(_report_years), language="en")


def _user_groups(t, user, k: int) -> None:
    user.groups.add(*(Group.objects.create(name=f"Group {next(_n)}") for _ in range(k)))


def _group(t) -> Group:
    return Group.objects.create(name=f"Group {next(_n)}")


def _group_permissions(t, group, k: int) -> None:
    group.permissions.add(*Permission.objects.order_by("pk")[group.permissions.count() :][:k])


def _email_address(t) -> EmailAddress:
    user = f.UserFactory()
    return EmailAddress.objects.create(user=user, email=user.email, verified=True)


def _authenticator(t) -> Authenticator:
    return Authenticator.objects.create(
        user=f.UserFactory(), type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )


# model: (make one row of it for tenant t, add k related rows to that row)
BUILDERS = {
    Theme: (lambda t: f.ThemeFactory(), _noop),
    DocumentCategory: (
        lambda t: DocumentCategory.objects.create(name=f"Kind {next(_n)}", slug=f"k{next(_n)}"),
        _noop,
    ),
    Framework: (_framework, _framework_states),
    Secretariat: (_secretariat, _secretariat_staff),
    FrameworkMemberState: (
        lambda t: f.FrameworkMemberStateFactory(
            framework=t.forum.framework, country=next(_country_codes)
        ),
        _noop,
    ),
    Forum: (_rotating_forum, _forum_rows),
    OutboundMail: (_mail, _mail_attempts),
    Institute: (_institute, _institute_rows),
    Contact: (_contact, _contact_rows),
    FocalPoint: (
        lambda t: f.FocalPointFactory(
            contact=f.ContactFactory(institute=t.institute), forum=t.forum
        ),
        _noop,
    ),
    Membership: (_membership, _status_changes),
    MembershipStatusChange: (
        lambda t: f.MembershipStatusChangeFactory(membership=_membership(t), created_by=t.staff),
        _noop,
    ),
    StateContact: (lambda t: f.StateContactFactory(forum=t.forum), _noop),
    Recommendation: (
        lambda t: f.RecommendationFactory(
            forum=t.forum, recommended_by=t.institute, institute=f.InstituteFactory()
        ),
        _noop,
    ),
    HarvestSource: (lambda t: f.HarvestSourceFactory(forum=t.forum), _noop),
    HarvestRun: (
        lambda t: f.HarvestRunFactory(
            institute=t.institute, forum=t.forum, notes=[{"identifier": "x", "reason": "y"}]
        ),
        _noop,
    ),
    MemberChange: (
        lambda t: MemberChange.objects.create(
            forum=t.forum, institute=t.institute, summary="website", changed_by=t.staff
        ),
        _noop,
    ),
    ActionPlan: (_plan, _plan_activities),
    Activity: (_activity, _activity_rows),
    ActivityModerator: (
        lambda t: f.ActivityModeratorFactory(activity=_activity(t), institute=t.institute),
        _noop,
    ),
    Meeting: (_meeting, _meeting_rows),
    JointStatement: (_statement, _signatories),
    Signatory: (
        lambda t: f.SignatoryFactory(statement=_statement(t), institute=t.institute),
        _noop,
    ),
    Publication: (lambda t: f.PublicationFactory(forum=t.forum), _publication_rows),
    ConceptPaper: (_paper, _paper_rows),
    ConceptPaperAttachment: (lambda t: f.ConceptPaperAttachmentFactory(paper=_paper(t)), _noop),
    Circulation: (_circulation, _deliveries),
    Delivery: (_delivery, _noop),
    Answer: (lambda t: f.AnswerFactory(delivery=_delivery(t)), _noop),
    AnnualReport: (_annual_report, _noop),
    User: (lambda t: f.StaffUserFactory(), _user_groups),
    Group: (_group, _group_permissions),
    EmailAddress: (_email_address, _noop),
    Authenticator: (_authenticator, _noop),
}

# Not any one secretariat's: only superusers open their pages.
SUPERUSER_ONLY = {OutboundMail, User, Group, EmailAddress, Authenticator}
MODELS = sorted(BUILDERS, key=lambda m: m._meta.label)
CASES = [
    pytest.param(model, who, id=f"{model._meta.label}-{who}")
    for model in MODELS
    for who in ("staff", "superuser")
    if who == "superuser" or model not in SUPERUSER_ONLY
]


def test_every_registered_model_admin_has_a_builder_here():
    assert set(admin.site._registry) == set(BUILDERS)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _counts(client, model, obj) -> dict[str, int]:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": _queries(client, reverse(f"{name}_changelist")),
        "change": _queries(client, reverse(f"{name}_change", args=[obj.pk])),
    }


@pytest.mark.parametrize(("model", "who"), CASES)
def test_admin_pages_cost_the_same_queries_for_1_or_20_rows(
    client, cica, kca, superuser, private_media, model, who
):
    make, add = BUILDERS[model]
    client.force_login(cica.staff if who == "staff" else superuser)
    obj = make(cica)
    add(cica, obj, 1)
    make(kca)  # another secretariat's row, never counted nor shown to CICA's staff
    _counts(client, model, obj)  # sessions, content types: cached from here on
    one = _counts(client, model, obj)
    for _ in range(MANY - 1):
        add(cica, make(cica), 1)
    add(cica, obj, MANY - 1)
    many = _counts(client, model, obj)

    assert many == one
    assert max(many.values()) <= MAX_QUERIES
