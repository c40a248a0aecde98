"""Admin pages as staff see them in a real browser: a change page with inline rows fits
the window instead of scrolling sideways."""

import pytest

from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_an_institutes_contacts_fit_the_page(live_server, page, sign_in, cica):
    for n in range(3):
        f.ContactFactory(
            institute=cica.institute,
            honorific="Dr",
            full_name=f"Aigerim Nurlanovna Seitkali-Bekova {n}",
            position="Deputy Director for International Cooperation",
            email=f"a.seitkali-bekova.{n}@strategic-studies-institute.example.org",
            phone="+996 312 00 00 00",
        )
    sign_in(cica.staff)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/members/institute/{cica.institute.pk}/change/")

    assert page.locator("#contacts-group tbody tr.form-row.has_original").count() == 3
    # The contacts' table used to make the page 1,865 px wide at 1,280.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_implementation_report_fits_a_phone(live_server, page, sign_in, cica):
    plan = f.ActionPlanFactory(forum=cica.forum, year=2024)
    for n in range(1, 8):
        f.ActivityFactory(
            plan=plan,
            number=n,
            title=f"Interactive training and academic workshops, series {n}",
        )
    sign_in(cica.staff)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/admin/actionplans/actionplan/{plan.pk}/report/")

    assert page.locator("table.report.activities tbody tr").count() == 7
    # The 520 px chart and the five-column table made the page 535 px wide.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
