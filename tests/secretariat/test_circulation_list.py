"""The circulations' admin list: its figures are the deliveries PostgreSQL holds, also
while searching by a recipient's address, and its pages cost the same queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secretariat.enums import DeliveryStatus
from secretariat.models import Delivery
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/admin/secretariat/circulation/"


def _deliveries(circulation, n: int, status: str, domain: str) -> None:
    start = circulation.deliveries.count()
    Delivery.objects.bulk_create(
        Delivery(
            circulation=circulation,
            email=f"r{start + i}@{domain}",
            status=status,
            sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
        )
        for i in range(n)
    )


@pytest.fixture
def circulations(cica, kca):
    """Water: 4 sent, 3 failed, 2 queued, 1 sending, six of them at kaziss.kz; Energy: 2 sent,
    1 failed, one of them at kaziss.kz; KCA's: 5 sent at kaziss.kz (not CICA's to see)."""
    water = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue"),
        subject="Water dialogue",
        started_at=timezone.now(),
    )
    _deliveries(water, 3, DeliveryStatus.SENT, "kaziss.kz")
    _deliveries(water, 1, DeliveryStatus.SENT, "mfa.kz")
    _deliveries(water, 2, DeliveryStatus.FAILED, "kaziss.kz")
    _deliveries(water, 1, DeliveryStatus.FAILED, "isrs.uz")
    _deliveries(water, 2, DeliveryStatus.QUEUED, "isrs.uz")
    _deliveries(water, 1, DeliveryStatus.SENDING, "kaziss.kz")
    energy = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=cica.forum, title="Energy dialogue"),
        subject="Energy dialogue",
        started_at=timezone.now(),
    )
    _deliveries(energy, 1, DeliveryStatus.SENT, "kaziss.kz")
    _deliveries(energy, 1, DeliveryStatus.SENT, "mfa.kz")
    _deliveries(energy, 1, DeliveryStatus.FAILED, "isrs.uz")
    theirs = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=kca.forum), subject="KCA round", started_at=None
    )
    _deliveries(theirs, 5, DeliveryStatus.SENT, "kaziss.kz")
    return water, energy


def _figures(response) -> dict[str, tuple[int, int, int]]:
    return {
        c.subject: (c.sent_count, c.failed_count, c.pending_count)
        for c in response.context["cl"].result_list
    }


def _in_postgresql(circulation) -> tuple[int, int, int]:
    rows = Delivery.objects.filter(circulation=circulation)
    return (
        rows.filter(status=DeliveryStatus.SENT).count(),
        rows.filter(status=DeliveryStatus.FAILED).count(),
        rows.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).count(),
    )


# Every search finds both: by an address (kaziss, r1@ — r1@kaziss.kz is Water's, r1@mfa.kz
# Energy's), by the subject, by both.
@pytest.mark.parametrize("search", ["", "kaziss", "kaziss.kz r", "dialogue", "r1@"])
def test_the_figures_are_the_deliveries_in_postgresql_whatever_the_search(
    client, cica, circulations, search
):
    water, energy = circulations
    client.force_login(cica.staff)

    response = client.get(LIST, {"q": search})

    expected = {"Water dialogue": (4, 3, 3), "Energy dialogue": (2, 1, 0)}
    assert _figures(response) == expected
    assert expected == {c.subject: _in_postgresql(c) for c in (water, energy)}
    assert [c.subject for c in response.context["cl"].result_list].count("Water dialogue") == 1


def test_a_search_by_address_finds_only_the_circulations_that_went_there(
    client, cica, circulations
):
    client.force_login(cica.staff)

    response = client.get(LIST, {"q": "mfa.kz water"})

    assert _figures(response) == {"Water dialogue": (4, 3, 3)}


def test_a_search_by_a_recipients_name_or_organisation_finds_their_circulations(
    client, cica, circulations
):
    water, _energy = circulations
    Delivery.objects.filter(pk=water.deliveries.order_by("pk").first().pk).update(
        name="Aigerim Sadykova", organisation="Institute of World Economy"
    )
    client.force_login(cica.staff)

    assert list(_figures(client.get(LIST, {"q": "sadykova"}))) == ["Water dialogue"]
    assert list(_figures(client.get(LIST, {"q": "world economy"}))) == ["Water dialogue"]


def test_the_list_searched_by_address_costs_the_same_queries_for_10_or_1000_deliveries(
    client, cica, circulations
):
    water, _energy = circulations
    client.force_login(cica.staff)
    client.get(LIST, {"q": "kaziss"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"q": "kaziss"})
    _deliveries(water, 990, DeliveryStatus.SENT, "kaziss.kz")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"q": "kaziss"})

    assert _figures(response)["Water dialogue"] == (994, 3, 3)
    assert len(many) == len(few)
    listed = [q["sql"] for q in many.captured_queries if "sent_count" in q["sql"]]
    assert len(listed) == 1
    assert "DISTINCT" not in listed[0]


def test_a_circulation_page_costs_the_same_queries_for_1_or_1000_deliveries(client, cica):
    circulation = f.CirculationFactory(
        paper=f.ConceptPaperFactory(forum=cica.forum), started_at=timezone.now()
    )
    _deliveries(circulation, 1, DeliveryStatus.FAILED, "kaziss.kz")
    url = reverse("admin:secretariat_circulation_change", args=[circulation.pk])
    progress = reverse("admin:secretariat_circulation_progress", args=[circulation.pk])
    client.force_login(cica.staff)
    client.get(url)
    client.get(progress)
    with CaptureQueriesContext(connection) as one_page:
        client.get(url)
    with CaptureQueriesContext(connection) as one_progress:
        client.get(progress)
    _deliveries(circulation, 999, DeliveryStatus.SENT, "kaziss.kz")
    with CaptureQueriesContext(connection) as many_page:
        response = client.get(url)
    with CaptureQueriesContext(connection) as many_progress:
        client.get(progress)

    assert len(response.context["deliveries"]) == 100
    assert (len(many_page), len(many_progress)) == (len(one_page), len(one_progress))
    assert len(many_page) <= 25
