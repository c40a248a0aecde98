"""The member workspace: dashboard, institute profile and contacts, submissions (uploads
checked by content), the secretariat's return with a reason, and hostile text escaped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from members.models import FocalPoint, Institute
from publications.models import Publication
from publications.services import publication_approve
from secretariat.services.circulation import delivery_from_answer_token
from tests import factories as f
from tests.html import page, texts
from tests.workspace.helpers import (
    member_of,
    pdf_bytes,
    profile_data,
    stored_files,
    submission_data,
)

# E-mails are sent by a worker's job, run here in-process as it is enqueued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def member_a(cica):
    return member_of(cica, username="member-a", full_name="Aigerim Sadykova")


@pytest.fixture
def signed_in(client, member_a):
    client.force_login(member_a.user)
    return client


def _submission(tenant, *, status="submitted", by=None, **fields):
    publication = f.PublicationFactory(forum=tenant.forum, status=status, submitted_by=by, **fields)
    publication.institutes.set([tenant.institute])
    return publication


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


# --- Uploads -----------------------------------------------------------------------------


def test_a_member_submits_a_pdf_which_stays_private(signed_in, cica, member_a, private_media):
    response = signed_in.post(
        "/members/publications/new/",
        {**submission_data(cica.forum), "pdf": SimpleUploadedFile("anything.bin", pdf_bytes())},
    )

    assert response.status_code == 302
    assert response["Location"] == "/members/publications/"
    publication = Publication.objects.get()
    assert publication.status == "submitted"
    assert publication.submitted_by == member_a.user
    assert list(publication.institutes.all()) == [cica.institute]
    assert publication.author_list == ["Abenov, Nurlan", "Sadykova, Aigerim"]
    year = timezone.now().year
    assert stored_files(private_media) == [f"publications/{year}/{publication.slug}.pdf"]
    assert stored_files(private_media.parent / "public") == []
    assert signed_in.get(f"/publications/{publication.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "limit_mb", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            20,
            "This file is not a PDF. Upload it as a PDF document.",
        ),
        (
            "report.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            20,
            "This file is not a PDF. Upload it as a PDF document.",
        ),
        (
            "report.pdf",
            b"%PDF-1.7\n" + b"0" * (1024 * 1024),
            1,
            "The file is larger than 1 MB; upload a smaller PDF.",
        ),
        (
            "report.pdf",
            pdf_bytes()[:600],
            20,
            "This PDF is damaged or incomplete and cannot be read. Export it again and retry.",
        ),
    ],
    ids=["renamed-executable", "html", "over-the-limit", "truncated"],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(
    signed_in, cica, private_media, settings, name, content, limit_mb, message
):
    settings.PUBLICATION_MAX_UPLOAD_MB = limit_mb
    response = signed_in.post(
        "/members/publications/new/",
        {**submission_data(cica.forum), "pdf": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [message]
    assert Publication.objects.count() == 0
    assert stored_files(private_media) == []
    assert stored_files(private_media.parent / "public") == []


def test_only_forums_the_institute_is_admitted_to_can_be_chosen(signed_in, cica, kca):
    response = signed_in.post(
        "/members/publications/new/",
        {
            **submission_data(kca.forum),
            "pdf": SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Publication.objects.count() == 0


def test_an_approved_submission_can_no_longer_be_edited(signed_in, cica, member_a):
    publication = _submission(cica, status="approved", title="Final", by=member_a.user)

    response = signed_in.post(
        f"/members/publications/{publication.pk}/edit/",
        submission_data(cica.forum, title="Changed"),
    )

    assert response.status_code == 409
    publication.refresh_from_db()
    assert publication.title == "Final"
    assert publication.status == "approved"


def test_editing_a_returned_submission_submits_it_again(signed_in, cica, member_a):
    publication = _submission(
        cica, status="returned", return_reason="Add the abstract.", by=member_a.user
    )

    response = signed_in.post(
        f"/members/publications/{publication.pk}/edit/",
        submission_data(cica.forum, title="With an abstract"),
    )

    assert response.status_code == 302
    publication.refresh_from_db()
    assert (publication.title, publication.status, publication.return_reason) == (
        "With an abstract",
        "submitted",
        "",
    )


def test_withdrawing_asks_first_then_withdraws(signed_in, cica, member_a):
    publication = _submission(cica, title="Draft", by=member_a.user)

    confirmation = signed_in.get(f"/members/publications/{publication.pk}/withdraw/")
    publication.refresh_from_db()
    assert confirmation.status_code == 200
    assert publication.status == "submitted"

    response = signed_in.post(f"/members/publications/{publication.pk}/withdraw/")
    publication.refresh_from_db()
    assert response.status_code == 302
    assert publication.status == "withdrawn"


# --- Institute profile -------------------------------------------------------------------


def test_a_profile_change_is_kept_and_the_secretariat_is_told(
    signed_in, cica, member_a, smtp, django_capture_on_commit_callbacks
):
    cica.secretariat.email = "secretariat@cica.example.org"
    cica.secretariat.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            "/members/institute/",
            {
                **profile_data(cica.institute, description="Think tank of the CICA region."),
                "phone": "+7 7172 75 20 20",
                f"focal_{cica.forum.pk}": str(member_a.pk),
            },
        )

    assert response.status_code == 302
    institute = Institute.objects.get(pk=cica.institute.pk)
    assert institute.description == "Think tank of the CICA region."
    assert institute.updated_by == member_a.user
    assert institute.history.count() == 2
    assert list(FocalPoint.objects.values_list("contact_id", "forum_id")) == [
        (member_a.pk, cica.forum.pk)
    ]
    [notice] = smtp.accepted
    assert notice.recipient == "secretariat@cica.example.org"
    assert notice.subject == "CICA Institute changed its profile"
    assert notice.body.splitlines()[:5] == [
        "member-a@example.org of CICA Institute changed:",
        "",
        "- description",
        "- phone",
        f"- focal point for {cica.forum.name}: Aigerim Sadykova",
    ]


def test_an_unchanged_profile_writes_and_sends_nothing(
    signed_in, cica, smtp, django_capture_on_commit_callbacks
):
    cica.secretariat.email = "secretariat@cica.example.org"
    cica.secretariat.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            "/members/institute/", {**profile_data(cica.institute), f"focal_{cica.forum.pk}": ""}
        )

    assert response.status_code == 302
    assert cica.institute.history.count() == 1
    assert smtp.accepted == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "This file is not an image. Upload the logo as a JPEG, PNG or WebP picture.",
        ),
        (
            "logo.png",
            b"MZ\x90\x00 not an image at all",
            "This file is not an image. Upload the logo as a JPEG, PNG or WebP picture.",
        ),
        ("logo.gif", None, "Logos must be JPEG, PNG or WebP pictures, not GIF."),
        ("logo.png", b"big", "The logo is larger than 2 MB."),
    ],
    ids=["svg", "renamed", "gif", "too-large"],
)
def test_a_bad_logo_is_refused_and_nothing_is_stored(
    signed_in, cica, private_media, name, content, message
):
    if name == "logo.gif":
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, "GIF")
        content = buffer.getvalue()
    if content == b"big":
        content = _png() + b"\x00" * (2 * 1024 * 1024)
    response = signed_in.post(
        "/members/institute/",
        {**profile_data(cica.institute), "logo": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == [message]
    assert not Institute.objects.get(pk=cica.institute.pk).logo
    assert stored_files(private_media.parent / "public") == []


def test_a_real_png_logo_is_stored_under_the_institutes_name(
    signed_in, cica, private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            "/members/institute/",
            {**profile_data(cica.institute), "logo": SimpleUploadedFile("x.jpg", _png())},
        )

    assert response.status_code == 302
    # Kept privately; the institute is an admitted member, so its public page has a copy.
    assert stored_files(private_media) == ["institutes/logos/cica-institute.png"]
    assert stored_files(private_media.parent / "public") == ["institutes/logos/cica-institute.png"]
    assert signed_in.get("/members/institute/logo/")["Content-Type"] == "image/png"


def test_a_logo_is_public_only_while_its_institute_is(
    client, cica, superuser, private_media, django_capture_on_commit_callbacks
):
    from members.models import Membership
    from members.services import institute_profile_update, membership_decide

    candidate = f.InstituteFactory(slug="candidate")
    membership = f.MembershipFactory(
        institute=candidate, forum=cica.forum, status="recommended", decided_on=None
    )
    public = private_media.parent / "public"
    with django_capture_on_commit_callbacks(execute=True):
        institute_profile_update(
            institute=candidate, data={"logo": SimpleUploadedFile("c.png", _png())}, by=superuser
        )
    assert stored_files(public) == []
    assert client.get("/media/institutes/logos/c.png").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_decide(membership=membership, status="admitted", by=superuser)
    candidate.refresh_from_db()
    assert stored_files(public) == [candidate.public_logo.name]
    assert client.get(candidate.public_logo.url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(membership=membership, status="withdrawn", by=superuser)
    assert stored_files(public) == []
    assert Membership.objects.get(pk=membership.pk).status == "withdrawn"


def test_a_contact_is_added_edited_and_deactivated(signed_in, cica, member_a):
    signed_in.post(
        "/members/institute/contacts/new/",
        {
            "full_name": "Nurlan Abenov",
            "position": "Chief researcher",
            "email": "n@example.org",
            "phone": "",
            "is_active": "on",
        },
    )
    contact = cica.institute.contacts.get(full_name="Nurlan Abenov")
    f.FocalPointFactory(contact=contact, forum=cica.forum)

    response = signed_in.post(
        f"/members/institute/contacts/{contact.pk}/",
        {
            "full_name": "Nurlan Abenov",
            "position": "Director",
            "email": "n@example.org",
            "phone": "",
        },
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.is_active) == ("Director", False)
    assert FocalPoint.objects.count() == 0


def test_a_member_cannot_deactivate_themselves(signed_in, member_a):
    response = signed_in.post(
        f"/members/institute/contacts/{member_a.pk}/",
        {"full_name": member_a.full_name, "email": member_a.email},
    )

    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == ["You cannot deactivate yourself."]
    member_a.refresh_from_db()
    assert member_a.is_active is True


# --- Dashboard ---------------------------------------------------------------------------


def test_the_dashboard_shows_memberships_meetings_submissions_and_documents_to_answer(
    signed_in, cica, kca, member_a
):
    import datetime

    f.MeetingFactory(
        forum=cica.forum,
        title="Ninth meeting",
        status="planned",
        starts_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    f.MeetingFactory(
        forum=kca.forum,
        title="Not ours",
        status="planned",
        starts_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    _submission(cica, title="Ours", by=member_a.user)
    open_one = f.DeliveryFactory(institute=cica.institute, circulation__subject="Concept: water")
    answered = f.DeliveryFactory(institute=cica.institute, circulation__subject="Answered")
    f.AnswerFactory(delivery=answered)
    f.DeliveryFactory(institute=kca.institute, circulation__subject="Theirs")

    html = page(signed_in.get("/members/"))

    assert texts(html, ".membership-list li") == [f"{cica.forum.name} — Admitted"]
    assert [t.split(" ", 2)[:2] for t in texts(html, ".meeting-list li")] == [["Ninth", "meeting"]]
    assert texts(html, ".awaiting-list a") == ["Concept: water"]
    assert texts(html, ".latest-submissions li") == [f"Ours Submitted {cica.forum.name}"]
    assert texts(html, ".submission-counts dd") == ["1", "0", "0", "0"]
    link = html.query(".awaiting-list a").etree_element.get("href")
    # The signed token carries a timestamp: compare what it opens, not its text.
    assert link.startswith("/answer/") and link.endswith("/")
    assert delivery_from_answer_token(link.removeprefix("/answer/").rstrip("/")) == open_one
    assert signed_in.get(link).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_dashboard_queries_do_not_grow(signed_in, cica, member_a, n, django_assert_num_queries):
    import datetime

    for i in range(n):
        _submission(cica, title=f"Paper {i}", by=member_a.user)
        f.MeetingFactory(
            forum=cica.forum,
            status="planned",
            starts_on=datetime.date.today() + datetime.timedelta(days=i + 1),
        )
        f.DeliveryFactory(institute=cica.institute)
    with django_assert_num_queries(9):
        response = signed_in.get("/members/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_submission_list_queries_do_not_grow(
    signed_in, cica, member_a, n, django_assert_num_queries
):
    for i in range(n):
        _submission(cica, title=f"Paper {i}", by=member_a.user)
    # session, user, contact, the count of the list, its page, the institute
    with django_assert_num_queries(6):
        response = signed_in.get("/members/publications/")
    assert len(texts(page(response), ".submission-table tbody tr")) == min(n, 25)


# --- Hostile text ------------------------------------------------------------------------


def test_hostile_html_is_shown_escaped_on_member_pages(signed_in, cica, member_a):
    cica.institute.description = HOSTILE
    cica.institute.save()
    publication = _submission(cica, title=HOSTILE, abstract=HOSTILE, by=member_a.user)
    f.ContactFactory(institute=cica.institute, full_name=HOSTILE)

    for url in (
        "/members/",
        "/members/institute/",
        "/members/publications/",
        f"/members/publications/{publication.pk}/edit/",
        f"/members/publications/{publication.pk}/withdraw/",
    ):
        html = signed_in.get(url).content.decode()
        assert HOSTILE not in html, url
        assert "<script>alert" not in html, url
        assert ESCAPED in html, url


def test_hostile_html_is_shown_escaped_on_the_public_page_and_in_the_admin(client, cica, superuser):
    publication = _submission(cica, title=HOSTILE, abstract=HOSTILE)
    publication_approve(publication=publication, by=superuser)

    public = client.get(f"/publications/{publication.slug}/").content.decode()
    client.force_login(superuser)
    admin = client.get("/admin/publications/publication/").content.decode()

    for html in (public, admin):
        assert HOSTILE not in html
        assert "<script>alert" not in html
        assert ESCAPED in html
