"""A circulation's admin page at any size: the figures (fetched again while it runs, the
page itself never reloaded), the deliveries needing attention first, all of them on their
own paged list, and words that say what is happening."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secretariat.enums import CirculationStatus, DeliveryStatus
from secretariat.models import Circulation, Delivery
from tests import factories as f
from tests.html import attrs, form_data, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def circulation(cica):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    return f.CirculationFactory(paper=paper, subject="Water dialogue", started_at=timezone.now())


def _deliveries(circulation, n: int, status: str, **fields) -> None:
    start = circulation.deliveries.count()
    Delivery.objects.bulk_create(
        Delivery(
            circulation=circulation,
            email=f"r{start + i}@example.org",
            status=status,
            **fields,
        )
        for i in range(n)
    )


def _change(circulation) -> str:
    return reverse("admin:secretariat_circulation_change", args=[circulation.pk])


def _progress(circulation) -> str:
    return reverse("admin:secretariat_circulation_progress", args=[circulation.pk])


def test_a_large_circulation_shows_100_deliveries_failed_first_and_links_to_all(
    client, cica, circulation
):
    _deliveries(circulation, 150, DeliveryStatus.SENT, sent_at=timezone.now(), attempts=1)
    _deliveries(circulation, 2, DeliveryStatus.FAILED, last_error="550 no such user")
    client.force_login(cica.staff)

    response = client.get(_change(circulation))

    shown = response.context["deliveries"]
    assert len(shown) == 100
    assert [d.status for d in shown[:3]] == ["failed", "failed", "sent"]
    root = page(response)
    assert texts(root, ".deliveries caption") == [
        "Deliveries: the first 100 of 152 (failed first, then those still to send)"
    ]
    assert len(list(root.query_all(".deliveries tbody tr.delivery-failed"))) == 2
    link = root.query(".deliveries p a").etree_element
    assert link.text == "See all 152 deliveries (search, filter by status)"
    assert link.get("href") == (
        f"/admin/secretariat/delivery/?circulation__id__exact={circulation.pk}"
    )

    listed = client.get(link.get("href") + "&status__exact=failed")
    assert listed.status_code == 200
    assert sorted(d.email for d in listed.context["cl"].result_list) == [
        "r150@example.org",
        "r151@example.org",
    ]


def test_the_page_costs_the_same_queries_for_10_or_300_deliveries(client, cica, circulation):
    client.force_login(cica.staff)
    _deliveries(circulation, 10, DeliveryStatus.FAILED, last_error="550 no")
    client.get(_change(circulation))  # sessions, content types: cached from here on
    with CaptureQueriesContext(connection) as small:
        client.get(_change(circulation))
    _deliveries(circulation, 290, DeliveryStatus.FAILED, last_error="550 no")
    with CaptureQueriesContext(connection) as large:
        client.get(_change(circulation))

    assert len(large) == len(small)
    assert len(large) <= 20


def test_the_figures_refresh_by_themselves_without_reloading_the_page(client, cica, circulation):
    _deliveries(circulation, 3, DeliveryStatus.SENT, sent_at=timezone.now())
    _deliveries(circulation, 1, DeliveryStatus.QUEUED, next_attempt_at=timezone.now())
    client.force_login(cica.staff)

    content = client.get(_change(circulation)).content.decode()
    fragment = client.get(_progress(circulation))

    assert 'http-equiv="refresh"' not in content
    assert f'data-refresh="{_progress(circulation)}"' in content
    assert fragment.status_code == 200
    assert texts(page(fragment), "#circulation-progress p strong") == ["3 of 4 sent, 0 failed"]


def test_the_figures_stop_refreshing_once_everything_is_settled(client, cica, circulation):
    _deliveries(circulation, 2, DeliveryStatus.SENT, sent_at=timezone.now())
    client.force_login(cica.staff)

    content = client.get(_change(circulation)).content.decode()

    assert "data-refresh" not in content
    assert "circulation-progress.js" not in content


def test_another_secretariats_figures_are_not_found(client, kca, circulation):
    client.force_login(kca.staff)

    assert client.get(_progress(circulation)).status_code == 404


def test_what_waits_for_a_later_attempt_is_not_said_to_be_sending(client, cica, circulation):
    later = timezone.now() + datetime.timedelta(minutes=10)
    _deliveries(
        circulation,
        2,
        DeliveryStatus.QUEUED,
        next_attempt_at=later,
        attempts=3,
        last_error="451 try later",
    )
    client.force_login(cica.staff)

    root = page(client.get(_change(circulation)))

    status = root.query("#circulation-progress p[role=status]").etree_element
    assert "".join(status.itertext()) == "0 of 2 sent, 0 failed — 2 waiting for a later attempt."
    [waits] = texts(root, "#circulation-progress p.help")[:1]
    next_at = timezone.localtime(later).strftime("%H:%M")
    assert waits == (
        f"2 deliveries wait for the mail server to take them; the next attempt is at {next_at}."
    )


def test_with_the_queue_down_nothing_is_said_to_be_sending(
    client, cica, circulation, settings, monkeypatch
):
    _deliveries(circulation, 3, DeliveryStatus.QUEUED, next_attempt_at=timezone.now())
    monkeypatch.setattr("secretariat.admin.broker_reachable", lambda: False)
    client.force_login(cica.staff)

    root = page(client.get(_change(circulation)))

    status = root.query("#circulation-progress p[role=status]").etree_element
    assert "".join(status.itertext()) == "0 of 3 sent, 0 failed — 3 not sent yet."
    assert texts(root, "#circulation-progress .errornote") == [
        "The job queue cannot be reached: nothing is being sent. Sending resumes by itself "
        "once it is back."
    ]


def test_the_reason_for_a_failed_document_shows_only_when_it_failed(client, cica, circulation):
    client.force_login(cica.staff)
    Circulation.objects.filter(pk=circulation.pk).update(status=CirculationStatus.READY)

    ready = client.get(_change(circulation)).content.decode()
    Circulation.objects.filter(pk=circulation.pk).update(
        status=CirculationStatus.FAILED, error="the paper has no text"
    )
    failed = client.get(_change(circulation)).content.decode()

    assert "Why the document could not be prepared" not in ready
    assert "Why the document could not be prepared" in failed


def test_preparing_again_twice_says_so_in_words(client, cica, circulation):
    Circulation.objects.filter(pk=circulation.pk).update(
        status=CirculationStatus.FAILED, error="no text"
    )
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_circulation_retry", args=[circulation.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert texts(page(first), "ul.messagelist li") == ["The document is being prepared again."]
    assert texts(page(second), "ul.messagelist li") == ["The document is already being prepared."]
    assert client.get(url).status_code == 405


def test_the_page_is_titled_by_the_circulation_in_russian_too(client, cica, circulation):
    client.force_login(cica.staff)

    english = page(client.get(_change(circulation)))
    russian = page(client.get("/ru" + _change(circulation)))

    assert texts(english, "#content h1") == ["Circulation: Water dialogue"]
    assert texts(russian, "#content h1") == ["Рассылка: Water dialogue"]


def test_the_preview_shows_the_subject_and_message_typed_without_sending(client, cica):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    f.FocalPointFactory(
        contact=f.ContactFactory(institute=cica.institute, full_name="Aigerim", email="a@k.kz"),
        forum=cica.forum,
    )
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_conceptpaper_circulate", args=[paper.pk])
    shown = page(client.get(url))
    data = form_data(shown, "form#circulate-form")
    data.update(subject=["Water, again"], message=["Please read the annex <first>."], preview=["1"])

    response = client.post(url, data)

    assert not any("Request token" in t for t in texts(shown, "#circulate-form label"))
    assert response.status_code == 200
    assert not Circulation.objects.exists()
    preview = page(response).query("pre.email-preview").etree_element.text
    assert preview.startswith(
        "Subject: Water, again\n\nDear Aigerim,\n\nPlease read the annex <first>.\n\n"
        "The secretariat of the CICA Think Tank Forum circulates the concept paper"
    )


def _answered(circulation, email: str, attendance: str, **fields):
    delivery = Delivery.objects.create(
        circulation=circulation,
        email=email,
        organisation=f"{email.split('@')[0].title()} Institute",
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
    )
    fields.setdefault("attendees", "")
    return f.AnswerFactory(delivery=delivery, attendance=attendance, **fields)


def test_the_page_shows_who_will_come_and_their_remarks_attending_first(client, cica, circulation):
    _answered(circulation, "undecided@example.org", "undecided")
    _answered(
        circulation,
        "coming@example.org",
        "attending",
        attendees="Dr A. Nurlanova <b>head</b>",
        remarks="Two experts will come.",
    )
    _answered(circulation, "away@example.org", "not_attending", remarks="Clashes with a board.")
    client.force_login(cica.staff)

    root = page(client.get(_change(circulation)))

    assert texts(root, "#answers .answer-counts") == [
        "Will attend: 1 · Will not attend: 1 · Not decided yet: 1"
    ]
    rows = [
        [text(cell.etree_element) for cell in row.query_all("td")][:5]
        for row in root.query_all("#answers tbody tr")
    ]
    assert rows == [
        [
            "coming@example.org",
            "Coming Institute",
            "Will attend",
            "Dr A. Nurlanova <b>head</b>",
            "Two experts will come.",
        ],
        ["away@example.org", "Away Institute", "Will not attend", "—", "Clashes with a board."],
        ["undecided@example.org", "Undecided Institute", "Not decided yet", "—", "—"],
    ]


def test_the_answers_link_lists_this_circulations_answers_only(client, cica, circulation):
    other = f.CirculationFactory(
        paper=circulation.paper, subject="Other", started_at=timezone.now()
    )
    _answered(circulation, "mine@example.org", "attending")
    _answered(other, "theirs@example.org", "attending")
    client.force_login(cica.staff)

    (link,) = attrs(page(client.get(_change(circulation))), "#answers p a", "href")
    listed = client.get(link)
    assert [a.delivery.email for a in listed.context["cl"].result_list] == ["mine@example.org"]
    # An id that is not a number finds nothing rather than every answer.
    changelist = reverse("admin:secretariat_answer_changelist")
    assert list(client.get(f"{changelist}?circulation=x").context["cl"].result_list) == []
