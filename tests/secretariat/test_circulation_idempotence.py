"""Staff actions that send can be repeated without sending twice: the same form sent
again, two staff circulating the same version at once, "send again" pressed twice, and
pressing "Circulate" while the job queue is down."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.models import Circulation, Delivery
from tests import factories as f
from tests.html import form_data, page
from tests.redis_server import use_broker
from tests.smtp import free_port


@pytest.fixture
def paper(cica, private_media):
    f.FocalPointFactory(
        contact=f.ContactFactory(institute=cica.institute, email="fp@cica.kz"), forum=cica.forum
    )
    meeting = f.MeetingFactory(forum=cica.forum, starts_on=datetime.date(2031, 5, 1))
    return f.ConceptPaperFactory(forum=cica.forum, meeting=meeting, title="Water dialogue")


def _url(paper) -> str:
    return reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])


def _form(client, paper) -> dict:
    return form_data(page(client.get(_url(paper))), "form#circulate-form")


@pytest.mark.django_db
def test_the_same_form_sent_twice_starts_one_circulation(
    client, cica, paper, django_capture_on_commit_callbacks
):
    client.force_login(cica.staff)
    data = _form(client, paper)

    with django_capture_on_commit_callbacks():
        first = client.post(_url(paper), data)
    second = client.post(_url(paper), data, follow=True)

    circulation = Circulation.objects.get()
    assert first["Location"] == reverse(
        "admin:secretariat_circulation_change", args=[circulation.pk]
    )
    assert second.redirect_chain[-1][0] == first["Location"]
    assert [str(m) for m in second.context["messages"]] == [
        "Circulation started: the document is being prepared, then 1 e-mail goes out.",
        "This form was already sent: here is the circulation it started.",
    ]
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_a_version_already_circulated_goes_out_again_only_when_asked(
    client, cica, paper, django_capture_on_commit_callbacks
):
    client.force_login(cica.staff)
    with django_capture_on_commit_callbacks():
        client.post(_url(paper), _form(client, paper))

    again = _form(client, paper)
    refused = client.post(_url(paper), again)
    again["again"] = ["on"]
    with django_capture_on_commit_callbacks():
        sent = client.post(_url(paper), again)

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "This version was already circulated: nothing was sent again. To send it a second "
        "time, tick “Send this version again to everyone chosen”."
    ]
    assert sent.status_code == 302
    assert Circulation.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_circulating_the_same_version_at_once_start_one(cica, paper):
    """Two forms (two tokens), sent at the same moment by two browsers: the paper's row
    lock lets the first through; the second is told it was already circulated."""
    forms, statuses = [], []
    for _ in range(2):
        browser = Client()
        browser.force_login(cica.staff)
        forms.append((browser, _form(browser, paper)))
    start = threading.Barrier(2)

    def send(browser, data):
        start.wait()
        statuses.append(browser.post(_url(paper), data).status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]
    assert Circulation.objects.count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_send_again_pressed_twice_queues_each_failed_delivery_once(
    client, cica, paper, django_capture_on_commit_callbacks
):
    circulation = f.CirculationFactory(paper=paper, started_at=timezone.now())
    failed = f.DeliveryFactory(
        circulation=circulation, status="failed", attempts=8, last_error="451 later"
    )
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_circulation_resend", args=[circulation.pk])

    with django_capture_on_commit_callbacks():
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)

    assert [str(m) for m in first.context["messages"]] == ["1 failed delivery queued again."]
    assert [str(m) for m in second.context["messages"]] == [
        "No failed delivery was left to send again (already queued?)."
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "451 later")


@pytest.fixture
def broker_down():
    """The job queue is unreachable (a port nothing listens on) while the test runs."""
    previous = use_broker(f"redis://127.0.0.1:{free_port()}/0")
    yield
    use_broker(previous)


@pytest.mark.django_db
def test_circulating_while_the_queue_is_down_succeeds_and_says_so(
    client, cica, paper, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(cica.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(paper), _form(client, paper), follow=True)

    circulation = Circulation.objects.get()
    assert response.status_code == 200
    assert circulation.status == "preparing"  # the periodic resume prepares it later
    assert "The job queue cannot be reached: nothing is being sent." in response.content.decode()
