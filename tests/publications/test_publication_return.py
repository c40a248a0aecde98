"""The secretariat returns a submission with a reason from the admin; the submitter is
e-mailed the reason."""

from email.header import decode_header, make_header

import pytest

from publications.models import Publication
from tests import factories as f
from tests.html import page, texts

# E-mails are sent by a worker's job, run here in-process as it is enqueued.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
CHANGELIST = "/admin/publications/publication/"


@pytest.fixture
def submitted(cica):
    submitter = f.UserFactory(username="aigerim", email="aigerim@kaziss.kz")
    publication = f.PublicationFactory(
        title="Water security", forum=cica.forum, status="submitted", submitted_by=submitter
    )
    publication.institutes.set([cica.institute])
    return publication


def test_the_admin_asks_for_a_reason_before_returning(client, cica, submitted):
    client.force_login(cica.staff)
    response = client.post(
        CHANGELIST, {"action": "return_with_reason", "_selected_action": [submitted.pk]}
    )

    assert response.status_code == 200
    assert texts(page(response), "form ul li") == []
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    response = client.post(
        CHANGELIST,
        {
            "action": "return_with_reason",
            "_selected_action": [submitted.pk],
            "apply": "1",
            "reason": "  ",
        },
    )
    assert response.status_code == 200
    assert texts(page(response), ".errorlist li") == ["This field is required."]
    assert Publication.objects.get().status == "submitted"


def test_returning_emails_the_reason_to_the_submitter(
    client, cica, submitted, smtp, django_capture_on_commit_callbacks
):
    client.force_login(cica.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "return_with_reason",
                "_selected_action": [submitted.pk],
                "apply": "1",
                "reason": "Please add the abstract and the authors.",
            },
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_reason, submitted.reviewed_by) == (
        "returned",
        "Please add the abstract and the authors.",
        cica.staff,
    )
    [mail] = smtp.accepted
    assert mail.recipient == "aigerim@kaziss.kz"
    assert str(make_header(decode_header(mail.subject))) == (
        "Your publication “Water security” was returned"
    )
    assert mail.body.splitlines()[:7] == [
        "The secretariat has returned your submission “Water security” with this reason:",
        "",
        "Please add the abstract and the authors.",
        "",
        "You can change the submission and send it again here:",
        "",
        f"http://testserver/members/publications/{submitted.pk}/edit/",
    ]


def test_staff_of_another_secretariat_cannot_return_it(
    client, kca, submitted, smtp, django_capture_on_commit_callbacks
):
    client.force_login(kca.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {
                "action": "return_with_reason",
                "_selected_action": [submitted.pk],
                "apply": "1",
                "reason": "No.",
            },
        )

    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert smtp.accepted == []
