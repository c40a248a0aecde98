"""Circulation and the notice outbox under faults, with the real parts: staff act through
the admin's own POSTs, Celery workers (with their beat) take the jobs from a Redis the test
may kill, and an SMTP server on loopback refuses, slows, drops or answers late.

Exactly once wherever the portal can know; where SMTP itself cannot tell (an answer to an
accepted message lost on the way back), at least once, with the same Message-ID, and the
circulation says how many recipients may have two copies (docs/adr/0005)."""

import threading
import time
from collections import Counter

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from mail.models import OutboundMail
from publications.models import Publication
from secretariat.enums import DeliveryStatus
from secretariat.models import Circulation, Delivery
from secretariat.services.circulation import circulation_health
from tests import factories as f
from tests.celery_worker import wait_for
from tests.faults.conftest import EMAIL_TIMEOUT, LEASE
from tests.html import form_data, page, texts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUEUE_DOWN = "The job queue cannot be reached: nothing is being sent."
PUBLICATIONS = "/admin/publications/publication/"


def _staff(cica) -> Client:
    browser = Client()
    browser.force_login(cica.staff)
    return browser


def _same_browser(browser: Client) -> Client:
    """A second request from the same browser (its session), as a double click sends."""
    twin = Client()
    twin.cookies = browser.cookies
    return twin


def _circulate_url(paper) -> str:
    return reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])


def _circulate_form(browser, paper) -> dict:
    return form_data(page(browser.get(_circulate_url(paper))), "form#circulate-form")


def _circulate(browser, paper):
    return browser.post(_circulate_url(paper), _circulate_form(browser, paper))


def _at_once(*requests):
    """Runs the requests in threads released together; their responses, in order."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(i, request):
        start.wait()
        try:
            responses[i] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _messages(response) -> list[str]:
    """The messages the page shows (read from the page: a response's ``context`` is not
    to be trusted when two requests render at once)."""
    return texts(page(response), "ul.messagelist li")


def _statuses(circulation) -> Counter:
    return Counter(circulation.deliveries.values_list("status", flat=True))


def _wait_until_sent(circulation, n: int, *, timeout: float = 120) -> None:
    wait_for(
        lambda: _statuses(circulation)[DeliveryStatus.SENT] == n,
        timeout=timeout,
        message=f"not all sent: {_statuses(circulation)}",
    )


def _once_each(n: int) -> Counter:
    return Counter({f"fp{i}@example.org": 1 for i in range(n)})


def _received(smtp) -> Counter:
    return Counter(message.recipient for message in smtp.accepted)


def test_a_double_click_and_a_colleague_at_the_same_moment_send_each_copy_once(smtp, workers, cica):
    paper = f.concept_paper_with_focal_points(cica.forum, 40)
    workers()
    mine, colleague = _staff(cica), _staff(cica)
    my_form, their_form = _circulate_form(mine, paper), _circulate_form(colleague, paper)
    url = _circulate_url(paper)

    responses = _at_once(
        lambda: mine.post(url, my_form),
        lambda: _same_browser(mine).post(url, my_form),
        lambda: colleague.post(url, their_form),
    )

    circulation = Circulation.objects.get()
    assert {r.status_code for r in responses} <= {200, 302}
    assert [r["Location"] for r in responses if r.status_code == 302] != []
    _wait_until_sent(circulation, 40)
    assert _received(smtp) == _once_each(40)
    assert len({m.message_id for m in smtp.accepted}) == 40


def test_circulating_while_redis_is_down_is_kept_said_and_sent_once_it_is_back(
    smtp, workers, redis, cica
):
    paper = f.concept_paper_with_focal_points(cica.forum, 30)
    workers()
    browser = _staff(cica)
    data = _circulate_form(browser, paper)
    redis.kill()

    response = browser.post(_circulate_url(paper), data, follow=True)
    retried = browser.post(_circulate_url(paper), data, follow=True)  # the natural retry

    circulation = Circulation.objects.get()
    assert (response.status_code, circulation.status) == (200, "preparing")
    assert QUEUE_DOWN in response.content.decode()
    assert _messages(retried)[-1] == (
        "This form was already sent: here is the circulation it started."
    )
    redis.start()  # empty: the preparation's job was never queued
    _wait_until_sent(circulation, 30)
    assert _received(smtp) == _once_each(30)
    page_after = browser.get(reverse("admin:secretariat_circulation_change", args=[circulation.pk]))
    assert QUEUE_DOWN not in page_after.content.decode()


def test_redis_restarted_empty_midway_loses_no_delivery_and_doubles_none(
    smtp, workers, redis, cica
):
    paper = f.concept_paper_with_focal_points(cica.forum, 60)
    smtp.behaviour.reply_delay = 0.05
    workers()
    _circulate(_staff(cica), paper)
    circulation = Circulation.objects.get()
    wait_for(lambda: _statuses(circulation)[DeliveryStatus.SENT] >= 10, timeout=60)

    redis.restart()

    assert _statuses(circulation)[DeliveryStatus.SENT] < 60
    _wait_until_sent(circulation, 60)
    assert _received(smtp) == _once_each(60)


def test_returning_20_publications_to_a_slow_relay_sends_nothing_in_the_request(
    smtp, workers, cica
):
    """The notices are queued in the request's transaction and sent by the workers: the
    request does no SMTP at all, and a double click returns and notifies each once."""
    publications = []
    for i in range(20):
        submitter = f.UserFactory(username=f"author{i}", email=f"author{i}@example.org")
        publication = f.PublicationFactory(
            title=f"Paper {i}", forum=cica.forum, status="submitted", submitted_by=submitter
        )
        publication.institutes.set([cica.institute])
        publications.append(publication)
    smtp.behaviour.reply_delay = 1.0  # a slow relay: a second for each message
    browser = _staff(cica)
    data = {
        "action": "return_with_reason",
        "_selected_action": [p.pk for p in publications],
        "apply": "1",
        "reason": "Please add the abstract.",
    }

    responses = _at_once(
        lambda: browser.post(PUBLICATIONS, data),
        lambda: _same_browser(browser).post(PUBLICATIONS, data),
    )
    again = browser.post(PUBLICATIONS, data)

    assert [r.status_code for r in (*responses, again)] == [302, 302, 302]
    assert smtp.messages_seen == 0  # not one SMTP exchange inside a request
    assert set(Publication.objects.values_list("status", flat=True)) == {"returned"}
    assert OutboundMail.objects.count() == 20
    workers()
    wait_for(
        lambda: OutboundMail.objects.filter(status="sent").count() == 20,
        timeout=90,
        message="not all notices sent",
    )
    assert _received(smtp) == Counter({f"author{i}@example.org": 1 for i in range(20)})


def _database_dsn() -> str:
    db = connection.settings_dict
    return (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} "
        f"dbname={db['NAME']}" + (f" password={db['PASSWORD']}" if db["PASSWORD"] else "")
    )


def test_the_workers_database_connections_cut_after_the_servers_250_double_nothing(
    smtp, workers, cica
):
    """Every 7th message, once the server has accepted it and before it answers, every
    PostgreSQL connection but the test's own is terminated: the sender learns "sent" and
    must record it on a fresh connection, not send it again after the lease."""
    paper = f.concept_paper_with_focal_points(cica.forum, 40)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [own_pid] = cursor.fetchone()
    cuts = []

    def cut_database_connections(seen: int) -> None:
        if seen % 7:
            return
        with psycopg2.connect(_database_dsn()) as admin, admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [own_pid],
            )
            cuts.append(cursor.fetchone()[0])
        admin.close()

    smtp.behaviour.after_accept = cut_database_connections
    workers()
    _circulate(_staff(cica), paper)
    circulation = Circulation.objects.get()

    _wait_until_sent(circulation, 40)
    assert len(cuts) >= 5 and min(cuts) >= 1  # it did cut the workers' connections
    assert _received(smtp) == _once_each(40)
    # An attempt cut before it sent is tried again; none is recorded as sent twice.
    sent = Delivery.attempt_model.objects.filter(row__circulation=circulation, outcome="sent")
    assert sent.count() == 40


def test_a_slow_relay_within_a_legal_lease_sends_each_copy_once(smtp, workers, cica):
    """Every answer takes almost the whole EMAIL_TIMEOUT; the shortest lease the start-up
    check allows still outlasts such a send, so no row is taken over mid-send."""
    paper = f.concept_paper_with_focal_points(cica.forum, 10)
    smtp.behaviour.reply_delay = EMAIL_TIMEOUT - 0.3
    workers(DELIVERY_LEASE_SECONDS=str(LEASE))
    _circulate(_staff(cica), paper)
    circulation = Circulation.objects.get()

    _wait_until_sent(circulation, 10)
    assert _received(smtp) == _once_each(10)
    assert set(circulation.deliveries.values_list("attempts", flat=True)) == {1}


def test_a_worker_with_a_lease_shorter_than_a_send_does_not_start(workers):
    with pytest.raises(RuntimeError) as refused:
        workers(DELIVERY_LEASE_SECONDS=str(LEASE - 1))

    assert f"DELIVERY_LEASE_SECONDS ({LEASE - 1}) is shorter than a send may take" in str(
        refused.value
    )


@pytest.mark.parametrize("how", ["drop", "late"])
def test_an_answer_lost_after_acceptance_sends_again_and_says_so(smtp, workers, cica, how):
    """The server accepts the message for fp3 and fp11 but its answer is lost: the
    connection closes before the 250 ("drop"), or the 250 comes after the client gave up
    ("late"). SMTP cannot tell the sender it went: it is sent again (a second copy with the
    same Message-ID), and the circulation counts the two recipients as maybe doubled."""
    paper = f.concept_paper_with_focal_points(cica.forum, 20)
    lost, once = {"fp3@example.org", "fp11@example.org"}, set()

    def lose_the_first_answer(seen: int, recipients: list[str]) -> str | None:
        [recipient] = recipients
        if recipient in lost and recipient not in once:
            once.add(recipient)
            return how
        return None

    smtp.behaviour.lose_reply = lose_the_first_answer
    smtp.behaviour.late_by = EMAIL_TIMEOUT + 1
    workers()
    browser = _staff(cica)
    _circulate(browser, paper)
    circulation = Circulation.objects.get()

    _wait_until_sent(circulation, 20)
    expected = _once_each(20)
    expected.update({"fp3@example.org": 1, "fp11@example.org": 1})
    assert _received(smtp) == expected
    for address in lost:
        copies = {m.message_id for m in smtp.accepted if m.recipient == address}
        delivery = Delivery.objects.get(circulation=circulation, email=address)
        assert copies == {delivery.message_id}
        attempts = delivery.attempt_log.order_by("number")
        assert [(a.outcome, a.duplicate_suspect) for a in attempts] == [
            ("unknown", False),
            ("sent", True),
        ]
    assert circulation_health(circulation=circulation).duplicate_suspects == 2
    shown = browser.get(reverse("admin:secretariat_circulation_change", args=[circulation.pk]))
    assert "2 recipients may have received the e-mail twice" in shown.content.decode()


def test_send_again_pressed_by_two_staff_at_once_sends_each_failed_copy_once(smtp, workers, cica):
    paper = f.concept_paper_with_focal_points(cica.forum, 12)
    refused = {"fp2@example.org", "fp5@example.org", "fp8@example.org"}
    smtp.behaviour.refused = set(refused)
    workers()
    mine, colleague = _staff(cica), _staff(cica)
    _circulate(mine, paper)
    circulation = Circulation.objects.get()
    wait_for(
        lambda: _statuses(circulation) == Counter(sent=9, failed=3),
        timeout=60,
        message=f"not settled: {_statuses(circulation)}",
    )
    smtp.behaviour.refused = set()  # the mailboxes exist now
    url = reverse("admin:secretariat_circulation_resend", args=[circulation.pk])

    responses = _at_once(
        lambda: mine.post(url, follow=True), lambda: colleague.post(url, follow=True)
    )

    assert sorted(_messages(r)[-1] for r in responses) == [
        "3 failed deliveries queued again.",
        "No failed delivery was left to send again (already queued?).",
    ]
    _wait_until_sent(circulation, 12)
    assert _received(smtp) == _once_each(12)


def test_a_relay_refusing_connections_for_a_while_gets_each_copy_once(smtp, workers, cica):
    paper = f.concept_paper_with_focal_points(cica.forum, 20)
    smtp.refuse_connections()
    workers()
    _circulate(_staff(cica), paper)
    circulation = Circulation.objects.get()
    wait_for(
        lambda: circulation.deliveries.filter(status="queued", attempts__gte=1).count() == 20,
        timeout=60,
        message=f"not tried: {_statuses(circulation)}",
    )

    time.sleep(1)
    smtp.listen_again()

    _wait_until_sent(circulation, 20)
    assert _received(smtp) == _once_each(20)
    assert set(circulation.deliveries.values_list("last_error", flat=True)) == {""}
