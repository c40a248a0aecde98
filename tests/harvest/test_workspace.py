"""A member registers their institute's repository in the workspace; whether its records
skip review stays the secretariat's decision."""

import pytest

from members.enums import HarvestStatus
from members.models import HarvestRun, HarvestSource, MemberChange
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db

URL = "/members/institute/harvesting/"


def _data(forum, **overrides) -> dict:
    return {
        "base_url": "https://repository.cica-institute.example.org/oai",
        "set_spec": "",
        "forum": str(forum.pk),
        "is_active": "on",
        **overrides,
    }


def test_a_member_registers_the_repository_and_the_secretariat_is_told(client, cica):
    contact = member_of(cica, username="focal")
    client.force_login(contact.user)

    response = client.post(URL, _data(cica.forum, arrives_approved="on"))

    assert response.status_code == 302
    source = HarvestSource.objects.get()
    assert (
        source.institute,
        source.base_url,
        source.forum,
        source.is_active,
        source.arrives_approved,
    ) == (
        cica.institute,
        "https://repository.cica-institute.example.org/oai",
        cica.forum,
        True,
        False,
    )
    assert list(MemberChange.objects.values_list("forum", "summary")) == [
        (cica.forum.pk, "repository to harvest: OAI-PMH base URL, forum")
    ]


def test_saving_unchanged_records_nothing(client, cica):
    contact = member_of(cica, username="focal")
    client.force_login(contact.user)
    client.post(URL, _data(cica.forum))

    client.post(URL, _data(cica.forum))

    assert MemberChange.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"base_url": "ftp://repo.example.org/oai"}, {"base_url": ["Enter a valid URL."]}),
        (
            {"set_spec": "reports & papers"},
            {
                "set_spec": [
                    "A set spec is letters, digits and - _ . ! ~ * ' ( ), its levels "
                    "separated by “:”."
                ]
            },
        ),
    ],
)
def test_a_bad_address_or_set_is_refused_and_nothing_saved(client, cica, overrides, errors):
    contact = member_of(cica, username="focal")
    client.force_login(contact.user)

    response = client.post(URL, _data(cica.forum, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert HarvestSource.objects.count() == 0


def test_a_forum_the_institute_is_not_admitted_to_is_not_a_choice(client, cica, kca):
    contact = member_of(cica, username="focal")
    client.force_login(contact.user)

    response = client.post(URL, _data(kca.forum))

    assert response.context["form"].errors == {
        "forum": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert HarvestSource.objects.count() == 0


def test_a_member_sees_only_their_institutes_runs(client, cica, kca):
    for tenant, error in ((cica, "CICA repository error"), (kca, "KCA repository error")):
        HarvestRun.objects.create(
            institute=tenant.institute,
            forum=tenant.forum,
            base_url="https://repo.example.org/oai",
            status=HarvestStatus.FAILED,
            error=error,
        )
    contact = member_of(cica, username="focal")
    client.force_login(contact.user)

    content = client.get(URL).content.decode()

    assert "CICA repository error" in content
    assert "KCA repository error" not in content


@pytest.mark.parametrize("who", ["anonymous", "cica"])
def test_only_members_open_the_page(client, cica, who):
    if who == "cica":
        client.force_login(cica.staff)

    response = client.post(URL, _data(cica.forum))

    assert response.status_code == (302 if who == "anonymous" else 403)
    assert HarvestSource.objects.count() == 0
