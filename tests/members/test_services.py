import datetime

import pytest
from django.utils import timezone

from members.enums import MembershipStatus
from members.services import membership_decide, membership_save
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_new_membership_starts_its_status_history(cica_staff):
    membership = f.MembershipFactory.build(
        institute=f.InstituteFactory(),
        forum=f.ForumFactory(),
        status=MembershipStatus.RECOMMENDED,
        decided_on=None,
    )

    membership_save(membership=membership, by=cica_staff, note="Recommended by KazISS")

    steps = list(membership.status_changes.values_list("status", "note", "created_by"))
    assert steps == [(MembershipStatus.RECOMMENDED, "Recommended by KazISS", cica_staff.pk)]


def test_a_status_change_appends_a_dated_step_and_a_plain_save_does_not(cica_staff):
    membership = f.MembershipFactory.build(
        institute=f.InstituteFactory(),
        forum=f.ForumFactory(),
        decided_on=None,
        status=MembershipStatus.RECOMMENDED,
    )
    membership_save(membership=membership, by=cica_staff)

    membership = membership_decide(
        membership=membership,
        status=MembershipStatus.ADMITTED,
        decided_on=datetime.date(2024, 6, 27),
        by=cica_staff,
    )
    membership.notes = "Welcome letter sent"
    membership_save(membership=membership, by=cica_staff)

    assert list(membership.status_changes.values_list("status", "changed_on")) == [
        (MembershipStatus.RECOMMENDED, timezone.localdate()),
        (MembershipStatus.ADMITTED, datetime.date(2024, 6, 27)),
    ]
