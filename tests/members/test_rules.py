"""One rule of "an admitted member of this forum", one message, on every path that asks
(submitting a publication, volunteering to moderate, naming focal points, recommending)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from actionplans.enums import ActionPlanStatus
from actionplans.services import moderation_volunteer
from members.enums import MembershipStatus
from members.models import Membership
from members.rules import admitted_forum_ids, admitted_member_check, is_admitted_member
from members.services import institute_profile_update, recommendation_submit
from publications.services import publication_submit
from tests import factories as f

pytestmark = pytest.mark.django_db

MESSAGE = "Your institute is not an admitted member of this forum."


@pytest.mark.parametrize(
    ("status", "admitted"),
    [
        (MembershipStatus.RECOMMENDED, False),
        (MembershipStatus.ADMITTED, True),
        (MembershipStatus.SUSPENDED, False),
        (MembershipStatus.WITHDRAWN, False),
        (MembershipStatus.DECLINED, False),
    ],
)
def test_only_an_admitted_membership_makes_a_member(cica, status, admitted):
    institute = f.InstituteFactory(name="Candidate institute")
    f.MembershipFactory(institute=institute, forum=cica.forum, status=status)

    assert is_admitted_member(institute, cica.forum) is admitted
    assert is_admitted_member(institute, cica.forum.pk) is admitted
    assert (admitted_forum_ids(institute) == {cica.forum.pk}) is admitted
    assert (Membership.objects.admitted().filter(institute=institute).count() == 1) is admitted


def test_membership_of_another_forum_does_not_count(cica, kca):
    assert is_admitted_member(cica.institute, cica.forum) is True
    assert is_admitted_member(cica.institute, kca.forum) is False


def test_the_check_names_the_field_when_asked(cica, kca):
    with pytest.raises(ValidationError) as on_field:
        admitted_member_check(cica.institute, kca.forum, field="forum")
    with pytest.raises(ValidationError) as plain:
        admitted_member_check(cica.institute, kca.forum)

    assert on_field.value.message_dict == {"forum": [MESSAGE]}
    assert plain.value.messages == [MESSAGE]
    assert plain.value.code == "not_a_member"


def test_submitting_to_a_forum_not_a_member_of_is_refused(cica, kca):
    with pytest.raises(ValidationError) as refused:
        publication_submit(
            institute=cica.institute,
            data={"forum": kca.forum, "title": "Water", "kind": "report"},
            pdf=None,
            by=cica.staff,
        )

    assert refused.value.message_dict["forum"] == [MESSAGE]


def test_volunteering_for_another_forums_workshop_is_refused(cica, kca):
    theme = f.ThemeFactory(name="Water")
    activity = f.ActivityFactory(
        plan=f.ActionPlanFactory(
            forum=kca.forum,
            status=ActionPlanStatus.ADOPTED,
            adopted_on=datetime.date(2024, 3, 1),
        )
    )
    activity.themes.set([theme])

    with pytest.raises(ValidationError) as refused:
        moderation_volunteer(activity=activity, institute=cica.institute, theme=theme, by=None)

    assert refused.value.messages == [MESSAGE]


def test_a_focal_point_for_a_forum_not_a_member_of_is_refused(cica, kca):
    contact = f.ContactFactory(institute=cica.institute)

    with pytest.raises(ValidationError) as refused:
        institute_profile_update(
            institute=cica.institute, data={"focal_points": {kca.forum.pk: contact}}, by=None
        )

    assert refused.value.messages == [MESSAGE]


def test_recommending_for_a_forum_not_a_member_of_is_refused(cica, kca):
    with pytest.raises(ValidationError) as refused:
        recommendation_submit(
            institute=cica.institute,
            data={"forum": kca.forum, "name": "New Centre", "decided_on": datetime.date.today()},
            by=None,
        )

    assert refused.value.message_dict["forum"] == [MESSAGE]
