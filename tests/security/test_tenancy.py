"""One secretariat cannot reach another's people, logins or shared vocabulary.

The probe: CICA staff bound their own login to a contact of an institute admitted to both
forums, then acted as that institute in the member workspace and redirected the other
forum's circulation; the same field listed every login; they could change the address of
a contact who is the other forum's focal point.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Contact, FocalPoint
from tests import factories as f
from tests.html import form_data, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(cica, kca):
    """An institute admitted to both forums, with KCA's focal point among its contacts."""
    institute = f.InstituteFactory(name="Shared Institute", slug="shared")
    f.MembershipFactory(institute=institute, forum=cica.forum)
    f.MembershipFactory(institute=institute, forum=kca.forum)
    kca_focal = f.ContactFactory(institute=institute, full_name="KCA Focal", email="fp@shared.kz")
    f.FocalPointFactory(contact=kca_focal, forum=kca.forum)
    plain = f.ContactFactory(institute=institute, full_name="Plain", email="plain@shared.kz")
    return institute, kca_focal, plain


def _change(client, model: str, pk: int, **changes):
    """Opens the admin change page as a browser would, changes fields, sends the form."""
    url = reverse(f"admin:members_{model}_change", args=[pk])
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(page(response), f"form#{model}_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_no_admin_form_binds_a_login_to_a_contact(client, cica, shared):
    _institute, _focal, plain = shared
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_contact_change", args=[plain.pk]))
    _change(client, "contact", plain.pk, user=str(cica.staff.pk))

    assert "user" not in form_data(page(response), "form#contact_form")
    assert Contact.objects.get(pk=plain.pk).user_id is None


def test_the_contact_page_never_prints_another_login(client, cica, kca, shared):
    _institute, _focal, plain = shared
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_contact_change", args=[plain.pk]))

    assert kca.staff.username.encode() not in response.content
    assert kca.staff.email.encode() not in response.content


def test_a_staff_login_never_passes_as_a_member(client, cica, shared):
    _institute, _focal, plain = shared
    Contact.objects.filter(pk=plain.pk).update(user=cica.staff)
    client.force_login(cica.staff)

    assert client.get(reverse("workspace:dashboard")).status_code == 403
    assert client.get(reverse("workspace:institute")).status_code == 403


@pytest.mark.parametrize(
    "change", [{"email": "attacker@cica.example"}, {"is_active": ""}], ids=["email", "active"]
)
def test_staff_cannot_reroute_another_forums_focal_point(client, cica, shared, change):
    _institute, focal, _plain = shared
    client.force_login(cica.staff)

    response = _change(client, "contact", focal.pk, **change)

    assert response.status_code == 200
    assert "only its secretariat" in response.content.decode()
    focal.refresh_from_db()
    assert (focal.email, focal.is_active) == ("fp@shared.kz", True)


def test_nor_through_the_institutes_contact_rows(client, cica, shared):
    institute, focal, _plain = shared
    client.force_login(cica.staff)
    url = reverse("admin:members_institute_change", args=[institute.pk])
    data = form_data(page(client.get(url)), "form#institute_form")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(focal.pk)])
    data[row.replace("-id", "-email")] = ["attacker@cica.example"]

    response = client.post(url, data)

    assert response.status_code == 200
    focal.refresh_from_db()
    assert focal.email == "fp@shared.kz"


def test_nor_by_deleting_the_contact(client, cica, shared):
    _institute, focal, _plain = shared
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:members_contact_delete", args=[focal.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert FocalPoint.objects.filter(contact=focal).count() == 1


def test_their_own_secretariat_and_superusers_may(client, kca, superuser, shared):
    _institute, focal, _plain = shared
    for user, address in ((kca.staff, "new@shared.kz"), (superuser, "newer@shared.kz")):
        client.force_login(user)
        response = _change(client, "contact", focal.pk, email=address)
        assert response.status_code == 302
        focal.refresh_from_db()
        assert focal.email == address


def test_staff_change_other_contacts_of_a_shared_institute(client, cica, shared):
    _institute, _focal, plain = shared
    client.force_login(cica.staff)

    response = _change(client, "contact", plain.pk, email="plain2@shared.kz")

    assert response.status_code == 302
    plain.refresh_from_db()
    assert plain.email == "plain2@shared.kz"


def test_a_login_whose_address_differs_from_its_contacts_is_flagged(client, cica, shared):
    _institute, _focal, plain = shared
    user = f.UserFactory(username="plain-login", email="old@shared.kz")
    Contact.objects.filter(pk=plain.pk).update(user=user)
    client.force_login(cica.staff)

    response = client.get(reverse("admin:members_contact_changelist"), {"login_mismatch": "1"})

    assert [c.pk for c in response.context["cl"].result_list] == [plain.pk]


# --- Smaller leaks -------------------------------------------------------------------------


def test_view_on_site_is_scoped_like_every_other_admin_url(client, cica, kca):
    theirs = f.PublicationFactory(forum=kca.forum, title="Unapproved KCA draft", slug="kca-draft")
    mine = f.PublicationFactory(forum=cica.forum, slug="cica-draft")
    content_type = ContentType.objects.get_for_model(theirs)
    client.force_login(cica.staff)

    other = client.get(reverse("admin:view_on_site", args=[content_type.pk, theirs.pk]))
    missing = client.get(reverse("admin:view_on_site", args=[content_type.pk, 999_999]))
    own = client.get(reverse("admin:view_on_site", args=[content_type.pk, mine.pk]))

    assert (other.status_code, missing.status_code) == (404, 404)
    assert b"kca-draft" not in other.content
    assert (own.status_code, own["Location"]) == (302, "http://testserver/publications/cica-draft/")


def test_themes_are_shared_so_only_superusers_change_them(client, cica, superuser):
    theme = f.ThemeFactory(name="Energy")
    client.force_login(cica.staff)

    changed = client.post(
        reverse("admin:forums_theme_change", args=[theme.pk]),
        {"name": "Renamed by CICA", "name_ru": "", "slug": theme.slug},
    )
    add = client.get(reverse("admin:forums_theme_add"))
    listed = client.get(reverse("admin:forums_theme_changelist"))

    assert changed.status_code == 403
    assert add.status_code == 403
    assert listed.status_code == 200
    theme.refresh_from_db()
    assert theme.name == "Energy"
    client.force_login(superuser)
    assert client.get(reverse("admin:forums_theme_add")).status_code == 200


def test_only_superusers_decide_who_is_a_secretariats_staff(client, cica, kca, superuser):
    member_login = f.UserFactory(username="someone", email="someone@example.org")
    client.force_login(cica.staff)
    url = reverse("admin:forums_secretariat_change", args=[cica.secretariat.pk])

    response = client.get(url)
    data = form_data(page(response), "form#secretariat_form")
    data["staff"] = [str(cica.staff.pk), str(member_login.pk)]
    client.post(url, data)

    assert b"someone@example.org" not in response.content
    assert kca.staff.username.encode() not in response.content
    assert list(cica.secretariat.staff.all()) == [cica.staff]


def test_staff_cannot_move_another_forums_focal_point_to_another_institute(client, cica, shared):
    _institute, focal, _plain = shared
    client.force_login(cica.staff)

    response = _change(client, "contact", focal.pk, institute=str(cica.institute.pk))

    assert response.status_code == 200
    assert "only its secretariat" in response.content.decode()
    focal.refresh_from_db()
    assert focal.institute.slug == "shared"


def test_a_membership_stays_with_its_institute_and_forum(client, cica, shared):
    from members.models import Membership
    from members.services import membership_save

    institute, _focal, _plain = shared
    membership = Membership.objects.get(institute=institute, forum=cica.forum)
    client.force_login(cica.staff)

    _change(client, "membership", membership.pk, institute=str(cica.institute.pk))
    forum_page = reverse("admin:forums_forum_change", args=[cica.forum.pk])
    data = form_data(page(client.get(forum_page)), "form#forum_form")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(membership.pk)])
    data[row.replace("-id", "-institute")] = [str(f.InstituteFactory().pk)]
    client.post(forum_page, data)

    membership.refresh_from_db()
    assert membership.institute_id == institute.pk
    membership.institute = cica.institute
    with pytest.raises(ValidationError):
        membership_save(membership=membership, by=cica.staff)
