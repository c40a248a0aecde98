"""``seed_forums`` against its two source documents, and its idempotence.

The expected texts below are copied from the documents themselves (not imported from the
loader), so a typo in the loader's data shows up here."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from actionplans.models import ActionPlan, Activity, JointStatement, Meeting
from forums.models import Forum, Framework, Secretariat, Theme
from members.models import Institute, Membership, MembershipStatusChange
from secretariat.seeding import SeedReport, seed_forums

SEEDED_APPS = ("forums", "members", "actionplans", "publications", "secretariat")

KCA_FOUNDING_MEMBERS = [
    ("Korea Foundation", "KR"),
    (
        "Kazakhstan Institute for Strategic Studies under the President of the Republic of "
        "Kazakhstan",
        "KZ",
    ),
    ("National Institute for Strategic Studies under the President of the Kyrgyz Republic", "KG"),
    ("Center for Strategic Research under the President of the Republic of Tajikistan", "TJ"),
    ("Embassy of Turkmenistan in the Republic of Korea", "TM"),
    ("International Institute for Central Asia", "UZ"),
]
KCA_MEMBER_NAMES = [name for name, _country in KCA_FOUNDING_MEMBERS]

STATEMENT_TITLE = "Joint Statement on Launching the Korea–Central Asia Think Tank Forum"

# The Joint Statement, paragraph by paragraph, exactly as document 000 prints it.
STATEMENT_PARAGRAPHS = [
    "On November 20, 2023, the Korea-Central Asia Think Tank Roundtable Conference was held "
    "in Seoul, with the participation of the Korea Foundation (operator of the Korea-Central "
    "Asia Cooperation Forum Secretariat), the Kazakhstan Institute for Strategic Studies "
    "under the President of the Republic of Kazakhstan, the National Institute for Strategic "
    "Studies under the President of the Kyrgyz Republic, the Center for Strategic Research "
    "under the President of the Republic of Tajikistan, the Embassy of Turkmenistan in the "
    "Republic of Korea, and the International Institute for Central Asia of Uzbekistan. The "
    "roundtable, which focused on cooperation between think tanks and experts from Korea and "
    "Central Asia, was initiated as a follow-up to a proposal made on October 25, 2022 at the "
    "15th Korea-Central Asia Cooperation Forum held in Busan.",
    "Representatives of the Sides engaged in discussions aimed at reviewing the outcomes of "
    "cooperation between Korea and Central Asia since the establishment of diplomatic "
    "relationships, as well as future perspectives to further develop reciprocal relations. "
    "The representatives expressed that the role of strategic research institutes is crucial "
    "to further elevating the level of cooperation between Korea and Central Asian countries "
    "by developing collaborative policy strategies and raising a visionary cooperative agenda.",
    "The representatives stressed that to these ends, a dialogue platform between think tanks "
    "and experts from Korea and Central Asian countries should be created and held on a "
    "regular basis. Accordingly, the establishment of the Korea-Central Asia Think Tank Forum "
    "was proposed as a cooperative network between major research institutes in Korea and "
    "Central Asia.",
    "In this regard, the representatives agreed to launch the Korea-Central Asia Think Tank "
    "Forum with the following orientation:",
    "– The forum will convene on an annual basis, based on the principle of reciprocity.",
    "– The first forum will take place in the Republic of Korea in 2024.",
    "– The forum members will participate in in-depth discussions on their shared regional "
    "and global issues.",
    "– At the recommendation of an existing member institution, new member(s) may be accepted "
    "into or participate in meetings of the forum with the aim of furthering its effective "
    "operation and function.",
    "The six representatives affirmed their intentions to continue consultations to realize "
    "the establishment of the forum.",
]
ORIENTATION = STATEMENT_PARAGRAPHS[4:8]

# The seven activities of document 003: (number, kind, title, text without "N.").
CICA_ACTIVITIES = [
    (
        1,
        "forum_meeting",
        "Twelfth CICA Think Tank Forum",
        "The Twelfth CICA Think Tank Forum will be held in September or October 2024. The "
        "Forum will focus on issues concerning peace, stability and cooperation in Asia in 2024 "
        "and the improvement of the TTF mechanism as well as commemorate the 25th anniversary "
        "of the adoption of the Declaration of the Principles Guiding Relations between the "
        "CICA Member States. The Forum will bring together representatives from think tanks of "
        "CICA Member States to address CICA's top priorities and provide concrete policy "
        "recommendations for the synergistic interaction in different areas of CICA, as well "
        "as for the further development of CICA.",
    ),
    (
        2,
        "workshop_series",
        "Interactive training and academic workshops",
        "Several interactive training workshops will be organized and include the "
        "participation of CICA veterans (Executive Directors of the CICA Secretariat) and young "
        "specialists from think tanks of CICA Member States. Small-scale academic workshops "
        "centering around the themes, such as multipolarity, multilateralism and "
        "globalization, will be held in accordance with the top priorities on the regional "
        "security and cooperation agenda, and serve as a platform for dialogue in areas of "
        "energy, food, climate, water resources, economy and trade, digital economy, and "
        "youth. TTF members may choose to moderate a workshop on one of the above areas. Key "
        "takeaways may be circulated by the Secretariat and the TTF network.",
    ),
    (
        3,
        "handbook",
        "Handbook on supporting SMEs",
        "A handbook may be created to support the development of small and medium-sized "
        "enterprises (SMEs). Think tanks of the CICA Member States are encouraged to leverage "
        "their respective expertise, research the experience of effective measures in their "
        "own countries to support the development of SMEs and create an e-book for the CICA "
        "Business Council members.",
    ),
    (
        4,
        "analytical_reports",
        "Analytical, research and forecast reports",
        "Information and analytical support to the activities of CICA will be fostered through "
        "the contribution of analytical, research and forecast reports from TTF members across "
        "all dimensions of CICA. Working reports may include analysis of hotspot issues of "
        "Asian security, Asia security outlook and review of 2024, top 10 CICA news events, "
        "and others. These research outcomes will be released through social media platforms.",
    ),
    (
        5,
        "network",
        "Focal points network and catalogue of publications",
        "The CICA TTF focal points network will be strengthened and expanded in order to "
        "facilitate exchange of information. TTF members may share their views and suggestions "
        "on CICA and submit their publication information to the Secretariat to produce a "
        "catalogue of publications of the TTF member institutions.",
    ),
    (
        6,
        "thematic_dialogue",
        "Accelerating Gender Equality and Women's Empowerment",
        'A thematic dialogue titled "Accelerating Gender Equality and Women\'s Empowerment" '
        "will be held among TTF members. The dialogue aims to provide recommendations for "
        "strengthening the position of women in CICA Member States.",
    ),
    (
        7,
        "circulation",
        "Circulation of concept papers and administrative notes",
        "Concept papers and administrative notes of planned activities will be circulated "
        "among CICA Member States and TTF members in advance, including information about "
        "organizers and participants, as well as the terms of financial support.",
    ),
]


@pytest.fixture
def seeded() -> SeedReport:
    return seed_forums()


def _seeded_models():
    for label in SEEDED_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def _snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in _seeded_models()
    }


def _history_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in _seeded_models()
        if model.__name__.startswith("Historical")
    }


def _kca_forum() -> Forum:
    return Forum.objects.get(name="Korea–Central Asia Think Tank Forum")


def _cica_plan() -> ActionPlan:
    return ActionPlan.objects.get(forum__short_name="CICA TTF", year=2024)


@pytest.mark.django_db
def test_first_run_creates_every_row_of_both_forums(seeded):
    assert dict(seeded.created) == {
        "ActionPlan": 1,
        "Activity": 7,
        "Activity.themes": 14,
        "Forum": 2,
        "Framework": 2,
        "FrameworkMemberState": 6,
        "Institute": 6,
        "JointStatement": 1,
        "Meeting": 4,
        "Meeting.participants": 6,
        "Meeting.themes": 1,
        "MeetingSpeaker": 1,
        "Secretariat": 2,
        "Signatory": 6,
        "Theme": 14,
    }
    assert +seeded.updated == {}


@pytest.mark.django_db
def test_second_run_changes_nothing(seeded):
    before = _snapshot()
    history_before = _history_counts()

    again = seed_forums()

    assert again.changed_anything is False
    assert _snapshot() == before
    assert _history_counts() == history_before
    assert history_before["members.HistoricalInstitute"] == 6
    assert history_before["actionplans.HistoricalActivity"] == 7


@pytest.mark.django_db
def test_command_prints_one_line_summary_and_is_idempotent():
    first, second = StringIO(), StringIO()

    call_command("seed_forums", stdout=first)
    call_command("seed_forums", stdout=second)

    assert first.getvalue() == (
        "Seeded forums: 73 created (ActionPlan 1, Activity 7, Activity.themes 14, Forum 2, "
        "Framework 2, FrameworkMemberState 6, Institute 6, JointStatement 1, Meeting 4, "
        "Meeting.participants 6, Meeting.themes 1, MeetingSpeaker 1, Secretariat 2, "
        "Signatory 6, Theme 14), 0 updated.\n"
    )
    assert second.getvalue() == "Seeded forums: 0 created, 0 updated.\n"


@pytest.mark.django_db
def test_rerun_restores_a_changed_document_value_with_one_history_row(seeded):
    institute = Institute.objects.get(slug="kaziss")
    institute.name = "KazISS"
    institute.save()
    history_before = institute.history.count()

    again = seed_forums()

    institute.refresh_from_db()
    assert institute.name == KCA_FOUNDING_MEMBERS[1][0]
    assert dict(again.updated) == {"Institute": 1}
    assert +again.created == {}
    assert institute.history.count() == history_before + 1


@pytest.mark.django_db
def test_rerun_keeps_what_the_secretariat_carried_on_or_filled_in(seeded):
    twelfth = Meeting.objects.get(title="Twelfth CICA Think Tank Forum")
    twelfth.status = "held"
    twelfth.starts_on = datetime.date(2024, 10, 10)
    twelfth.place = "Beijing"
    twelfth.save()
    twelfth.themes.add(Theme.objects.get(name="Multilateralism"))
    Institute.objects.filter(country="KG").update(short_name="NISS", website="https://niss.kg")
    # What no document says, the secretariat may add: it stays.
    Institute.objects.filter(slug="iica").update(short_name="IICA", kind="research_centre")
    Framework.objects.filter(short_name="CICA").update(working_languages="en, ru")
    Secretariat.objects.filter(name="CICA Secretariat").update(email="info@example.org")
    Theme.objects.filter(name="Youth").update(name_ru="Молодёжь")
    before = _snapshot()

    again = seed_forums()

    assert again.changed_anything is False
    assert _snapshot() == before
    twelfth.refresh_from_db()
    assert (twelfth.status, twelfth.starts_on, twelfth.place) == (
        "held",
        datetime.date(2024, 10, 10),
        "Beijing",
    )
    assert sorted(twelfth.themes.values_list("name", flat=True)) == [
        "Multilateralism",
        "Peace and stability",
    ]


@pytest.mark.django_db
def test_frameworks_as_the_documents_name_them(seeded):
    assert list(
        Framework.objects.order_by("name").values_list(
            "name", "short_name", "working_languages", "website"
        )
    ) == [
        ("Conference on Interaction and Confidence Building Measures in Asia", "CICA", "", ""),
        # The press release's "Central Asia – Republic of Korea Cooperation Forum (CARK)".
        ("Korea–Central Asia Cooperation Forum", "CARK", "", ""),
    ]
    kca = Framework.objects.get(name="Korea–Central Asia Cooperation Forum")
    assert kca.description == ""
    assert sorted(str(state.country) for state in kca.member_states.all()) == [
        "KG",
        "KR",
        "KZ",
        "TJ",
        "TM",
        "UZ",
    ]
    assert Framework.objects.get(short_name="CICA").member_states.count() == 0


@pytest.mark.django_db
def test_secretariats_and_their_operators(seeded):
    assert list(
        Secretariat.objects.order_by("name").values_list("name", "operator__name", "email")
    ) == [
        ("CICA Secretariat", None, ""),
        ("Korea–Central Asia Cooperation Forum Secretariat", "Korea Foundation", ""),
    ]


@pytest.mark.django_db
def test_kca_forum_as_founded_by_the_joint_statement(seeded):
    forum = _kca_forum()

    assert forum.framework.name == "Korea–Central Asia Cooperation Forum"
    assert forum.secretariat.name == "Korea–Central Asia Cooperation Forum Secretariat"
    # The statement agrees to launch it and to continue consultations "to realize the
    # establishment of the forum": no date of founding.
    assert forum.founded_on is None
    assert forum.founding_document == STATEMENT_TITLE
    assert (forum.cadence, forum.hosting_principle, forum.admission_rule) == (
        "annual",
        "reciprocity",
        "recommendation",
    )
    assert forum.orientation == "\n".join(ORIENTATION)
    assert (forum.short_name, forum.website) == ("", "")
    assert forum.description == (
        "Following the event, the parties have agreed to launch a regular Forum of think tanks "
        "of Central Asian countries and the Republic of Korea in accordance with the decision "
        "of the foreign ministers of the participating countries.\n\n"
        "Under the Forum, research institutes will present recommendations and proposals on "
        "promising areas of cooperation in this format."
    )
    assert forum.description_source == (
        "Press release of the Foreign Ministry of Kazakhstan (nCa, 21 November 2023)"
    )
    # Shown in the statement's words, with no gloss of ours on how hosts are chosen.
    assert forum.get_hosting_principle_display() == "The principle of reciprocity"
    assert "the principle of reciprocity" in forum.orientation


@pytest.mark.django_db
def test_cica_forum_leaves_unknowns_blank(seeded):
    forum = Forum.objects.get(name="CICA Think Tank Forum")

    assert forum.short_name == "CICA TTF"
    assert forum.framework.short_name == "CICA"
    assert forum.secretariat.name == "CICA Secretariat"
    assert forum.founded_on is None
    assert (
        forum.founding_document,
        forum.cadence,
        forum.hosting_principle,
        forum.admission_rule,
        forum.orientation,
        forum.website,
    ) == ("", "", "", "", "", "")


@pytest.mark.django_db
def test_institutes_with_their_kinds_and_parent_authorities(seeded):
    assert list(
        Institute.objects.order_by("country").values_list(
            "name",
            "short_name",
            "country",
            "kind",
            "parent_authority",
            "website",
            "address",
            "is_synthetic",
        )
    ) == [
        (
            KCA_MEMBER_NAMES[2],
            "",
            "KG",
            "strategic_studies",
            "the President of the Kyrgyz Republic",
            "",
            "",
            False,
        ),
        ("Korea Foundation", "", "KR", "foundation", "", "", "", False),
        (
            KCA_MEMBER_NAMES[1],
            "",
            "KZ",
            "strategic_studies",
            "the President of the Republic of Kazakhstan",
            "",
            "",
            False,
        ),
        (
            KCA_MEMBER_NAMES[3],
            "",
            "TJ",
            "strategic_studies",
            "the President of the Republic of Tajikistan",
            "",
            "",
            False,
        ),
        (KCA_MEMBER_NAMES[4], "", "TM", "embassy", "", "", "", False),
        # No source gives IICA's kind or either short name (KazISS, IICA).
        (KCA_MEMBER_NAMES[5], "", "UZ", "", "", "", "", False),
    ]


@pytest.mark.django_db
def test_no_memberships_the_statement_names_participants_not_members(seeded):
    # The six took part in a roundtable that agreed to launch the forum; no document says
    # any of them was admitted as a member, or when.
    assert Membership.objects.count() == 0
    assert MembershipStatusChange.objects.count() == 0


@pytest.mark.django_db
def test_roundtable_held_in_seoul_with_the_six(seeded):
    meeting = Meeting.objects.get(title="Korea–Central Asia Think Tank Roundtable Conference")

    assert meeting.forum == _kca_forum()
    assert (meeting.kind, meeting.status) == ("roundtable", "held")
    assert (meeting.starts_on, meeting.ends_on) == (datetime.date(2023, 11, 20), None)
    assert (meeting.place, str(meeting.host_country)) == ("Seoul", "KR")
    assert meeting.host_institute is None
    assert meeting.ordinal is None
    assert sorted(meeting.participants.values_list("name", flat=True)) == sorted(KCA_MEMBER_NAMES)
    assert meeting.description == (
        "The roundtable, which focused on cooperation between think tanks and experts from "
        "Korea and Central Asia, was initiated as a follow-up to a proposal made on October "
        "25, 2022 at the 15th Korea-Central Asia Cooperation Forum held in Busan."
    )
    assert list(meeting.speakers.values_list("position", "name", "role")) == [
        (1, "Nurgali Arystanov", "Ambassador of Kazakhstan")
    ]


@pytest.mark.django_db
def test_the_busan_cooperation_forum_where_the_roundtable_was_proposed(seeded):
    meeting = Meeting.objects.get(slug="korea-central-asia-cooperation-forum-15")

    assert meeting.forum == _kca_forum()
    assert (meeting.title, meeting.kind, meeting.ordinal, meeting.status) == (
        "15th Korea–Central Asia Cooperation Forum",
        "framework",
        15,
        "held",
    )
    assert (meeting.starts_on, meeting.place, str(meeting.host_country)) == (
        datetime.date(2022, 10, 25),
        "Busan",
        "KR",
    )


@pytest.mark.django_db
def test_first_kca_forum_planned_in_korea_in_2024(seeded):
    meeting = Meeting.objects.get(title="First Korea–Central Asia Think Tank Forum")

    assert meeting.forum == _kca_forum()
    assert (meeting.kind, meeting.ordinal, meeting.status) == ("forum", 1, "planned")
    assert str(meeting.host_country) == "KR"
    assert (meeting.place, meeting.starts_on, meeting.ends_on) == ("", None, None)
    assert (meeting.window_start, meeting.window_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert meeting.when == "2024"
    assert meeting.activity is None


@pytest.mark.django_db
def test_joint_statement_text_and_signatories(seeded):
    statement = JointStatement.objects.get(title=STATEMENT_TITLE)

    assert statement.forum == _kca_forum()
    assert statement.meeting.title == "Korea–Central Asia Think Tank Roundtable Conference"
    assert (statement.place, statement.adopted_on, statement.status) == (
        "Seoul",
        datetime.date(2023, 11, 20),
        "published",
    )
    # Published on the portal when loaded; the source's own date is in its source.
    assert (statement.language, statement.published_on) == ("en", timezone.localdate())
    assert statement.source == (
        "Text published by the Embassy of Kazakhstan to Korea, quoted in a press release of the "
        "Foreign Ministry of Kazakhstan (nCa, 21 November 2023)."
    )
    assert statement.category.slug == "joint-statement"
    for paragraph in STATEMENT_PARAGRAPHS:
        assert paragraph in statement.text.split("\n\n")
    assert statement.text == "\n\n".join(STATEMENT_PARAGRAPHS)
    assert list(
        statement.signatures.order_by("position").values_list("position", "institute__name")
    ) == list(enumerate(KCA_MEMBER_NAMES, start=1))


@pytest.mark.django_db
def test_cica_action_plan_as_adopted(seeded):
    plan = _cica_plan()

    assert plan.forum.name == "CICA Think Tank Forum"
    assert plan.title == "Annual Action Plan of the CICA Think Tank Forum for 2024"
    assert plan.document_symbol == "SOC/2024-II/DEC/2"
    assert (plan.adopting_body, plan.adopted_at, plan.adopted_on) == (
        "Senior Officials Committee",
        "Astana",
        datetime.date(2024, 6, 27),
    )
    assert plan.year == 2024
    assert plan.heading_en == "CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA"
    assert plan.heading_ru == "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ"
    assert plan.preamble == (
        "The following activities will be implemented to strengthen exchanges among CICA "
        "Think Tank Forum (TTF) members in 2024:"
    )
    assert plan.status == "adopted"


@pytest.mark.django_db
def test_cica_activities_word_for_word(seeded):
    activities = Activity.objects.filter(plan=_cica_plan()).order_by("number")

    assert [(a.number, a.kind, a.title, a.short_title, a.text) for a in activities] == [
        # Only 1 and 6 name themselves in the text; the other short titles are the
        # secretariat's, kept apart from the document's own title.
        (number, kind, title if number in (1, 6) else "", "" if number in (1, 6) else title, text)
        for number, kind, title, text in CICA_ACTIVITIES
    ]


@pytest.mark.django_db
def test_only_the_forum_activity_has_a_time_frame(seeded):
    assert list(
        Activity.objects.filter(plan=_cica_plan())
        .order_by("number")
        .values_list("number", "time_frame", "starts_on", "ends_on", "status")
    ) == [
        (
            1,
            "September or October 2024",
            datetime.date(2024, 9, 1),
            datetime.date(2024, 10, 31),
            "planned",
        ),
        *((number, "", None, None, "planned") for number in range(2, 8)),
    ]


@pytest.mark.django_db
def test_activity_themes_as_the_texts_say(seeded):
    themes = {
        activity.number: sorted(theme.name for theme in activity.themes.all())
        for activity in Activity.objects.filter(plan=_cica_plan()).prefetch_related("themes")
    }

    assert themes == {
        1: ["Peace and stability"],
        2: [
            "Climate",
            "Digital economy",
            "Economy and trade",
            "Energy",
            "Food",
            "Globalization",
            "Multilateralism",
            "Multipolarity",
            "Water resources",
            "Youth",
        ],
        3: ["Small and medium-sized enterprises"],
        4: ["Asian security"],
        5: [],
        6: ["Gender equality"],
        7: [],
    }
    assert Theme.objects.count() == 14


@pytest.mark.django_db
def test_twelfth_cica_forum_planned_for_september_or_october(seeded):
    meeting = Meeting.objects.get(title="Twelfth CICA Think Tank Forum")

    assert meeting.forum.name == "CICA Think Tank Forum"
    assert (meeting.kind, meeting.ordinal, meeting.status) == ("forum", 12, "planned")
    assert (meeting.window_start, meeting.window_end) == (
        datetime.date(2024, 9, 1),
        datetime.date(2024, 10, 31),
    )
    assert (meeting.starts_on, meeting.place, str(meeting.host_country)) == (None, "", "")
    assert meeting.when == "September–October 2024"
    assert (meeting.activity.plan, meeting.activity.number) == (_cica_plan(), 1)
    assert meeting.theme == (
        "The Forum will focus on issues concerning peace, stability and cooperation in Asia in "
        "2024 and the improvement of the TTF mechanism as well as commemorate the 25th "
        "anniversary of the adoption of the Declaration of the Principles Guiding Relations "
        "between the CICA Member States."
    )
    assert list(meeting.themes.values_list("name", flat=True)) == ["Peace and stability"]
    assert meeting.participants.count() == 0
