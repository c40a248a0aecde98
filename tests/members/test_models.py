import pytest
from django.db.models import ProtectedError

from members.enums import MembershipStatus
from members.models import Institute
from tests import factories as f
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db


def test_one_membership_per_institute_and_forum():
    membership = f.MembershipFactory()
    with refused_by("membership_one_per_institute_and_forum"):
        f.MembershipFactory(institute=membership.institute, forum=membership.forum)


def test_an_institute_cannot_recommend_itself():
    institute = f.InstituteFactory()
    with refused_by("membership_not_recommended_by_itself"):
        f.MembershipFactory(institute=institute, recommended_by=institute)


def test_an_unknown_membership_status_is_refused():
    with refused_by("membership_status_valid"):
        f.MembershipFactory(status="pending")


def test_a_decided_membership_needs_its_date():
    with refused_by("membership_decision_has_date"):
        f.MembershipFactory(status=MembershipStatus.DECLINED, decided_on=None)


def test_a_recommended_membership_needs_no_date_yet():
    membership = f.MembershipFactory(status=MembershipStatus.RECOMMENDED, decided_on=None)
    assert membership.pk is not None


def test_contact_email_is_unique_within_an_institute_but_may_be_blank_twice():
    contact = f.ContactFactory(email="focal@kaziss.kz")
    f.ContactFactory(institute=contact.institute, email="")
    f.ContactFactory(institute=contact.institute, email="")
    with refused_by("contact_email_unique_per_institute"):
        f.ContactFactory(institute=contact.institute, email="focal@kaziss.kz")


def test_a_contact_is_focal_point_for_a_forum_once():
    focal = f.FocalPointFactory()
    with refused_by("focal_point_unique"):
        f.FocalPointFactory(contact=focal.contact, forum=focal.forum)


def test_institute_slug_and_name_are_unique():
    f.InstituteFactory(name="Korea Foundation", slug="korea-foundation")
    with refused_by("slug"):
        f.InstituteFactory(slug="korea-foundation")
    with refused_by("name"):
        f.InstituteFactory(name="Korea Foundation")


def test_an_institute_with_a_membership_cannot_be_deleted():
    membership = f.MembershipFactory()
    with pytest.raises(ProtectedError):
        membership.institute.delete()
    assert Institute.objects.filter(pk=membership.institute_id).exists()
