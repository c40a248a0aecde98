"""factory_boy factories for every domain model; defaults make valid rows."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from actionplans import models as plans
from actionplans.enums import ActivityKind, MeetingKind
from forums import models as forums
from members import models as members
from members.enums import InstituteKind, MembershipStatus
from publications import models as pubs
from publications.enums import PublicationKind
from secretariat import models as sec


def staff_group():
    """The "Secretariat staff" group as its migrations make it (``staff_group_sync``, the
    one table). A transactional test's flush empties every table, the data migrations'
    rows included; this puts the group back."""
    from django.contrib.auth.models import Group

    from secretariat.permissions import STAFF_GROUP, staff_group_sync

    return Group.objects.filter(name=STAFF_GROUP).first() or staff_group_sync()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def secretariat_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(staff_group())


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = forums.Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = forums.Framework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")


class FrameworkMemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = forums.FrameworkMemberState

    framework = factory.SubFactory(FrameworkFactory)
    country = "KZ"


class SecretariatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = forums.Secretariat

    name = factory.Sequence(lambda n: f"Secretariat {n}")
    slug = factory.Sequence(lambda n: f"secretariat-{n}")


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = forums.Forum

    name = factory.Sequence(lambda n: f"Think Tank Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    framework = factory.SubFactory(FrameworkFactory)
    secretariat = factory.SubFactory(SecretariatFactory)


class InstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.Institute

    name = factory.Sequence(lambda n: f"Institute for Strategic Studies {n}")
    slug = factory.Sequence(lambda n: f"institute-{n}")
    country = "KZ"
    kind = InstituteKind.STRATEGIC_STUDIES


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.Contact

    institute = factory.SubFactory(InstituteFactory)
    full_name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class HarvestSourceFactory(factory.django.DjangoModelFactory):
    """A registered repository of an institute admitted to ``forum``."""

    class Meta:
        model = members.HarvestSource

    forum = factory.SubFactory(ForumFactory)
    institute = factory.LazyAttribute(
        lambda o: MembershipFactory(forum=o.forum, institute=InstituteFactory()).institute
    )
    base_url = factory.Sequence(lambda n: f"https://repository-{n}.example.org/oai")


class HarvestRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.HarvestRun

    institute = factory.SubFactory(InstituteFactory)
    forum = factory.SubFactory(ForumFactory)
    base_url = "https://repository.example.org/oai"
    status = "succeeded"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.Membership

    institute = factory.SubFactory(InstituteFactory)
    forum = factory.SubFactory(ForumFactory)
    status = MembershipStatus.ADMITTED
    decided_on = datetime.date(2024, 1, 15)


class MembershipStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.MembershipStatusChange

    membership = factory.SubFactory(MembershipFactory)
    status = MembershipStatus.ADMITTED
    changed_on = datetime.date(2024, 1, 15)


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.FocalPoint

    contact = factory.SubFactory(ContactFactory)
    forum = factory.SubFactory(ForumFactory)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.ActionPlan

    forum = factory.SubFactory(ForumFactory)
    year = factory.Sequence(lambda n: 2000 + n % 90)
    title = factory.LazyAttribute(lambda p: f"Annual Action Plan for {p.year}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.Activity

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = ActivityKind.WORKSHOP_SERIES
    title = factory.Sequence(lambda n: f"Activity {n}")
    text = "Workshops will be organized."


class ActivityModeratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.ActivityModerator

    activity = factory.SubFactory(ActivityFactory)
    institute = factory.SubFactory(InstituteFactory)
    theme = factory.SubFactory(ThemeFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.Meeting

    forum = factory.SubFactory(ForumFactory)
    kind = MeetingKind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")


class JointStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.JointStatement

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Joint Statement {n}")
    slug = factory.Sequence(lambda n: f"statement-{n}")
    text = "The representatives agreed."


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plans.Signatory

    statement = factory.SubFactory(JointStatementFactory)
    institute = factory.SubFactory(InstituteFactory)
    position = factory.Sequence(lambda n: n + 1)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pubs.Publication

    title = factory.Sequence(lambda n: f"Asia Security Outlook {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    forum = factory.SubFactory(ForumFactory)
    kind = PublicationKind.ANALYTICAL_REPORT
    published_on = datetime.date(2024, 3, 1)


class ConceptPaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sec.ConceptPaper

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Concept paper {n}")
    meeting = factory.SubFactory(MeetingFactory, forum=factory.SelfAttribute("..forum"))


class ConceptPaperAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sec.ConceptPaperAttachment

    paper = factory.SubFactory(ConceptPaperFactory)
    title = factory.Sequence(lambda n: f"Annex {n}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%%EOF\n", name="annex.pdf"))


class StateContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.StateContact

    forum = factory.SubFactory(ForumFactory)
    country = "KZ"
    organisation = factory.Sequence(lambda n: f"Ministry of Foreign Affairs {n}")
    email = factory.Sequence(lambda n: f"desk{n}@mfa.example.org")


class CirculationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sec.Circulation

    paper = factory.SubFactory(ConceptPaperFactory)
    subject = factory.Sequence(lambda n: f"Concept paper {n}")
    status = "ready"  # its document prepared, as most circulations are


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sec.Delivery

    circulation = factory.SubFactory(CirculationFactory)
    email = factory.Sequence(lambda n: f"recipient{n}@example.org")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sec.Answer

    delivery = factory.SubFactory(DeliveryFactory)
    attendance = "attending"
    attendees = "Nurlan Abenov, chief researcher"
    channel = "link"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = members.Recommendation

    forum = factory.SubFactory(ForumFactory)
    recommended_by = factory.SubFactory(InstituteFactory)
    name = factory.Sequence(lambda n: f"Recommended Centre {n}")
    country = "UZ"
    contact_name = "Dilnoza Karimova"
    contact_email = factory.Sequence(lambda n: f"recommended{n}@example.org")
    reasons = "Publishes widely on regional security."


CONCEPT_PAPER_PDF = b"%PDF-1.4\n% concept paper\n%%EOF\n"


def concept_paper_with_focal_points(forum, n: int, *, title="Twelfth CICA Think Tank Forum"):
    """A concept paper of ``forum`` with its PDF of the current version, and ``n`` focal
    points (fp0@example.org … fp<n-1>@example.org) spread over ten admitted institutes:
    its default recipients."""
    paper = ConceptPaperFactory(forum=forum, title=title)
    paper.pdf.save("concept-paper.pdf", ContentFile(CONCEPT_PAPER_PDF), save=False)
    paper.pdf_version = paper.version
    paper.save()
    institutes = [InstituteFactory(name=f"Member institute {i}") for i in range(10)]
    members.Membership.objects.bulk_create(
        members.Membership(
            institute=i,
            forum=forum,
            status=MembershipStatus.ADMITTED,
            decided_on=datetime.date(2024, 1, 1),
        )
        for i in institutes
    )
    contacts = members.Contact.objects.bulk_create(
        members.Contact(
            institute=institutes[i % 10], full_name=f"Focal Point {i}", email=f"fp{i}@example.org"
        )
        for i in range(n)
    )
    members.FocalPoint.objects.bulk_create(
        members.FocalPoint(contact=c, forum=forum) for c in contacts
    )
    return paper
