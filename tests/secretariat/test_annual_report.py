"""A forum's annual report: its content for a year (written out here, never computed with
the code under test), its public page in English and Russian, its PDF, its rows and its
admin. The forum has meetings in 2023, 2024, 2025 and 2026; today is 15 June 2026."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from actionplans.enums import ActionPlanStatus, ActivityStatus, MeetingStatus, StatementStatus
from documents.enums import RenderStatus
from documents.services import document_render, documents_refresh
from members.enums import MembershipStatus
from publications.enums import PublicationStatus
from secretariat.annual_report import annual_report, annual_report_years
from secretariat.models import AnnualReport
from secretariat.services.annual_report import annual_reports_prepare
from tests import factories as f
from tests.html import page, texts
from tests.secretariat.pdftools import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)
APPROVED = PublicationStatus.APPROVED


def _held(forum, title, day, **kwargs):
    return f.MeetingFactory(
        forum=forum, title=title, status=MeetingStatus.HELD, starts_on=day, **kwargs
    )


def _statement(meeting, title, *, published=True):
    return f.JointStatementFactory(
        forum=meeting.forum,
        meeting=meeting,
        title=title,
        adopted_on=meeting.starts_on,
        published_on=meeting.starts_on if published else None,
        status=StatementStatus.PUBLISHED if published else StatementStatus.DRAFT,
    )


def _publication(forum, title, day, themes=(), institutes=(), status=APPROVED):
    publication = f.PublicationFactory(forum=forum, title=title, published_on=day, status=status)
    publication.themes.set(themes)
    publication.institutes.set(institutes)
    return publication


def _change(forum, institute, *steps, founding=False):
    membership = f.MembershipFactory(
        forum=forum,
        institute=institute,
        status=steps[-1][0],
        decided_on=steps[-1][1],
        is_founding_member=founding,
    )
    for status, day in steps:
        f.MembershipStatusChangeFactory(membership=membership, status=status, changed_on=day)
    return membership


@pytest.fixture
def history(cica, kca, set_today):
    """Four years of the CICA forum, a draft of each kind, and the KCA forum's own 2024."""
    set_today(TODAY)
    forum = cica.forum
    forum.founded_on = D(2023, 11, 20)
    forum.save()
    energy = f.ThemeFactory(name="Energy", name_ru="Энергетика", slug="energy")
    water = f.ThemeFactory(name="Water resources", name_ru="Водные ресурсы", slug="water")
    climate = f.ThemeFactory(name="Climate", name_ru="Климат", slug="climate")
    kiss = f.InstituteFactory(name="Institute for Strategic Studies", short_name="ISS")
    water_centre = f.InstituteFactory(name="Centre for Water Policy", short_name="")

    launch = _held(forum, "Launch Roundtable", D(2023, 11, 20), place="Seoul")
    _statement(launch, "Seoul Joint Statement")
    plan = f.ActionPlanFactory(
        forum=forum,
        year=2024,
        title="Annual Action Plan for 2024",
        document_symbol="SOC/2024-II/DEC/2",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2024, 6, 27),
    )
    forum_meeting = f.ActivityFactory(
        plan=plan, number=1, title="Twelfth Forum meeting", status=ActivityStatus.COMPLETED
    )
    workshops = f.ActivityFactory(
        plan=plan, number=2, title="Workshop series", status=ActivityStatus.IN_PROGRESS
    )
    f.ActivityFactory(
        plan=plan,
        number=3,
        title="Handbook",
        status=ActivityStatus.PLANNED,
        ends_on=D(2024, 12, 31),
    )
    reports = f.ActivityFactory(
        plan=plan,
        number=4,
        title="Analytical reports",
        status=ActivityStatus.COMPLETED,
        outputs="Three analytical reports",
    )
    twelfth = _held(
        forum,
        "Twelfth CICA Think Tank Forum",
        D(2024, 10, 15),
        place="Astana",
        host_institute=kiss,
        activity=forum_meeting,
    )
    _statement(twelfth, "Astana Joint Statement")
    _statement(twelfth, "Draft Communiqué", published=False)
    _held(forum, "Workshop on water resources", D(2024, 5, 2), place="Tashkent", activity=workshops)
    f.MeetingFactory(
        forum=forum, title="Cancelled Dialogue", status=MeetingStatus.CANCELLED,
        starts_on=D(2024, 12, 1),
    )  # fmt: skip
    f.MeetingFactory(forum=forum, title="Planned Training", starts_on=D(2024, 12, 10))
    thirteenth = _held(forum, "Thirteenth CICA Think Tank Forum", D(2025, 6, 1), place="Baku")
    _statement(thirteenth, "Baku Joint Statement")
    f.ActionPlanFactory(forum=forum, year=2025, title="Draft Action Plan for 2025")
    _held(forum, "Workshop on energy 2026", D(2026, 3, 1))

    outlook = _publication(forum, "Energy Outlook 2024", D(2024, 3, 1), [energy, climate], [kiss])
    outlook.activities.add(reports)
    _publication(forum, "Water Security in Central Asia", D(2024, 7, 10), [water], [water_centre])
    _publication(forum, "Energy Transition Notes", D(2024, 11, 5), [energy])
    _publication(forum, "Untitled Working Paper", D(2024, 9, 1))
    _publication(
        forum, "Submitted Draft Paper", D(2024, 8, 1), [energy], status=PublicationStatus.SUBMITTED
    )
    _publication(forum, "Energy Outlook 2025", D(2025, 2, 1), [energy])
    _publication(kca.forum, "KCA Energy Review", D(2024, 4, 1), [energy])

    _change(forum, kiss, (MembershipStatus.ADMITTED, D(2024, 1, 15)))
    _change(forum, water_centre, (MembershipStatus.ADMITTED, D(2024, 6, 27)))
    _change(
        forum,
        f.InstituteFactory(name="Korea Research Centre"),
        (MembershipStatus.ADMITTED, D(2023, 11, 20)),
        (MembershipStatus.SUSPENDED, D(2024, 9, 1)),
        founding=True,
    )
    _change(
        forum,
        f.InstituteFactory(name="Declined Centre"),
        (MembershipStatus.RECOMMENDED, D(2024, 2, 1)),
        (MembershipStatus.DECLINED, D(2024, 3, 10)),
    )
    _change(
        forum,
        f.InstituteFactory(name="Withdrawn Institute"),
        (MembershipStatus.ADMITTED, D(2023, 11, 20)),
        (MembershipStatus.WITHDRAWN, D(2025, 4, 1)),
    )
    _change(
        kca.forum,
        f.InstituteFactory(name="KCA Newcomer"),
        (MembershipStatus.ADMITTED, D(2024, 5, 5)),
    )
    _held(kca.forum, "KCA Seoul Dialogue", D(2024, 8, 8))
    return forum


# Nothing of these may appear in the 2024 report of the CICA forum.
ABSENT_FROM_2024 = (
    "Seoul Joint Statement",  # 2023
    "Launch Roundtable",
    "Draft Communiqué",  # a draft statement
    "Cancelled Dialogue",
    "Planned Training",
    "Thirteenth CICA Think Tank Forum",  # 2025
    "Submitted Draft Paper",  # not approved
    "Energy Outlook 2025",
    "KCA Energy Review",  # the other forum's
    "KCA Newcomer",
    "KCA Seoul Dialogue",
    "Declined Centre",  # counted, never named
    "Withdrawn Institute",  # withdrew in 2025
    "Draft Action Plan for 2025",
)


# --- The content ---------------------------------------------------------------------


def test_the_2024_report_holds_that_years_public_data_of_the_forum(history):
    report = annual_report(forum=history, year=2024)

    assert [
        (row.meeting.title, row.meeting.starts_on, [s.title for s in row.statements])
        for row in report.meetings
    ] == [
        ("Workshop on water resources", D(2024, 5, 2), []),
        ("Twelfth CICA Think Tank Forum", D(2024, 10, 15), ["Astana Joint Statement"]),
    ]
    assert report.statement_total == 1
    assert report.plan.plan.title == "Annual Action Plan for 2024"
    assert [
        (
            row.activity.number,
            row.activity.status,
            row.overdue,
            [m.title for m in row.meetings_held],
            [p.title for p in row.publications],
            row.activity.outputs,
        )
        for row in report.plan.activities
    ] == [
        (1, "completed", False, ["Twelfth CICA Think Tank Forum"], [], ""),
        (2, "in_progress", False, ["Workshop on water resources"], [], ""),
        (3, "planned", True, [], [], ""),
        (4, "completed", False, [], ["Energy Outlook 2024"], "Three analytical reports"),
    ]
    assert [(c.status, c.count) for c in report.plan.counts] == [
        ("planned", 1),
        ("in_progress", 1),
        ("completed", 2),
        ("cancelled", 0),
    ]
    assert report.publication_total == 4
    assert [(t.key, t.label, t.count) for t in report.theme_counts] == [
        ("energy", "Energy", 2),
        ("climate", "Climate", 1),
        ("water", "Water resources", 1),
        ("", "No theme", 1),
    ]
    assert [p.title for p in report.publications] == [
        "Energy Transition Notes",
        "Untitled Working Paper",
        "Water Security in Central Asia",
        "Energy Outlook 2024",
    ]
    assert [
        (c.changed_on, c.institute.name, c.status, c.is_founding_member)
        for c in report.membership_changes
    ] == [
        (D(2024, 1, 15), "Institute for Strategic Studies", "admitted", False),
        (D(2024, 6, 27), "Centre for Water Policy", "admitted", False),
        (D(2024, 9, 1), "Korea Research Centre", "suspended", True),
    ]
    assert report.declined == 1
    assert report.is_current is False


def test_another_year_holds_its_own_data_and_a_draft_plan_is_no_plan(history):
    report = annual_report(forum=history, year=2025)

    assert [(r.meeting.title, [s.title for s in r.statements]) for r in report.meetings] == [
        ("Thirteenth CICA Think Tank Forum", ["Baku Joint Statement"])
    ]
    assert report.plan is None
    assert [p.title for p in report.publications] == ["Energy Outlook 2025"]
    assert [(c.institute.name, c.status) for c in report.membership_changes] == [
        ("Withdrawn Institute", "withdrawn")
    ]
    assert report.declined == 0


def test_the_theme_chart_has_one_bar_per_theme_as_long_as_its_count(history):
    report = annual_report(forum=history, year=2024)
    svg = str(report.theme_chart_svg)

    # Bar area: 520 - 200 (labels) - 70 (values) = 250 px for the largest count (2).
    assert svg.count('<rect class="bar"') == 4
    assert '<rect class="bar" data-theme="energy" x="200" y="8" width="250.0"' in svg
    assert '<rect class="bar" data-theme="climate" x="200" y="34" width="125.0"' in svg
    assert '<rect class="bar" data-theme="" x="200" y="86" width="125.0"' in svg


def test_the_years_run_from_the_first_year_with_data_to_this_year(history, kca):
    assert annual_report_years(forum=history) == [2026, 2025, 2024, 2023]
    # The KCA forum: no founding date, a meeting held and a membership decision in 2024.
    assert annual_report_years(forum=kca.forum) == [2026, 2025, 2024]
    assert annual_report_years(forum=f.ForumFactory()) == []


# --- The public page -----------------------------------------------------------------


def _url(forum, year, language="en"):
    prefix = "" if language == "en" else f"/{language}"
    return f"{prefix}/forums/{forum.slug}/reports/{year}/"


def test_the_page_shows_the_years_meetings_plan_publications_and_decisions(client, history):
    response = client.get(_url(history, 2024))
    html = page(response)

    assert response.status_code == 200
    assert texts(html, "h1") == ["Annual report 2024"]
    assert texts(html, "#figure-meetings td, #figure-statements td, #figure-publications td") == [
        "2",
        "1",
        "4",
    ]
    assert texts(html, ".meeting td:nth-child(2)") == [
        "Workshop on water resources",
        "Twelfth CICA Think Tank Forum Hosted by Institute for Strategic Studies",
    ]
    assert texts(html, ".meeting .statement a") == ["Astana Joint Statement"]
    assert texts(html, ".plan-title") == ["Annual Action Plan for 2024 · SOC/2024-II/DEC/2"]
    assert texts(html, ".activities td:nth-child(3)") == [
        "Completed",
        "In progress",
        "Planned overdue",
        "Completed",
    ]
    assert texts(html, ".activities .outputs") == ["Other outputs: Three analytical reports"]
    themes, counts = texts(html, ".theme td:first-child"), texts(html, ".theme td.count")
    assert list(zip(themes, counts, strict=True)) == [
        ("Energy", "2"),
        ("Climate", "1"),
        ("Water resources", "1"),
        ("No theme", "1"),
    ]
    assert texts(html, ".publication") == [
        "Energy Transition Notes (5 November 2024)",
        "Untitled Working Paper (1 September 2024)",
        "Water Security in Central Asia — Centre for Water Policy (10 July 2024)",
        "Energy Outlook 2024 — ISS (1 March 2024)",
    ]
    assert texts(html, ".membership-change") == [
        "15 January 2024 Institute for Strategic Studies (Kazakhstan) Admitted",
        "27 June 2024 Centre for Water Policy (Kazakhstan) Admitted",
        "1 September 2024 Korea Research Centre (Kazakhstan) Suspended",
    ]
    assert texts(html, ".declined") == ["1 recommended institution was declined."]
    assert texts(html, ".annual-years li") == ["2026", "2025", "2024", "2023"]
    content = response.content.decode()
    assert [name for name in ABSENT_FROM_2024 if name in content] == []


def test_the_page_is_in_russian_under_ru(client, history):
    response = client.get(_url(history, 2024, "ru"))
    html = page(response)

    assert response.status_code == 200
    assert html.etree_element.get("lang") == "ru"
    assert texts(html, ".theme td:first-child") == [
        "Энергетика",
        "Климат",
        "Водные ресурсы",
        "Без темы",
    ]
    assert texts(html, ".membership-change td:last-child") == [
        "Принято в члены",
        "Принято в члены",
        "Приостановлено",
    ]
    assert texts(html, ".activities td:nth-child(3)")[0] == "Выполнено"
    assert texts(html, ".membership-change td:first-child")[0] == "15 января 2024 г."
    assert texts(html, ".annual-years a") == ["2026", "2025", "2023"]
    assert texts(html, ".breadcrumbs a")[-1] == "CICA Think Tank Forum"


@pytest.mark.parametrize(
    ("slug", "year"), [("cica-ttf", 2022), ("cica-ttf", 2027), ("no-such-forum", 2024)]
)
def test_a_year_without_a_report_or_an_unknown_forum_is_not_found(client, history, slug, year):
    response = client.get(f"/forums/{slug}/reports/{year}/")

    assert response.status_code == 404


def test_the_forum_page_links_each_years_report(client, history):
    html = page(client.get(reverse("forums:detail", args=[history.slug])))

    assert [
        (e.etree_element.text, e.etree_element.get("href"))
        for e in html.query_all(".annual-reports a")
    ] == [
        ("Annual report 2026", "/forums/cica-ttf/reports/2026/"),
        ("Annual report 2025", "/forums/cica-ttf/reports/2025/"),
        ("Annual report 2024", "/forums/cica-ttf/reports/2024/"),
        ("Annual report 2023", "/forums/cica-ttf/reports/2023/"),
    ]


def test_the_page_never_makes_a_report_row_and_says_the_pdf_is_being_prepared(client, history):
    response = client.get(_url(history, 2024))

    assert AnnualReport.objects.count() == 0
    assert texts(page(response), ".pdf-pending") == ["The PDF of this report is being prepared."]
    assert texts(page(response), ".pdf-link") == []


def test_the_page_links_the_public_pdf_while_it_is_current(
    client, history, private_media, django_capture_on_commit_callbacks
):
    document = AnnualReport.objects.create(forum=history, year=2024, language="en")
    with django_capture_on_commit_callbacks(execute=True):  # the public copy, after commit
        job = document_render(document_type="annualreport", object_id=document.pk)
    assert job.status == "done"
    document.refresh_from_db()

    html = page(client.get(_url(history, 2024)))
    assert [e.etree_element.get("href") for e in html.query_all(".pdf-link")] == [
        document.public_pdf.url
    ]
    assert document.public_pdf.url.endswith("/cica-ttf-annual-report-2024-en-v1.pdf")
    # The Russian page has no Russian PDF yet.
    assert texts(page(client.get(_url(history, 2024, "ru"))), ".pdf-link") == []

    AnnualReport.objects.filter(pk=document.pk).update(version=F("version") + 1)
    assert texts(page(client.get(_url(history, 2024))), ".pdf-link") == []


@pytest.mark.parametrize("n", [1, 20])
def test_report_and_page_queries_do_not_grow_with_the_years_data(
    client, history, django_assert_num_queries, n
):
    plan = history.action_plans.get(year=2024)
    theme = f.ThemeFactory()
    for i in range(n):
        meeting = _held(history, f"Extra meeting {i}", D(2024, 2, 1 + i % 28))
        _statement(meeting, f"Extra statement {i}")
        activity = f.ActivityFactory(plan=plan, number=10 + i)
        meeting.activity = activity
        meeting.save()
        publication = _publication(
            history, f"Extra publication {i}", D(2024, 4, 1), [theme], [f.InstituteFactory()]
        )
        publication.activities.add(activity)
        _change(history, f.InstituteFactory(), (MembershipStatus.ADMITTED, D(2024, 8, 1 + i % 28)))

    # meetings, their statements; the plan, its activities, their meetings held and
    # publications; publications counted, by theme, listed with institutes and themes;
    # the membership decisions
    with django_assert_num_queries(12):
        report = annual_report(forum=history, year=2024)
    assert len(report.meetings) == 2 + n

    # the forum (2), its years, the PDF row, and the report (12)
    with django_assert_num_queries(16):
        response = client.get(_url(history, 2024))
    assert len(texts(page(response), ".meeting")) == 2 + n


# --- The PDF ---------------------------------------------------------------------------


def test_the_pdfs_render_in_english_and_russian_with_the_charts(history, private_media):
    made = annual_reports_prepare(forum=history)
    assert sorted((d.year, d.language) for d in made) == [
        (2023, "en"), (2023, "ru"), (2024, "en"), (2024, "ru"),
        (2025, "en"), (2025, "ru"), (2026, "en"), (2026, "ru"),
    ]  # fmt: skip
    assert annual_reports_prepare(forum=history) == []  # safe to run twice

    english = AnnualReport.objects.get(forum=history, year=2024, language="en")
    russian = AnnualReport.objects.get(forum=history, year=2024, language="ru")
    for document in (english, russian):
        job = document_render(document_type="annualreport", object_id=document.pk)
        assert (job.status, job.error) == (RenderStatus.DONE, "")
        document.refresh_from_db()

    text = pdf_text(english.pdf.read())
    for expected in (
        "Annual report 2024",
        "Twelfth CICA Think Tank Forum",
        "Astana Joint Statement",
        "Annual Action Plan for 2024 · SOC/2024-II/DEC/2",
        # The two charts' bars, drawn from their SVG, then the tables under them.
        "Planned 1 (25%) In progress 1 (25%) Completed 2 (50%) Status Activities",
        "Energy 2 Climate 1 Water resources 1 No theme 1 Theme Publications",
        # Columns as pdftotext lays them out: the outputs wrap beside the publication.
        "4 Analytical reports Completed — • Energy Outlook 2024 Other outputs: Three (2024) "
        "analytical reports",
        "Water Security in Central Asia — Centre for Water Policy (10 July 2024)",
        "15 January 2024 Institute for Strategic Studies (Kazakhstan) Admitted",
        "1 recommended institution was declined.",
    ):
        assert expected in text, expected

    assert [name for name in ABSENT_FROM_2024 if name in text] == []
    assert "/forums/" not in text  # no link of the page in the PDF

    russian_text = pdf_text(russian.pdf.read())
    for expected in ("Энергетика", "Водные ресурсы", "Принято в члены", "15 января 2024 г."):
        assert expected in russian_text, expected
    assert english.pdf.name.endswith("/cica-ttf-annual-report-2024-en-v1.pdf")


def test_the_refresh_renders_again_only_the_years_whose_data_changed(history, private_media):
    annual_reports_prepare(forum=history)
    for document in AnnualReport.objects.filter(forum=history, year__in=(2023, 2024)):
        document_render(document_type="annualreport", object_id=document.pk)

    _held(history, "Extra workshop", D(2024, 11, 30))
    documents_refresh()

    versions = {
        (d.year, d.language): d.version
        for d in AnnualReport.objects.filter(forum=history, year__in=(2023, 2024))
    }
    assert versions == {(2023, "en"): 1, (2023, "ru"): 1, (2024, "en"): 2, (2024, "ru"): 2}


# --- The admin -------------------------------------------------------------------------


def test_staff_see_their_forums_reports_only_and_can_have_one_rendered_again(
    client, history, cica, kca, django_capture_on_commit_callbacks
):
    own = AnnualReport.objects.create(forum=history, year=2024, language="en")
    other = AnnualReport.objects.create(forum=kca.forum, year=2024, language="en")
    client.force_login(cica.staff)

    changelist = client.get(reverse("admin:secretariat_annualreport_changelist"))
    assert [r.pk for r in changelist.context["cl"].result_list] == [own.pk]
    assert "KCA" not in changelist.content.decode()
    url = reverse("admin:secretariat_annualreport_change", args=[other.pk])
    assert client.get(url).status_code == 404

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("admin:secretariat_annualreport_pdf_render", args=[own.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:secretariat_annualreport_pdf_render", args=[other.pk])
        )
    assert response.status_code == 404
    assert callbacks == []


def test_staff_cannot_add_a_report_for_a_year_the_forum_has_none_for(client, history, cica):
    client.force_login(cica.staff)
    url = reverse("admin:secretariat_annualreport_add")

    response = client.post(url, {"forum": history.pk, "year": 2022, "language": "en"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "year": [
            "This forum has no report for that year: its reports run from its first year "
            "with public data to the current year."
        ]
    }
    assert AnnualReport.objects.count() == 0
    response = client.post(url, {"forum": history.pk, "year": 2024, "language": "ru"})
    assert response.status_code == 302
    assert list(AnnualReport.objects.values_list("year", "language")) == [(2024, "ru")]


def test_the_command_makes_the_missing_reports_once(cica, set_today):
    set_today(datetime.date(2025, 3, 1))
    f.MeetingFactory(
        forum=cica.forum, status=MeetingStatus.HELD, starts_on=datetime.date(2024, 5, 1)
    )
    first, second = StringIO(), StringIO()

    call_command("prepare_annual_reports", stdout=first)
    call_command("prepare_annual_reports", stdout=second)

    # 2024 and 2025, in English and Russian; the KCA forum of the fixtures has no data.
    assert first.getvalue() == "Annual reports: 4 new, each rendered by a worker.\n"
    assert second.getvalue() == "Annual reports: 0 new, each rendered by a worker.\n"
    assert sorted(AnnualReport.objects.values_list("year", "language")) == [
        (2024, "en"),
        (2024, "ru"),
        (2025, "en"),
        (2025, "ru"),
    ]
