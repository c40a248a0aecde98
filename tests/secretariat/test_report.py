"""The implementation report of an action plan: its figures, its chart, and its admin
pages."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from actionplans.enums import ActivityStatus, MeetingStatus
from publications.enums import PublicationStatus
from secretariat.reports import implementation_report
from tests import factories as f
from tests.secretariat.pdftools import pdf_text

SVG = "{http://www.w3.org/2000/svg}"


def _plan_with_progress(forum):
    """Seven activities: 3 completed, 2 in progress, 2 planned, none cancelled."""
    plan = f.ActionPlanFactory(forum=forum, title="Annual Action Plan for 2024")
    statuses = [ActivityStatus.COMPLETED] * 3 + [ActivityStatus.IN_PROGRESS] * 2
    statuses += [ActivityStatus.PLANNED] * 2
    activities = [
        f.ActivityFactory(plan=plan, number=number, status=status, title=f"Activity {number}")
        for number, status in enumerate(statuses, start=1)
    ]
    first = activities[0]
    f.MeetingFactory(
        forum=forum,
        activity=first,
        title="Twelfth Forum",
        status=MeetingStatus.HELD,
        starts_on=datetime.date(2024, 10, 15),
    )
    f.MeetingFactory(forum=forum, activity=first, title="Thirteenth Forum")
    f.MeetingFactory(
        forum=forum,
        activity=activities[1],
        title="Workshop on water",
        status=MeetingStatus.HELD,
        starts_on=datetime.date(2024, 5, 2),
    )
    approved = f.PublicationFactory(
        forum=forum, title="Asia Security Outlook 2024", status=PublicationStatus.APPROVED
    )
    approved.activities.add(first, activities[3])
    submitted = f.PublicationFactory(forum=forum, title="Draft outlook")
    submitted.activities.add(first)
    return plan


def test_report_counts_statuses_meetings_held_and_approved_publications(cica):
    plan = _plan_with_progress(cica.forum)

    report = implementation_report(plan=plan)

    assert [(c.status, c.count) for c in report.counts] == [
        ("planned", 2),
        ("in_progress", 2),
        ("completed", 3),
        ("cancelled", 0),
    ]
    assert report.total == 7
    assert [
        (
            row.activity.number,
            [m.title for m in row.meetings_held],
            [p.title for p in row.publications],
        )
        for row in report.activities
    ] == [
        (1, ["Twelfth Forum"], ["Asia Security Outlook 2024"]),
        (2, ["Workshop on water"], []),
        (3, [], []),
        (4, [], ["Asia Security Outlook 2024"]),
        (5, [], []),
        (6, [], []),
        (7, [], []),
    ]


def test_chart_is_well_formed_svg_with_one_bar_per_status_in_use(cica):
    plan = _plan_with_progress(cica.forum)

    svg = ET.fromstring(str(implementation_report(plan=plan).chart_svg))

    assert svg.tag == f"{SVG}svg"
    assert [(bar.get("data-status"), bar.get("width")) for bar in svg.iter(f"{SVG}rect")] == [
        ("planned", "91.4"),
        ("in_progress", "91.4"),
        ("completed", "137.1"),
    ]
    assert [text.text for text in svg.iter(f"{SVG}text")] == [
        "Planned",
        "2 (29%)",
        "In progress",
        "2 (29%)",
        "Completed",
        "3 (43%)",
    ]


def test_chart_of_a_plan_without_activities_says_so(cica):
    plan = f.ActionPlanFactory(forum=cica.forum)

    svg = ET.fromstring(str(implementation_report(plan=plan).chart_svg))

    assert list(svg.iter(f"{SVG}rect")) == []
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["The plan has no activities."]


def _url(plan, view: str) -> str:
    return reverse(f"admin:actionplans_actionplan_{view}", args=[plan.pk])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 302), ("cica", 200), ("kca", 404), ("superuser", 200)],
)
def test_who_may_open_the_implementation_report(client, cica, log_in_as, who, expected):
    plan = _plan_with_progress(cica.forum)
    log_in_as(who)

    page = client.get(_url(plan, "implementation_report"))
    pdf = client.get(_url(plan, "implementation_report_pdf"))

    assert (page.status_code, pdf.status_code) == (expected, expected)
    if expected == 200:
        assert page.context["report"].plan == plan
        assert b'<rect class="bar" data-status="completed"' in page.content
        assert pdf["Content-Type"] == "application/pdf"
        text = pdf_text(pdf.content)
        assert text.startswith("Implementation report Annual Action Plan for 2024 As of ")
        assert "1 Activity 1 Completed • Twelfth Forum, 15 October 2024 • Asia Security" in text
    else:
        assert b"Annual Action Plan" not in page.content + pdf.content
        assert b"Twelfth Forum" not in page.content + pdf.content


def test_action_plan_change_page_links_the_report_and_the_pdf(client, cica):
    plan = f.ActionPlanFactory(forum=cica.forum)
    client.force_login(cica.staff)

    content = client.get(_url(plan, "change")).content.decode()

    assert f'<a href="{_url(plan, "implementation_report")}">Implementation report</a>' in content
    assert f'<a href="{_url(plan, "pdf_preview")}"' in content


def test_action_plan_preview_is_a_pdf(client, cica):
    plan = f.ActionPlanFactory(forum=cica.forum, title="Annual Action Plan for 2026")
    client.force_login(cica.staff)

    response = client.get(_url(plan, "pdf_preview"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_text(response.content) == "Annual Action Plan for 2026"


def test_downloads_are_named_by_the_plans_symbol_never_its_id(client, cica):
    plan = f.ActionPlanFactory(
        forum=cica.forum, title="Annual Action Plan for 2026", document_symbol="CICA/TTF/2026/1"
    )
    client.force_login(cica.staff)

    preview = client.get(_url(plan, "pdf_preview"))
    report = client.get(_url(plan, "implementation_report_pdf"))

    assert preview["Content-Disposition"] == 'inline; filename="cica-ttf-2026-1-preview.pdf"'
    assert report["Content-Disposition"] == (
        'inline; filename="cica-ttf-2026-1-implementation-report.pdf"'
    )


@pytest.mark.parametrize("n", [1, 7])
def test_report_page_queries_do_not_grow_with_the_plan(client, cica, django_assert_num_queries, n):
    plan = f.ActionPlanFactory(forum=cica.forum)
    for number in range(1, n + 1):
        activity = f.ActivityFactory(plan=plan, number=number)
        f.MeetingFactory(
            forum=cica.forum,
            activity=activity,
            status=MeetingStatus.HELD,
            starts_on=datetime.date(2024, 5, number),
        )
        f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED).activities.add(
            activity
        )
    client.force_login(cica.staff)

    with django_assert_num_queries(10):
        response = client.get(_url(plan, "implementation_report"))

    assert response.status_code == 200
    assert len(response.context["report"].activities) == n
