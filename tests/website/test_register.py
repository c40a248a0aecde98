"""The register of official documents: its lists, the addresses by symbol and by forum,
kind and date, a plan's language versions on its page and in its PDF, and the admin page
where a version is entered beside the original."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans.enums import ActionPlanStatus, MeetingStatus, StatementStatus
from actionplans.models import (
    ActionPlan,
    ActionPlanTranslation,
    ActivityTranslation,
    JointStatement,
    JointStatementTranslation,
)
from actionplans.services import plan_version_save
from documents.models import DocumentCategory
from documents.services import document_pdf_bytes, document_render
from secretariat.models import AnnualReport
from secretariat.seeding import seed_forums
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import texts as _texts
from tests.secretariat.pdftools import pdf_text
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db

D = datetime.date
SYMBOL = "SOC/2024-II/DEC/2"
CICA = "cica-think-tank-forum"
KCA = "korea-central-asia-think-tank-forum"
STATEMENT_TITLE = "Joint Statement on Launching the Korea–Central Asia Think Tank Forum"
PLAN_TITLE = "Annual Action Plan of the CICA Think Tank Forum for 2024"


def _rows(page) -> list[list[str]]:
    return [_texts(row, "td") for row in page.query_all(".register-table tbody tr")]


@pytest.fixture
def seeded(private_media, django_capture_on_commit_callbacks):
    """Both forums as seeded, each founding document rendered as a worker would (its
    public copy is written after commit)."""
    seed_forums()
    with django_capture_on_commit_callbacks(execute=True):
        document_render(document_type="actionplan", object_id=ActionPlan.objects.get().pk)
        document_render(document_type="statement", object_id=JointStatement.objects.get().pk)


def test_each_seeded_forum_register_lists_its_founding_document(client, seeded):
    cica = _page(client.get(f"/forums/{CICA}/documents/"))
    kca = _page(client.get(f"/forums/{KCA}/documents/"))

    assert _rows(cica) == [
        [
            SYMBOL,
            f"{PLAN_TITLE} Action plan",
            "27 June 2024",
            "Senior Officials Committee, Astana",
            "English",
            f"{PLAN_TITLE}, PDF",
        ]
    ]
    assert _rows(kca) == [
        [
            "—",
            f"{STATEMENT_TITLE} Joint statement",
            "20 November 2023",
            "Korea–Central Asia Think Tank Roundtable Conference",
            "English",
            f"{STATEMENT_TITLE}, PDF",
        ]
    ]
    assert _attrs(cica, ".register-table td a", "href")[0] == "/documents/SOC/2024-II/DEC/2/"
    assert _attrs(kca, ".register-table td a", "href")[0] == (
        f"/forums/{KCA}/documents/joint-statement/2023-11-20/"
    )


def test_the_register_pdf_links_download_on_a_freshly_seeded_portal(client, seeded):
    links = _attrs(_page(client.get("/documents/")), ".register-table a[type]", "href")

    texts = []
    for link in links:
        answer = client.get(link)
        assert (answer.status_code, answer["Content-Type"]) == (200, "application/pdf")
        texts.append(pdf_text(b"".join(answer.streaming_content)))

    assert [text[:40] for text in texts] == [
        "SOC/2024-II/DEC/2 27 June 2024 CONFERENC",
        "Joint Statement on Launching the Korea–C",
    ]


def test_the_pdf_address_by_symbol_sends_on_to_the_current_pdf(client, seeded):
    plan = ActionPlan.objects.get()

    answer = client.get("/documents/SOC/2024-II/DEC/2/pdf/")

    assert answer.status_code == 302
    assert answer["Location"] == plan.public_pdf.url


def test_the_pdf_address_of_a_document_without_a_current_pdf_is_not_found(client, cica):
    f.ActionPlanFactory(
        forum=cica.forum,
        document_symbol="X/1",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2024, 1, 1),
    )

    assert client.get("/documents/X/1/pdf/").status_code == 404


def test_the_seeded_plan_page_by_its_symbol(client, seeded):
    page = _page(client.get("/documents/SOC/2024-II/DEC/2/"))

    assert _texts(page, "h1") == [PLAN_TITLE]
    facts = dict(zip(_texts(page, ".sidebar dt"), _texts(page, ".sidebar dd"), strict=True))
    assert facts == {
        "Forum": "CICA Think Tank Forum",
        "Kind of document": "Action plan",
        "Symbol": SYMBOL,
        "Adopted by": "Senior Officials Committee",
        "Place": "Astana",
        "Date": "27 June 2024",
        "Original language": "English",
    }
    assert len(_texts(page, ".activity")) == 7
    assert _attrs(page, ".sidebar a.button", "href") == [ActionPlan.objects.get().public_pdf.url]
    assert _texts(page, ".breadcrumbs li") == ["Home", "CICA TTF", "Documents", SYMBOL]


def test_a_draft_plan_or_an_unknown_symbol_is_not_found(client, cica):
    f.ActionPlanFactory(forum=cica.forum, document_symbol="DRAFT/1")

    assert client.get("/documents/DRAFT/1/").status_code == 404
    assert client.get("/documents/NO/SUCH/1/").status_code == 404
    assert client.get("/documents/DRAFT/1/pdf/").status_code == 404


def test_a_statement_is_found_by_its_symbol_too(client, cica):
    f.JointStatementFactory(
        forum=cica.forum,
        title="Astana Communiqué",
        document_symbol="TTF/2024/1",
        status=StatementStatus.PUBLISHED,
        adopted_on=D(2024, 9, 12),
        published_on=D(2024, 9, 13),
    )

    page = _page(client.get("/documents/TTF/2024/1/"))

    assert _texts(page, "h1") == ["Astana Communiqué"]


def test_documents_without_a_symbol_by_forum_kind_and_date(client, cica):
    communique = DocumentCategory.objects.create(name="Joint communiqué", slug="communique")
    for title, category in (("Statement A", None), ("Communiqué B", communique)):
        f.JointStatementFactory(
            forum=cica.forum,
            title=title,
            category=category,
            status=StatementStatus.PUBLISHED,
            adopted_on=D(2024, 9, 12),
            published_on=D(2024, 9, 13),
        )

    base = f"/forums/{cica.forum.slug}/documents"
    statement = _page(client.get(f"{base}/joint-statement/2024-09-12/"))
    other = _page(client.get(f"{base}/communique/2024-09-12/"))

    assert _texts(statement, "h1") == ["Statement A"]
    assert _texts(other, "h1") == ["Communiqué B"]
    for wrong in ("communique/2024-09-13/", "communique/2024-13-01/", "action-plan/2024-09-12/"):
        assert client.get(f"{base}/{wrong}").status_code == 404, wrong
    assert client.get("/forums/kca-ttf/documents/communique/2024-09-12/").status_code == 404


def test_two_documents_sharing_an_address_are_both_listed_there(client, cica):
    for title in ("Morning statement", "Evening statement"):
        f.JointStatementFactory(
            forum=cica.forum,
            title=title,
            status=StatementStatus.PUBLISHED,
            adopted_on=D(2024, 9, 12),
            published_on=D(2024, 9, 13),
        )

    page = _page(client.get(f"/forums/{cica.forum.slug}/documents/joint-statement/2024-09-12/"))

    assert sorted(row[1] for row in _rows(page)) == [
        "Evening statement Joint statement",
        "Morning statement Joint statement",
    ]


def test_the_register_leaves_out_drafts_and_unpublished_statements(client, cica):
    f.ActionPlanFactory(forum=cica.forum, title="Draft plan")
    f.JointStatementFactory(
        forum=cica.forum,
        title="Adopted only",
        status=StatementStatus.ADOPTED,
        adopted_on=D(2024, 1, 1),
    )

    page = _page(client.get("/documents/"))

    assert _rows(page) == []
    assert _texts(page, ".empty-state") == ["No documents have been adopted or published yet."]


def test_an_unknown_forums_register_is_not_found(client):
    assert client.get("/forums/no-such-forum/documents/").status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_the_register_reads_a_fixed_number_of_queries(client, cica, django_assert_num_queries, n):
    for i in range(n):
        plan = f.ActionPlanFactory(
            forum=cica.forum,
            year=2000 + i,
            document_symbol=f"P/{i}",
            status=ActionPlanStatus.ADOPTED,
            adopted_on=D(2000 + i, 1, 1),
        )
        ActionPlanTranslation.objects.create(plan=plan, language="ru", title="План")
        f.JointStatementFactory(
            forum=cica.forum,
            status=StatementStatus.PUBLISHED,
            adopted_on=D(2000 + i, 2, 1),
            published_on=D(2000 + i, 2, 2),
        )

    # the forum (with framework, secretariat), its member states, plans (with forum and
    # kind), their language versions, statements (with forum, kind and meeting), theirs,
    # annual reports (with forum)
    with django_assert_num_queries(7):
        page = _page(client.get(f"/forums/{cica.forum.slug}/documents/"))

    assert len(_rows(page)) == 2 * n
    assert _rows(page)[0][4] == "English"


# --- Symbols and kinds as data -------------------------------------------------------------


def test_a_symbol_must_follow_its_kinds_pattern(cica):
    decision = DocumentCategory.objects.create(
        name="Decision", slug="decision", symbol_pattern="SOC/{year}-{roman}/DEC/{number}"
    )
    plan = f.ActionPlanFactory(forum=cica.forum, category=decision, document_symbol=SYMBOL)
    plan.full_clean()

    plan.document_symbol = "SOC/2024-2/DEC/2"
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()

    assert refused.value.message_dict == {
        "document_symbol": [
            "A Decision's symbol follows the pattern SOC/{year}-{roman}/DEC/{number}."
        ]
    }


def test_a_pattern_with_an_unknown_placeholder_is_refused():
    kind = DocumentCategory(name="Note", slug="note", symbol_pattern="N/{yr}/{number}")

    with pytest.raises(ValidationError) as refused:
        kind.full_clean()

    assert refused.value.message_dict == {
        "symbol_pattern": ["Unknown placeholder {yr}: use {year}, {number}, {roman}, {code}."]
    }


def test_one_symbol_names_one_document_of_any_kind(cica):
    f.ActionPlanFactory(forum=cica.forum, document_symbol="TTF/2024/1")
    statement = f.JointStatementFactory(forum=cica.forum, document_symbol="TTF/2024/1")

    with pytest.raises(ValidationError) as refused:
        statement.full_clean()

    assert refused.value.message_dict == {
        "document_symbol": ["Another document has the symbol TTF/2024/1."]
    }


# --- Language versions -----------------------------------------------------------------------


@pytest.fixture
def plan_in_russian(cica):
    plan = f.ActionPlanFactory(
        forum=cica.forum,
        title="Annual Action Plan for 2025",
        document_symbol="SOC/2025-I/DEC/1",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2025, 6, 1),
        preamble="The following activities will be implemented:",
    )
    first = f.ActivityFactory(plan=plan, number=1, title="", text="A forum will be held.")
    second = f.ActivityFactory(plan=plan, number=2, title="", text="A handbook may be created.")
    plan_version_save(
        plan=plan,
        language="ru",
        title="Ежегодный план действий на 2025 год",
        preamble="Будут осуществлены следующие мероприятия:",
        is_official=True,
        source="",
        texts={first.pk: "Будет проведён форум.", second.pk: ""},
        by=None,
    )
    return plan


def test_the_russian_page_shows_the_russian_version_and_says_what_the_original_is(
    client, plan_in_russian
):
    page = _page(client.get("/ru/documents/SOC/2025-I/DEC/1/"))

    assert _texts(page, "h1") == ["Ежегодный план действий на 2025 год"]
    assert _texts(page, ".notice") == [
        "Оригинал: английский. Эта языковая версия — часть документа в том виде, в каком он "
        "был принят."
    ]
    assert _texts(page, ".activity .prose") == [
        "Будет проведён форум.",
        "A handbook may be created.",
    ]
    assert _attrs(page, ".activity .prose", "lang") == ["ru", "en"]


def test_the_english_page_shows_the_original_and_offers_the_versions(client, plan_in_russian):
    page = _page(client.get("/documents/SOC/2025-I/DEC/1/"))

    assert _texts(page, "h1") == ["Annual Action Plan for 2025"]
    assert _texts(page, ".notice") == []
    assert _texts(page, ".version-switch li") == [
        "English (original)",
        "Русский (official version)",
        "Side by side",
    ]


def test_side_by_side_sets_each_paragraph_beside_its_version(client, plan_in_russian):
    page = _page(client.get("/documents/SOC/2025-I/DEC/1/?view=both"))

    assert _texts(page, ".side-by-side-cell") == [
        "1. A forum will be held.",
        "1. Будет проведён форум.",
        "2. A handbook may be created.",
        "Not available in this language.",
    ]


def test_a_page_in_a_language_without_a_version_says_so(client, cica):
    f.ActionPlanFactory(
        forum=cica.forum,
        document_symbol="P/1",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2025, 1, 1),
    )

    page = _page(client.get("/ru/documents/P/1/"))

    assert _texts(page, ".notice") == [
        "У этого документа нет версии на языке: русский; он показан на языке оригинала: английский."
    ]


def test_the_pdf_of_a_plan_with_versions_sets_them_side_by_side(plan_in_russian):
    text = pdf_text(document_pdf_bytes(document_type="actionplan", object_id=plan_in_russian.pk))

    assert "Annual Action Plan for 2025 Ежегодный план действий на 2025 год" in text
    assert "1. A forum will be held. 1. Будет проведён форум." in text
    assert "2. A handbook may be created. 2. —" in text


def test_saving_a_version_again_changes_only_what_changed_and_empty_removes(plan_in_russian):
    first, second = plan_in_russian.activities.order_by("number")
    version_before = ActionPlan.objects.get(pk=plan_in_russian.pk).version

    plan_version_save(
        plan=plan_in_russian,
        language="ru",
        title="Ежегодный план действий на 2025 год",
        preamble="",
        is_official=False,
        source="Перевод секретариата",
        texts={first.pk: "", second.pk: "Может быть создан справочник."},
        by=None,
    )

    assert list(
        ActivityTranslation.objects.order_by("activity__number").values_list(
            "activity__number", "text"
        )
    ) == [(2, "Может быть создан справочник.")]
    assert ActionPlan.objects.get(pk=plan_in_russian.pk).version == version_before + 1


def test_a_version_in_the_original_language_is_refused(plan_in_russian):
    with pytest.raises(ValidationError):
        plan_version_save(
            plan=plan_in_russian,
            language="en",
            title="Again",
            preamble="",
            is_official=False,
            source="",
            texts={},
            by=None,
        )
    assert list(ActionPlanTranslation.objects.values_list("language", flat=True)) == ["ru"]


# --- The admin page where a version is entered -----------------------------------------------


def _versions_url(plan, language="ru") -> str:
    return reverse("admin:actionplans_actionplan_versions", args=[plan.pk, language])


def test_staff_enter_a_version_beside_the_original(client, cica, plan_in_russian):
    client.force_login(cica.staff)
    first, second = plan_in_russian.activities.order_by("number")

    shown = client.get(_versions_url(plan_in_russian, "ko"))
    saved = client.post(
        _versions_url(plan_in_russian, "ko"),
        {
            "title": "<b>2025년 연간 행동 계획</b>",
            "preamble": "",
            "source": "",
            f"activity_{first.pk}": "포럼이 개최될 것이다.",
            f"activity_{second.pk}": "",
        },
    )

    assert shown.status_code == 200
    assert [str(row[0]) for row in shown.context["rows"]] == [str(first), str(second)]
    assert saved.status_code == 302
    version = ActionPlanTranslation.objects.get(plan=plan_in_russian, language="ko")
    assert (version.title, version.is_official) == ("<b>2025년 연간 행동 계획</b>", False)
    page = client.get("/documents/SOC/2025-I/DEC/1/?version=ko").content.decode()
    assert "&lt;b&gt;2025년 연간 행동 계획&lt;/b&gt;" in page
    assert "<b>2025년" not in page


def test_staff_of_another_secretariat_cannot_open_or_save_a_version(client, kca, plan_in_russian):
    client.force_login(kca.staff)
    first = plan_in_russian.activities.order_by("number").first()

    shown = client.get(_versions_url(plan_in_russian))
    saved = client.post(
        _versions_url(plan_in_russian),
        {"title": "Захвачено", f"activity_{first.pk}": "Захвачено"},
    )

    assert (shown.status_code, saved.status_code) == (404, 404)
    assert b"Annual Action Plan for 2025" not in shown.content
    assert ActionPlanTranslation.objects.get(plan=plan_in_russian).title == (
        "Ежегодный план действий на 2025 год"
    )
    assert not ActivityTranslation.objects.filter(text="Захвачено").exists()


@pytest.mark.parametrize("language", ["en", "xx"])
def test_no_version_page_for_the_original_or_an_unknown_language(
    client, cica, plan_in_russian, language
):
    client.force_login(cica.staff)

    assert client.get(_versions_url(plan_in_russian, language)).status_code == 404


def test_a_version_without_a_title_is_refused_and_nothing_is_written(client, cica, plan_in_russian):
    client.force_login(cica.staff)
    first = plan_in_russian.activities.order_by("number").first()

    answer = client.post(
        _versions_url(plan_in_russian, "ko"), {"title": "", f"activity_{first.pk}": "텍스트"}
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors == {"title": ["This field is required."]}
    assert not ActionPlanTranslation.objects.filter(language="ko").exists()


def test_the_plan_page_flags_activities_past_their_time_frame_with_nothing_to_show(
    client, cica, set_today
):
    plan = f.ActionPlanFactory(
        forum=cica.forum,
        year=2024,
        document_symbol="P/2024",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2024, 6, 27),
    )
    forum_meeting = f.ActivityFactory(
        plan=plan, number=1, ends_on=D(2024, 10, 31), starts_on=D(2024, 9, 1)
    )
    f.ActivityFactory(plan=plan, number=2)
    f.MeetingFactory(
        forum=cica.forum,
        activity=forum_meeting,
        title="Twelfth Forum",
        status=MeetingStatus.HELD,
        starts_on=D(2024, 10, 15),
    )

    set_today(D(2024, 7, 1))
    before = _page(client.get("/documents/P/2024/"))
    set_today(D(2025, 1, 10))
    after = _page(client.get("/documents/P/2024/"))

    assert _texts(before, ".badge-overdue") == []
    # The first was held; the second has nothing to show past its plan's year.
    assert _texts(after, ".badge-overdue") == [
        "overdue: past its time frame, nothing held or published"
    ]
    assert _attrs(after, ".activity", "id")[1] == "activity-2"
    assert _texts(after, "#activity-2 .badge-overdue") == [
        "overdue: past its time frame, nothing held or published"
    ]
    assert _texts(after, "#activity-1 .meta")[1] == "Held: Twelfth Forum (15 October 2024)"


@pytest.mark.parametrize("n", [1, 12])
def test_the_plan_page_reads_a_fixed_number_of_queries(client, cica, django_assert_num_queries, n):
    plan = f.ActionPlanFactory(
        forum=cica.forum,
        document_symbol="P/1",
        status=ActionPlanStatus.ADOPTED,
        adopted_on=D(2024, 6, 27),
    )
    ActionPlanTranslation.objects.create(plan=plan, language="ru", title="План")
    for number in range(1, n + 1):
        activity = f.ActivityFactory(plan=plan, number=number)
        activity.themes.add(f.ThemeFactory())
        ActivityTranslation.objects.create(activity=activity, language="ru", text="Текст")
        f.MeetingFactory(
            forum=cica.forum, activity=activity, status=MeetingStatus.HELD, starts_on=D(2024, 9, 1)
        )

    # the plan (with forum, kind), its versions, activities, their themes, their versions;
    # then activities with the meetings held and the publications that fulfil them
    with django_assert_num_queries(8):
        page = _page(client.get("/documents/P/1/?view=both"))

    assert len(_texts(page, ".side-by-side-cell")) == 2 * n


def test_annual_reports_are_listed_with_a_pdf_per_language(
    client, cica, private_media, django_capture_on_commit_callbacks
):
    f.MeetingFactory(forum=cica.forum, status=MeetingStatus.HELD, starts_on=D(2024, 5, 1))
    reports = [
        AnnualReport.objects.create(forum=cica.forum, year=2024, language=language)
        for language in ("en", "ru")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        document_render(document_type="annualreport", object_id=reports[0].pk)

    page = _page(client.get(f"/forums/{cica.forum.slug}/documents/"))

    # Only the English PDF is rendered so far; the Russian one is being prepared.
    assert _rows(page) == [
        [
            "—",
            "Annual report 2024 Annual report",
            "—",
            "CICA Think Tank Forum",
            "English, Russian",
            "Annual report 2024, PDF (English)",
        ]
    ]
    assert _attrs(page, ".register-table td a", "href") == [
        f"/forums/{cica.forum.slug}/reports/2024/",
        AnnualReport.objects.get(language="en").public_pdf.url,
    ]
    assert _attrs(page, ".register-table td a[type]", "hreflang") == ["en"]


# --- Circulated papers, for the institutes they went to --------------------------------------


def _circulated(tenant, title):
    paper = f.ConceptPaperFactory(forum=tenant.forum, title=title, reference="TTF/CP/1")
    circulation = f.CirculationFactory(paper=paper, subject=title)
    # Two contacts of the institute: one document, listed once.
    f.DeliveryFactory(institute=tenant.institute, circulation=circulation)
    f.DeliveryFactory(institute=tenant.institute, circulation=circulation)
    return circulation


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("anonymous", False),
        ("member of the institute", True),
        ("member of another institute", False),
        ("staff", False),
    ],
)
def test_a_circulated_paper_is_in_the_register_only_for_the_institute_it_went_to(
    client, cica, kca, who, listed
):
    _circulated(cica, "Concept paper on energy")
    if who == "member of the institute":
        client.force_login(member_of(cica, username="member-a").user)
    elif who == "member of another institute":
        client.force_login(member_of(kca, username="member-b").user)
    elif who == "staff":
        client.force_login(cica.staff)

    everything = _page(client.get("/documents/"))
    forums = _page(client.get(f"/forums/{cica.forum.slug}/documents/"))

    assert [row[1] for row in _rows(everything)] == (
        ["Concept paper on energy Concept paper · CICA Think Tank Forum"] if listed else []
    )
    assert [row[1] for row in _rows(forums)] == (
        ["Concept paper on energy Concept paper"] if listed else []
    )


def test_a_member_opens_the_circulated_paper_from_the_register(client, cica):
    _circulated(cica, "Concept paper on energy")
    client.force_login(member_of(cica, username="member-a").user)

    page = _page(client.get(f"/forums/{cica.forum.slug}/documents/"))
    (row,) = _rows(page)
    (link,) = _attrs(page, ".register-table td a:not([type])", "href")

    assert row[0] == "TTF/CP/1"
    assert row[3] == "Circulated to your institute"
    assert client.get(link).status_code == 200


def test_a_statements_versions_show_on_its_page_marked_and_in_the_register(client, cica):
    statement = f.JointStatementFactory(
        forum=cica.forum,
        title="Joint Statement",
        text="The representatives agreed.",
        document_symbol="TTF/2024/2",
        status=StatementStatus.PUBLISHED,
        adopted_on=D(2024, 9, 12),
        published_on=D(2024, 9, 13),
    )
    JointStatementTranslation.objects.create(
        statement=statement, language="ru", title="Совместное заявление", text="<b>Текст</b>"
    )

    page = _page(client.get("/ru/documents/TTF/2024/2/"))
    register = _page(client.get(f"/forums/{cica.forum.slug}/documents/"))

    assert _texts(page, ".notice") == ["Оригинал: английский. Читать на языке этой страницы"]
    assert _texts(page, "#in-ru h2") == ["Совместное заявление"]
    assert _texts(page, "#in-ru .muted") == ["Язык: русский; перевод секретариата."]
    assert _texts(page, "#in-ru .prose") == ["<b>Текст</b>"]  # as text, not markup
    assert _rows(register)[0][4] == "English, Russian"


def test_a_framework_names_the_languages_its_plans_may_have_versions_in(
    client, cica, plan_in_russian
):
    client.force_login(cica.staff)
    framework = cica.forum.framework
    framework.document_languages = "en, ru"
    framework.full_clean()
    framework.save()

    change = client.get(reverse("admin:actionplans_actionplan_change", args=[plan_in_russian.pk]))

    assert change.context["version_languages"] == [("ru", "Russian")]
    assert client.get(_versions_url(plan_in_russian, "ko")).status_code == 404
    assert client.get(_versions_url(plan_in_russian, "ru")).status_code == 200


def test_an_unknown_language_code_for_a_framework_is_refused(cica):
    framework = cica.forum.framework
    framework.document_languages = "en, xx"

    with pytest.raises(ValidationError) as refused:
        framework.full_clean()

    assert refused.value.message_dict == {
        "document_languages": ["Unknown language code xx: use en, ko, ru."]
    }
