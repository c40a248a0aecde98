"""The answer link in a circulation e-mail: it works without login, only for its own
recipient and its own circulation."""

import re

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import get_connection

from secretariat.enums import AnswerChannel, Attendance, DeliveryStatus
from secretariat.models import Answer
from secretariat.recipients import Recipient
from secretariat.services.circulation import (
    ANSWER_SALT,
    answer_token,
    circulation_prepare,
    circulation_start,
    delivery_send,
)
from tests import factories as f
from tests.html import attrs, page, texts
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _send_all(circulation, smtp):
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=smtp.port
    )
    for delivery in circulation.deliveries.all():
        assert delivery_send(delivery_id=delivery.pk, connection=connection).status == "sent"


@pytest.fixture
def circulated(cica, smtp, private_media, django_capture_on_commit_callbacks):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Gender equality dialogue")
    paper.pdf.save("p.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    circulation = circulation_start(
        paper=paper,
        recipients=[
            Recipient(email="a@kaziss.kz", name="Aigerim", organisation="KazISS"),
            Recipient(email="b@iica.uz", name="Bobur", organisation="IICA"),
        ],
        subject="Concept paper",
        by=cica.staff,
    )
    circulation_prepare(circulation_id=circulation.pk)  # a worker's job
    _send_all(circulation, smtp)
    links = {
        m.recipient: re.search(r"https?://\S+/answer/(\S+?)/", m.body).group(0)
        for m in smtp.accepted
    }
    return circulation, links


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_each_recipient_gets_their_own_link_that_opens_without_login(client, circulated):
    _circulation, links = circulated

    response = client.get(_path(links["a@kaziss.kz"]))

    assert response.status_code == 200
    assert response.context["delivery"].email == "a@kaziss.kz"
    assert b"Gender equality dialogue" in response.content
    assert links["a@kaziss.kz"] != links["b@iica.uz"]


def test_answering_through_the_link_records_the_answer_for_that_recipient(client, circulated):
    _circulation, links = circulated

    response = client.post(
        _path(links["b@iica.uz"]),
        {
            "attendance": Attendance.ATTENDING,
            "attendees": "Bobur Karimov, deputy director\nDilnoza Yusupova, researcher",
            "remarks": "Arriving on 30 September.",
        },
    )

    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.delivery.email == "b@iica.uz"
    assert (answer.attendance, answer.channel) == (Attendance.ATTENDING, AnswerChannel.LINK)
    assert answer.attendees == "Bobur Karimov, deputy director\nDilnoza Yusupova, researcher"


def test_a_second_answer_replaces_the_first(client, circulated):
    _circulation, links = circulated
    path = _path(links["a@kaziss.kz"])
    client.post(path, {"attendance": Attendance.UNDECIDED})
    client.post(path, {"attendance": Attendance.NOT_ATTENDING, "remarks": "Sorry."})

    assert list(Answer.objects.values_list("attendance", "remarks")) == [
        (Attendance.NOT_ATTENDING, "Sorry.")
    ]


def test_attending_without_names_is_refused_and_nothing_is_stored(client, circulated):
    _circulation, links = circulated

    response = client.post(_path(links["a@kaziss.kz"]), {"attendance": Attendance.ATTENDING})

    assert response.status_code == 400
    assert b"Please name who will come." in response.content
    assert not Answer.objects.exists()


def test_an_altered_link_is_not_found(client, circulated):
    _circulation, links = circulated
    path = _path(links["a@kaziss.kz"])
    altered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    assert client.get(altered).status_code == 404
    assert client.post(altered, {"attendance": "undecided"}).status_code == 404
    assert not Answer.objects.exists()


def test_a_validly_signed_link_naming_another_circulation_is_not_found(client, circulated, cica):
    circulation, _links = circulated
    other = f.CirculationFactory(paper=f.ConceptPaperFactory(forum=cica.forum))
    delivery = circulation.deliveries.get(email="a@kaziss.kz")
    token = signing.dumps({"d": delivery.pk, "c": other.pk}, salt=ANSWER_SALT)

    assert client.get(f"/answer/{token}/").status_code == 404


def test_a_delivery_already_sent_is_not_sent_again(circulated, smtp):
    circulation, _links = circulated
    delivery = circulation.deliveries.first()

    outcome = delivery_send(delivery_id=delivery.pk)

    assert outcome.status == "skipped"
    assert len(smtp.accepted) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_an_answer_given_by_a_signed_in_contact_of_the_institute_counts_as_from_the_portal(
    client, cica, circulated
):
    circulation, links = circulated
    delivery = circulation.deliveries.get(email="a@kaziss.kz")
    delivery.institute = cica.institute
    delivery.save()
    member = f.UserFactory(username="aigerim")
    f.ContactFactory(institute=cica.institute, user=member)
    client.force_login(member)

    client.post(_path(links["a@kaziss.kz"]), {"attendance": Attendance.NOT_ATTENDING})

    answer = Answer.objects.get()
    assert (answer.channel, answer.created_by) == (AnswerChannel.PORTAL, member)


def _document_links(response) -> list[str | None]:
    return attrs(page(response), ".page-header a[type='application/pdf']", "href")


def test_the_answer_page_links_the_pdf_as_it_was_sent(client, circulated):
    circulation, links = circulated
    circulation.refresh_from_db()
    path = _path(links["a@kaziss.kz"])

    response = client.get(path)
    [link] = _document_links(response)
    pdf = client.get(link)

    assert link == f"{path}pdf/"
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == circulation.pdf.open("rb").read()


def test_a_circulation_from_before_it_kept_its_own_pdf_links_the_papers_pdf(
    client, cica, private_media
):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    paper.pdf.save("water.pdf", ContentFile(b"%PDF-1.4\n% the paper as rendered\n%%EOF\n"))
    delivery = f.DeliveryFactory(circulation__paper=paper, institute=cica.institute)
    path = f"/answer/{answer_token(delivery=delivery)}/"

    response = client.get(path)
    [link] = _document_links(response)
    pdf = client.get(link)

    assert link == f"{path}pdf/"
    assert b"".join(pdf.streaming_content) == b"%PDF-1.4\n% the paper as rendered\n%%EOF\n"


def test_a_document_still_being_prepared_is_said_to_be_not_ready(client, cica, private_media):
    delivery = f.DeliveryFactory(
        circulation__paper__forum=cica.forum, circulation__status="preparing"
    )
    path = f"/answer/{answer_token(delivery=delivery)}/"

    response = client.get(path)

    assert _document_links(response) == []
    assert texts(page(response), ".page-header .notice") == [
        "The document is not ready yet: it will be here, and sent to you by e-mail, once the "
        "secretariat has prepared it."
    ]
    assert client.get(f"{path}pdf/").status_code == 404
