"""A circulation's deliveries and answers export from its admin page, to staff of its
secretariat only; the deliveries' and answers' lists export as filtered."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.spreadsheets import exported

pytestmark = pytest.mark.django_db


def _circulation(tenant, subject):
    paper = f.ConceptPaperFactory(forum=tenant.forum, meeting__forum=tenant.forum)
    circulation = f.CirculationFactory(paper=paper, subject=subject)
    sent = f.DeliveryFactory(
        circulation=circulation,
        email="director@iss.example.org",
        name="Nurlan Abenov",
        organisation="CICA Institute",
        institute=tenant.institute,
        status="failed",
        attempts=3,
        last_error="550 mailbox unavailable",
    )
    f.AnswerFactory(delivery=sent, attendance="attending", remarks="=1+1")
    return circulation


def _url(circulation, what, extension):
    return reverse("admin:secretariat_circulation_export", args=[circulation.pk, what, extension])


def test_a_circulations_deliveries_and_answers_export_from_its_page(client, cica):
    circulation = _circulation(cica, "Twelfth CICA Think Tank Forum")
    client.force_login(cica.staff)

    page = client.get(reverse("admin:secretariat_circulation_change", args=[circulation.pk]))
    deliveries = client.get(_url(circulation, "deliveries", "csv"))
    answers = client.get(_url(circulation, "answers", "xlsx"))

    assert _url(circulation, "answers", "xlsx").encode() in page.content
    assert deliveries["Content-Disposition"] == (
        'attachment; filename="twelfth-cica-think-tank-forum-deliveries.csv"'
    )
    assert exported(deliveries) == [
        {
            "circulation": "Twelfth CICA Think Tank Forum",
            "name": "Nurlan Abenov",
            "organisation": "CICA Institute",
            "institute": "CICA Institute",
            "email": "director@iss.example.org",
            "status": "Failed",
            "attempts": "3",
            "sent_at": "",
            "last_error": "550 mailbox unavailable",
        }
    ]
    [answer] = exported(answers, "xlsx")
    assert {k: answer[k] for k in ("institute", "email", "attendance", "remarks", "channel")} == {
        "institute": "CICA Institute",
        "email": "director@iss.example.org",
        "attendance": "Will attend",
        "remarks": "'=1+1",
        "channel": "Link in the e-mail",
    }


@pytest.mark.parametrize("what", ["deliveries", "answers"])
def test_another_secretariats_circulation_is_not_found(client, cica, kca, what):
    circulation = _circulation(kca, "Seoul roundtable")
    client.force_login(cica.staff)

    response = client.get(_url(circulation, what, "csv"))

    assert response.status_code == 404
    assert b"director@iss.example.org" not in response.content


def test_an_unknown_export_is_not_found(client, cica):
    circulation = _circulation(cica, "Twelfth CICA Think Tank Forum")
    client.force_login(cica.staff)

    assert client.get(_url(circulation, "attempts", "csv")).status_code == 404
    assert client.get(_url(circulation, "answers", "pdf")).status_code == 404


def test_the_answers_list_exports_only_the_users_secretariats(client, cica, kca):
    _circulation(cica, "Twelfth CICA Think Tank Forum")
    _circulation(kca, "Seoul roundtable")
    client.force_login(cica.staff)

    response = client.post(
        reverse("admin:secretariat_answer_export"), {"format": "0", "resource": "0"}
    )

    assert [row["circulation"] for row in exported(response)] == ["Twelfth CICA Think Tank Forum"]
