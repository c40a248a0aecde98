"""Staff follow a running circulation in a real browser: the figures change as deliveries
are sent, while the page itself stays put (no reload: the reader keeps their place)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from secretariat.enums import CirculationStatus, DeliveryStatus
from secretariat.models import Delivery
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_the_figures_follow_the_sending_without_reloading_the_page(
    live_server, page, sign_in, cica
):
    paper = f.ConceptPaperFactory(forum=cica.forum, title="Water dialogue")
    circulation = f.CirculationFactory(
        paper=paper, subject="Water dialogue", status=CirculationStatus.READY
    )
    for i in range(3):
        f.DeliveryFactory(
            circulation=circulation,
            email=f"r{i}@example.org",
            status=DeliveryStatus.QUEUED,
            next_attempt_at=timezone.now(),
        )
    sign_in(cica.staff)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    page.goto(f"{live_server.url}/admin/secretariat/circulation/{circulation.pk}/change/")
    status = page.locator("#circulation-progress p[role=status]")
    assert status.inner_text() == "0 of 3 sent, 0 failed — 3 being sent."
    page.evaluate("window.stillTheSamePage = true")

    Delivery.objects.filter(circulation=circulation).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )

    expect(page.locator("#circulation-progress strong")).to_have_text(
        "3 of 3 sent, 0 failed", timeout=15_000
    )
    assert page.evaluate("window.stillTheSamePage") is True
    # Settled: the figures are no longer fetched.
    assert page.locator("#circulation-progress[data-refresh]").count() == 0
    page.screenshot(path="/tmp/circ-phone.png", full_page=True)
    # On a phone the deliveries' table scrolls within its box; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
