"""The staff group holds exactly the permissions of the one table (secretariat.permissions),
as the migrations leave it; syncing again adds what is new and removes what was dropped."""

import pytest
from django.contrib.auth.models import Group, Permission

from secretariat.permissions import STAFF_GROUP, STAFF_PERMISSIONS, staff_group_sync

pytestmark = pytest.mark.django_db


def _held() -> set[str]:
    group = Group.objects.get(name=STAFF_GROUP)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_migrated_group_holds_exactly_the_table():
    held = _held()

    assert len(held) == 107
    assert held == {
        f"{app}.{action}_{model}"
        for app, models in STAFF_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }
    # What the secretariat may and may not do, in words:
    assert {"members.delete_contact", "secretariat.add_circulation"} <= held
    assert {"secretariat.add_annualreport", "secretariat.change_annualreport"} <= held
    assert not {"members.delete_institute", "forums.add_forum", "mail.view_outboundmail"} & held
    assert not {"auth.change_user", "secretariat.delete_circulation"} & held


def test_syncing_removes_what_was_granted_outside_the_table():
    group = Group.objects.get(name=STAFF_GROUP)
    group.permissions.add(Permission.objects.get(codename="delete_institute"))

    staff_group_sync()

    assert "members.delete_institute" not in _held()
    assert len(_held()) == 107
