from core.scoping import scope_for_staff, staff_forum_ids
from members.models import Contact, Institute
from tests import factories as f


def test_staff_forum_ids_are_the_forums_of_their_secretariats(cica, kca):
    assert staff_forum_ids(user=cica.staff) == frozenset({cica.forum.pk})
    assert staff_forum_ids(user=kca.staff) == frozenset({kca.forum.pk})


def test_user_without_staff_flag_has_no_forums(cica):
    cica.staff.is_staff = False
    assert staff_forum_ids(user=cica.staff) == frozenset()


def test_institutes_are_scoped_by_membership_and_orphans_are_shared(cica, kca):
    orphan = f.InstituteFactory(name="Not yet a member")
    both = f.InstituteFactory(name="Member of both")
    f.MembershipFactory(institute=both, forum=cica.forum)
    f.MembershipFactory(institute=both, forum=kca.forum)

    visible = scope_for_staff(Institute.objects.all(), user=cica.staff)

    assert sorted(visible.values_list("name", flat=True)) == sorted(
        ["CICA Institute", "Not yet a member", "Member of both"]
    )
    assert orphan in visible


def test_contacts_follow_their_institute(cica, kca):
    mine = f.ContactFactory(institute=cica.institute)
    f.ContactFactory(institute=kca.institute)

    assert list(scope_for_staff(Contact.objects.all(), user=cica.staff)) == [mine]


def test_superuser_sees_everything(cica, kca, superuser):
    assert scope_for_staff(Institute.objects.all(), user=superuser).count() == 2


def test_inactive_staff_sees_nothing(cica):
    cica.staff.is_active = False
    assert scope_for_staff(Institute.objects.all(), user=cica.staff).count() == 0


def test_inactive_staff_sees_no_unowned_rows_either(cica):
    f.InstituteFactory(name="Not yet a member")
    cica.staff.is_active = False
    assert scope_for_staff(Institute.objects.all(), user=cica.staff).count() == 0
