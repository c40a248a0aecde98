"""Who reaches which page of the member workspace: one table for every URL. A member
reaches only their own institute's objects; anything else answers 404 (also by guessing
ids), and a denied request leaks nothing and writes or e-mails nothing."""

import datetime
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import ActivityModerator
from members.models import Contact, FocalPoint, HarvestSource, Institute, Recommendation
from publications.models import Publication
from tests import factories as f
from tests.workspace.helpers import member_of, pdf_bytes, profile_data, submission_data

# E-mails are sent by a worker's job, run here in-process as it is enqueued.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("private_media"),
    pytest.mark.usefixtures("eager_celery"),
]
MARKER = "Marker-A"


@pytest.fixture
def world(cica, kca):
    cica.institute.description = f"{MARKER} description"
    cica.institute.save()
    cica.secretariat.email = "cica-secretariat@example.org"
    cica.secretariat.save()
    member_a = member_of(cica, username="member-a", full_name=f"{MARKER} focal point")
    colleague = f.ContactFactory(institute=cica.institute, full_name=f"{MARKER} colleague")
    publication = f.PublicationFactory(
        title=f"{MARKER} submission", forum=cica.forum, status="submitted"
    )
    publication.institutes.set([cica.institute])
    member_b = member_of(kca, username="member-b", full_name="KCA person")
    plan = f.ActionPlanFactory(
        forum=cica.forum, year=2024, status="adopted", adopted_on=datetime.date(2024, 6, 27)
    )
    activity = f.ActivityFactory(plan=plan, kind="workshop_series", title=f"{MARKER} workshops")
    theme = f.ThemeFactory(name="Water resources")
    activity.themes.add(theme)
    return {
        "activity": activity,
        "theme": theme,
        "cica": cica,
        "kca": kca,
        "member_a": member_a.user,
        "member_b": member_b.user,
        "colleague": colleague,
        "publication": publication,
    }


def _payload(world, name):
    cica = world["cica"]
    if name == "institute":
        return {**profile_data(cica.institute, description="Changed"), f"focal_{cica.forum.pk}": ""}
    if name == "institute_harvest":
        return {
            "base_url": "https://repository.example.org/oai",
            "set_spec": "",
            "forum": cica.forum.pk,
            "is_active": "on",
        }
    if name in ("contact_create", "contact_edit"):
        return {
            "full_name": "Written by someone",
            "position": "",
            "email": "",
            "phone": "",
            "is_active": "on",
        }
    if name == "publication_create":
        return {**submission_data(cica.forum), "pdf": SimpleUploadedFile("a.pdf", pdf_bytes())}
    if name == "publication_edit":
        return submission_data(cica.forum, title="Written by someone")
    if name == "workshop_volunteer":
        return {"theme": world["theme"].pk}
    if name == "recommend":
        return {
            "forum": cica.forum.pk,
            "name": "Institute of World Economy",
            "country": "KZ",
            "website": "",
            "contact_name": "Contact",
            "contact_email": "contact@iwe.example.org",
            "reasons": "A strong research record.",
        }
    return {}


# (url name, takes A's object, method)
CASES = [
    ("dashboard", None, "get"),
    ("institute", None, "get"),
    ("institute", None, "post"),
    ("institute_harvest", None, "get"),
    ("institute_harvest", None, "post"),
    ("contact_create", None, "get"),
    ("contact_create", None, "post"),
    ("contact_edit", "colleague", "get"),
    ("contact_edit", "colleague", "post"),
    ("publication_list", None, "get"),
    ("publication_create", None, "get"),
    ("publication_create", None, "post"),
    ("publication_edit", "publication", "get"),
    ("publication_edit", "publication", "post"),
    ("publication_withdraw", "publication", "get"),
    ("publication_withdraw", "publication", "post"),
    ("workshop_list", None, "get"),
    ("workshop_volunteer", "activity", "post"),
    ("recommend", None, "get"),
    ("recommend", None, "post"),
]
ROLES = ["anonymous", "member_a", "member_b", "staff", "superuser"]
# B posting to its own profile, contacts or submissions writes B's rows: that is member A's
# case mirrored, so the table leaves it out.
MATRIX = [
    (role, *case)
    for case in CASES
    for role in ROLES
    if not (role == "member_b" and case[1] is None and case[2] == "post")
]


def _expected(role, obj, method):
    if role == "anonymous":
        return 302
    if role in ("staff", "superuser"):
        return 403
    if role == "member_b":
        return 404 if obj else 200
    return 302 if method == "post" else 200


def _snapshot(institute):
    return (
        list(Institute.objects.order_by("pk").values_list("pk", "description", "updated_at")),
        list(Contact.objects.order_by("pk").values_list("pk", "full_name", "updated_at")),
        list(Publication.objects.order_by("pk").values_list("pk", "title", "status")),
        list(FocalPoint.objects.values_list("pk", "contact_id")),
        ActivityModerator.objects.count(),
        Recommendation.objects.count(),
        list(HarvestSource.objects.values_list("pk", "base_url", "forum_id", "arrives_approved")),
        Institute.history.count(),
        Contact.history.count(),
        Publication.history.count(),
    )


@pytest.mark.parametrize(("role", "name", "obj", "method"), MATRIX)
def test_workspace_permission_matrix(
    client, world, superuser, django_capture_on_commit_callbacks, role, name, obj, method
):
    user = {
        "anonymous": None,
        "member_a": world["member_a"],
        "member_b": world["member_b"],
        "staff": world["cica"].staff,
        "superuser": superuser,
    }[role]
    if user is not None:
        client.force_login(user)
    kwargs = {"pk": world[obj].pk} if obj else {}
    url = reverse(f"workspace:{name}", kwargs=kwargs)
    before = _snapshot(world["cica"].institute)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url) if method == "get" else client.post(url, _payload(world, name))

    expected = _expected(role, obj, method)
    assert response.status_code == expected
    if role == "member_a":
        return
    if role == "anonymous":
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    assert MARKER not in response.content.decode()
    assert _snapshot(world["cica"].institute) == before
    assert mail.outbox == []


@pytest.mark.slow
def test_member_b_cannot_guess_ids_of_a(client, world):
    client.force_login(world["member_b"])
    top = max(Publication.objects.order_by("-pk").values_list("pk", flat=True)[:1] or [0])
    for pk in range(1, top + 3):
        assert client.get(f"/members/publications/{pk}/edit/").status_code == 404
    top = max(Contact.objects.order_by("-pk").values_list("pk", flat=True)[:1] or [0])
    own = set(Contact.objects.filter(institute=world["kca"].institute).values_list("pk", flat=True))
    for pk in range(1, top + 3):
        expected = 200 if pk in own else 404
        assert client.get(f"/members/institute/contacts/{pk}/").status_code == expected


def test_member_b_cannot_make_a_contact_of_a_its_focal_point(client, world):
    kca = world["kca"]
    client.force_login(world["member_b"])
    response = client.post(
        "/members/institute/",
        {**profile_data(kca.institute), f"focal_{kca.forum.pk}": str(world["colleague"].pk)},
    )

    assert response.status_code == 200
    assert FocalPoint.objects.count() == 0
    assert MARKER not in response.content.decode()
