"""A member institute recommends a new institution for one of its forums; the secretariat
admits (creating the institute, its contact and a membership) or declines it."""

import pytest
from django.utils import timezone

from members.models import Contact, Institute, Membership, Recommendation
from tests import factories as f
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/members/recommendation/"


def _data(forum, **overrides) -> dict:
    data = {
        "forum": str(forum.pk),
        "name": "Centre for Regional Studies",
        "country": "UZ",
        "website": "https://crs.example.uz",
        "contact_name": "Dilnoza Karimova",
        "contact_email": "dilnoza@crs.example.uz",
        "reasons": "Publishes widely on water security.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member_a(cica):
    return member_of(cica, username="member-a")


@pytest.fixture
def pending(cica):
    return f.RecommendationFactory(
        forum=cica.forum,
        recommended_by=cica.institute,
        name="Centre for Regional Studies",
        contact_name="Dilnoza Karimova",
        contact_email="dilnoza@crs.example.uz",
    )


def test_a_member_recommends_for_its_own_forum(client, cica, member_a):
    client.force_login(member_a.user)

    response = client.post("/members/recommend/", _data(cica.forum))

    assert response.status_code == 302
    row = Recommendation.objects.get()
    assert (row.forum, row.recommended_by, row.status) == (cica.forum, cica.institute, "pending")
    assert row.created_by == member_a.user
    listing = client.get("/members/recommend/")
    assert [r.pk for r in listing.context["recommendations"]] == [row.pk]
    assert list(listing.context["form"].fields["forum"].queryset) == [cica.forum]


def test_another_forum_is_a_form_error_and_nothing_is_written(client, cica, kca, member_a):
    client.force_login(member_a.user)

    response = client.post("/members/recommend/", _data(kca.forum))

    assert response.status_code == 200
    assert "forum" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_a_member_does_not_see_another_institutes_recommendations(client, kca, member_a):
    f.RecommendationFactory(forum=kca.forum, recommended_by=kca.institute, name="Hidden Centre")
    client.force_login(member_a.user)

    response = client.get("/members/recommend/")

    assert response.context["recommendations"] == []
    assert b"Hidden Centre" not in response.content


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/members/recommend/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admitting_creates_institute_contact_and_membership(client, cica, pending):
    client.force_login(cica.staff)

    response = client.post(CHANGELIST, {"action": "admit", "_selected_action": [pending.pk]})

    assert response.status_code == 302
    pending.refresh_from_db()
    institute = Institute.objects.get(name="Centre for Regional Studies")
    assert (pending.status, pending.decided_on, pending.institute) == (
        "admitted",
        timezone.localdate(),
        institute,
    )
    assert institute.slug == "centre-for-regional-studies"
    contact = Contact.objects.get(institute=institute)
    assert (contact.full_name, contact.email) == ("Dilnoza Karimova", "dilnoza@crs.example.uz")
    membership = Membership.objects.get(institute=institute)
    assert (membership.forum, membership.status, membership.recommended_by) == (
        cica.forum,
        "admitted",
        cica.institute,
    )
    assert membership.decided_on == timezone.localdate()
    assert membership.status_changes.get().status == "admitted"


def test_admitting_twice_creates_nothing_more(client, cica, pending):
    client.force_login(cica.staff)

    client.post(CHANGELIST, {"action": "admit", "_selected_action": [pending.pk]})
    client.post(CHANGELIST, {"action": "admit", "_selected_action": [pending.pk]})

    assert Institute.objects.filter(name=pending.name).count() == 1


def test_the_slug_is_unique(cica):
    f.InstituteFactory(name="Other", slug="centre-for-regional-studies")
    from members.services import recommendation_admit

    row = f.RecommendationFactory(
        forum=cica.forum, recommended_by=cica.institute, name="Centre for Regional Studies"
    )
    recommendation_admit(recommendation=row, by=cica.staff)

    assert row.__class__.objects.get().institute.slug == "centre-for-regional-studies-2"


def test_declining_creates_nothing(client, cica, pending):
    client.force_login(cica.staff)

    client.post(CHANGELIST, {"action": "decline", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert (pending.status, pending.decided_on) == ("declined", timezone.localdate())
    assert not Institute.objects.filter(name=pending.name).exists()


def test_staff_of_another_secretariat_cannot_see_or_admit(client, kca, pending):
    client.force_login(kca.staff)

    assert client.get(f"{CHANGELIST}{pending.pk}/change/").status_code == 404
    listing = client.get(CHANGELIST)
    assert pending.pk not in {r.pk for r in listing.context["cl"].result_list}
    client.post(CHANGELIST, {"action": "admit", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not Institute.objects.filter(name=pending.name).exists()
