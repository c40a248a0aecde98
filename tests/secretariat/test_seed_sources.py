"""Every value ``seed_forums`` stores, against the two source documents themselves (read
from their copies in ``docs/sources`` by the test, not from the loader's data).

One test per fact: the stored value, written out here, and the words of a source that give
it. And one test over everything seeded: no text or date without a source, unless it is
in a field the pages label as the secretariat's own, or is the portal's own record."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models

from actionplans.models import (
    ActionPlan,
    Activity,
    JointStatement,
    Meeting,
    MeetingSpeaker,
    Signatory,
)
from forums.models import Forum, Framework, FrameworkMemberState, Secretariat, Theme
from members.models import Institute
from secretariat.seeding import seed_forums

SOURCES = Path(settings.BASE_DIR) / "docs" / "sources"
D = datetime.date


def _normal(text: str) -> str:
    """Compared as words: dashes and hyphens alike, markdown and spacing dropped, case
    ignored (the decision prints its heading in capitals)."""
    text = re.sub(r"[*#]+", " ", text).replace("–", "-").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


SOURCE_TEXT = _normal(" ".join(path.read_text() for path in sorted(SOURCES.glob("*.txt"))))


def in_sources(phrase: str) -> bool:
    return _normal(phrase) in SOURCE_TEXT


@pytest.fixture
def seeded(db):
    seed_forums()


def _kca() -> Forum:
    return Forum.objects.get(slug="korea-central-asia-think-tank-forum")


def _cica() -> Forum:
    return Forum.objects.get(slug="cica-think-tank-forum")


def _institute(slug: str) -> Institute:
    return Institute.objects.get(slug=slug)


def _meeting(slug: str) -> Meeting:
    return Meeting.objects.get(slug=slug)


def _activity(number: int) -> Activity:
    return Activity.objects.get(plan__document_symbol="SOC/2024-II/DEC/2", number=number)


ROUNDTABLE = "korea-central-asia-think-tank-roundtable-2023"
BUSAN = "korea-central-asia-cooperation-forum-15"
FIRST = "korea-central-asia-think-tank-forum-1"
TWELFTH = "cica-think-tank-forum-12"

# (fact, how the database holds it, the value written out, the source's words)
FACTS = [
    ("kca forum name", lambda: _kca().name, "Korea–Central Asia Think Tank Forum",
     "Korea-Central Asia Think Tank Forum"),
    ("kca founding document", lambda: _kca().founding_document,
     "Joint Statement on Launching the Korea–Central Asia Think Tank Forum",
     "Joint Statement on Launching the Korea-Central Asia Think Tank Forum"),
    ("kca meets annually", lambda: _kca().cadence, "annual", "convene on an annual basis"),
    ("kca hosting", lambda: _kca().get_hosting_principle_display(),
     "The principle of reciprocity", "based on the principle of reciprocity"),
    ("kca admission", lambda: _kca().admission_rule, "recommendation",
     "At the recommendation of an existing member institution, new member(s) may be accepted"),
    ("kca launched by the ministers' decision", lambda: _kca().description.split("\n\n")[0],
     "Following the event, the parties have agreed to launch a regular Forum of think tanks "
     "of Central Asian countries and the Republic of Korea in accordance with the decision "
     "of the foreign ministers of the participating countries.",
     "in accordance with the decision of the foreign ministers of the participating countries"),
    ("kca purpose", lambda: _kca().description.split("\n\n")[1],
     "Under the Forum, research institutes will present recommendations and proposals on "
     "promising areas of cooperation in this format.",
     "research institutes will present recommendations and proposals"),
    ("kca not founded on a date", lambda: _kca().founded_on, None,
     "continue consultations to realize the establishment of the forum"),
    ("kca framework", lambda: _kca().framework.name, "Korea–Central Asia Cooperation Forum",
     "Korea-Central Asia Cooperation Forum"),
    ("kca framework short name", lambda: _kca().framework.short_name, "CARK",
     "Central Asia – Republic of Korea Cooperation Forum (CARK)"),
    ("kca framework member states",
     lambda: sorted(str(s.country) for s in _kca().framework.member_states.all()),
     ["KG", "KR", "KZ", "TJ", "TM", "UZ"],
     "think tanks of Central Asian countries and the Republic of Korea"),
    ("kca secretariat", lambda: _kca().secretariat.name,
     "Korea–Central Asia Cooperation Forum Secretariat",
     "Korea-Central Asia Cooperation Forum Secretariat"),
    ("kca secretariat's operator", lambda: _kca().secretariat.operator.name, "Korea Foundation",
     "the Korea Foundation (operator of the Korea-Central Asia Cooperation Forum Secretariat)"),
    ("cica framework", lambda: _cica().framework.name,
     "Conference on Interaction and Confidence Building Measures in Asia",
     "CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA"),
    ("cica framework short name", lambda: _cica().framework.short_name, "CICA",
     "CICA Member States"),
    ("cica working languages not stated", lambda: _cica().framework.working_languages, "",
     "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ"),
    ("cica forum", lambda: (_cica().name, _cica().short_name),
     ("CICA Think Tank Forum", "CICA TTF"), "The CICA TTF focal points network"),
    ("cica forum's sessions", lambda: _cica().description,
     "The Forum will bring together representatives from think tanks of CICA Member States "
     "to address CICA's top priorities and provide concrete policy recommendations for the "
     "synergistic interaction in different areas of CICA, as well as for the further "
     "development of CICA.",
     "The Forum will bring together representatives from think tanks of CICA Member States"),
    ("cica secretariat", lambda: _cica().secretariat.name, "CICA Secretariat",
     "Executive Directors of the CICA Secretariat"),
    ("kaziss", lambda: (_institute("kaziss").name, _institute("kaziss").short_name),
     ("Kazakhstan Institute for Strategic Studies under the President of the Republic of "
      "Kazakhstan", ""),
     "the Kazakhstan Institute for Strategic Studies under the President of the Republic of "
     "Kazakhstan"),
    ("kaziss parent", lambda: _institute("kaziss").parent_authority,
     "the President of the Republic of Kazakhstan", "under the President of the Republic of"),
    ("niss kyrgyz republic", lambda: _institute("niss-kyrgyz-republic").name,
     "National Institute for Strategic Studies under the President of the Kyrgyz Republic",
     "the National Institute for Strategic Studies under the President of the Kyrgyz Republic"),
    ("csr tajikistan", lambda: _institute("csr-tajikistan").name,
     "Center for Strategic Research under the President of the Republic of Tajikistan",
     "the Center for Strategic Research under the President of the Republic of Tajikistan"),
    ("embassy of turkmenistan", lambda: (
        _institute("embassy-of-turkmenistan-in-korea").name,
        _institute("embassy-of-turkmenistan-in-korea").kind),
     ("Embassy of Turkmenistan in the Republic of Korea", "embassy"),
     "the Embassy of Turkmenistan in the Republic of Korea"),
    ("iica, kind not given", lambda: (
        _institute("iica").name, _institute("iica").short_name, _institute("iica").kind,
        str(_institute("iica").country)),
     ("International Institute for Central Asia", "", "", "UZ"),
     "the International Institute for Central Asia of Uzbekistan"),
    ("korea foundation", lambda: (_institute("korea-foundation").kind,
                                  str(_institute("korea-foundation").country)),
     ("foundation", "KR"), "Korea Foundation"),
    ("roundtable", lambda: (
        _meeting(ROUNDTABLE).title, _meeting(ROUNDTABLE).place, _meeting(ROUNDTABLE).starts_on,
        _meeting(ROUNDTABLE).status),
     ("Korea–Central Asia Think Tank Roundtable Conference", "Seoul", D(2023, 11, 20), "held"),
     "On November 20, 2023, the Korea-Central Asia Think Tank Roundtable Conference was held "
     "in Seoul"),
    ("roundtable participants", lambda: _meeting(ROUNDTABLE).participants.count(), 6,
     "with the participation of the Korea Foundation"),
    ("roundtable speaker", lambda: list(
        MeetingSpeaker.objects.filter(meeting__slug=ROUNDTABLE).values_list("name", "role")),
     [("Nurgali Arystanov", "Ambassador of Kazakhstan")],
     "Speaking at the event, Ambassador of Kazakhstan Nurgali Arystanov"),
    ("roundtable proposed at busan", lambda: _meeting(ROUNDTABLE).description,
     "The roundtable, which focused on cooperation between think tanks and experts from Korea "
     "and Central Asia, was initiated as a follow-up to a proposal made on October 25, 2022 "
     "at the 15th Korea-Central Asia Cooperation Forum held in Busan.",
     "initiated as a follow-up to a proposal made on October 25, 2022"),
    ("busan cooperation forum", lambda: (
        _meeting(BUSAN).title, _meeting(BUSAN).ordinal, _meeting(BUSAN).place,
        _meeting(BUSAN).starts_on, _meeting(BUSAN).kind),
     ("15th Korea–Central Asia Cooperation Forum", 15, "Busan", D(2022, 10, 25), "framework"),
     "on October 25, 2022 at the 15th Korea-Central Asia Cooperation Forum held in Busan"),
    ("first kca forum in korea in 2024", lambda: (
        str(_meeting(FIRST).host_country), _meeting(FIRST).window_start,
        _meeting(FIRST).window_end),
     ("KR", D(2024, 1, 1), D(2024, 12, 31)),
     "The first forum will take place in the Republic of Korea in 2024."),
    ("twelfth cica forum", lambda: (
        _meeting(TWELFTH).title, _meeting(TWELFTH).ordinal, _meeting(TWELFTH).window_start,
        _meeting(TWELFTH).window_end),
     ("Twelfth CICA Think Tank Forum", 12, D(2024, 9, 1), D(2024, 10, 31)),
     "The Twelfth CICA Think Tank Forum will be held in September or October 2024."),
    ("statement", lambda: (
        JointStatement.objects.get().place, JointStatement.objects.get().adopted_on),
     ("Seoul", D(2023, 11, 20)), "On November 20, 2023, the Korea-Central Asia Think Tank"),
    ("statement's source", lambda: JointStatement.objects.get().source,
     "Text published by the Embassy of Kazakhstan to Korea, quoted in a press release of the "
     "Foreign Ministry of Kazakhstan (nCa, 21 November 2023).",
     "Here is the text of the Joint Statement, published by the Embassy of Kazakhstan to Korea"),
    ("statement's participants", lambda: list(
        Signatory.objects.order_by("position").values_list("institute__slug", flat=True)),
     ["korea-foundation", "kaziss", "niss-kyrgyz-republic", "csr-tajikistan",
      "embassy-of-turkmenistan-in-korea", "iica"],
     "The six representatives affirmed their intentions"),
    ("plan", lambda: (
        ActionPlan.objects.get().title, ActionPlan.objects.get().document_symbol,
        ActionPlan.objects.get().year),
     ("Annual Action Plan of the CICA Think Tank Forum for 2024", "SOC/2024-II/DEC/2", 2024),
     "SOC/2024-II/DEC/2 27 June 2024"),
    ("plan adopted", lambda: (
        ActionPlan.objects.get().adopting_body, ActionPlan.objects.get().adopted_at,
        ActionPlan.objects.get().adopted_on),
     ("Senior Officials Committee", "Astana", D(2024, 6, 27)),
     "Senior Officials Committee Astana, 27 June 2024"),
    ("plan headings", lambda: (ActionPlan.objects.get().heading_en,
                               ActionPlan.objects.get().heading_ru),
     ("CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA",
      "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ"),
     "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ"),
    ("activity 1 names itself", lambda: (_activity(1).title, _activity(1).time_frame),
     ("Twelfth CICA Think Tank Forum", "September or October 2024"),
     "1. The Twelfth CICA Think Tank Forum will be held in September or October 2024."),
    ("activity 6 names itself", lambda: _activity(6).title,
     "Accelerating Gender Equality and Women's Empowerment",
     'A thematic dialogue titled "Accelerating Gender Equality and Women\'s Empowerment"'),
    ("activities 2-5 and 7 have no title of their own",
     lambda: [_activity(n).title for n in (2, 3, 4, 5, 7)], ["", "", "", "", ""],
     "2. Several interactive training workshops will be organized"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("reading", "expected", "words"),
    [pytest.param(reading, expected, words, id=fact) for fact, reading, expected, words in FACTS],
)
def test_seeded_fact_as_its_source_gives_it(seeded, reading, expected, words):
    assert in_sources(words), words
    assert reading() == expected


# --- Nothing seeded without a source ---------------------------------------------------------

SEEDED_MODELS = (
    Framework,
    FrameworkMemberState,
    Secretariat,
    Forum,
    Theme,
    Institute,
    Meeting,
    MeetingSpeaker,
    JointStatement,
    Signatory,
    ActionPlan,
    Activity,
)
# Shown on the pages as the secretariat's own, not as the documents'.
EDITORIAL = {(Activity, "short_title")}
# The portal's own record, not a fact of the documents: when it put the statement online.
PORTAL_RECORD = {(JointStatement, "published_on")}
# Citations: each part names a source and is checked against it.
CITATIONS = {
    (JointStatement, "source"): (
        "Embassy of Kazakhstan to Korea",
        "Foreign Ministry of Kazakhstan",
        "nCa, 21 November 2023",
    ),
    (Forum, "description_source"): (
        "Foreign Ministry of Kazakhstan",
        "nCa, 21 November 2023",
        "Annual Action Plan of the CICA Think Tank Forum for 2024",
        "SOC/2024-II/DEC/2",
    ),
}
# Values a source gives in other words: the value, and the words it comes from.
DERIVED = {
    "First Korea–Central Asia Think Tank Forum": "The first forum will take place",
    "Peace and stability": "peace, stability and cooperation in Asia",
}
# The days a source names, and the windows it gives ("in 2024", "September or October 2024").
SOURCE_DAYS = {
    D(2023, 11, 20): "November 20, 2023",
    D(2022, 10, 25): "October 25, 2022",
    D(2024, 6, 27): "27 June 2024",
    D(2024, 1, 1): "in the Republic of Korea in 2024",
    D(2024, 12, 31): "in the Republic of Korea in 2024",
    D(2024, 9, 1): "September or October 2024",
    D(2024, 10, 31): "September or October 2024",
}


def _seeded_values():
    """(model, field, value) of every text and date the seed stored."""
    for model in SEEDED_MODELS:
        for field in model._meta.concrete_fields:
            if field.name in ("created_at", "updated_at") or field.choices:
                continue  # the record's own times; a classification, checked as a fact
            if isinstance(field, models.SlugField) or field.is_relation:
                continue
            if not isinstance(field, models.CharField | models.TextField | models.DateField):
                continue
            for value in model._default_manager.values_list(field.name, flat=True):
                if value not in ("", None):
                    yield model, field.name, value


def _unsourced(model, name, value) -> str | None:
    if (model, name) in EDITORIAL | PORTAL_RECORD:
        return None
    if (model, name) in CITATIONS:
        cited = CITATIONS[(model, name)]
        return None if any(in_sources(part) for part in cited if part in value) else value
    if isinstance(value, datetime.date):
        return None if in_sources(SOURCE_DAYS.get(value, "\0")) else str(value)
    if value in DERIVED:
        return None if in_sources(DERIVED[value]) else value
    parts = [part for part in value.split("\n") if part.strip()]
    return None if all(in_sources(part) for part in parts) else value


def test_no_seeded_value_lacks_a_source(seeded):
    values = list(_seeded_values())

    unsourced = [
        (model.__name__, name, value)
        for model, name, value in values
        if _unsourced(model, name, value) is not None
    ]

    assert unsourced == []
    assert len(values) == 86  # the walk reads what was seeded, not an empty database


def test_the_walk_finds_a_value_no_source_gives(seeded):
    """The walk above can fail: an institute's short name no document gives is found."""
    Institute.objects.filter(slug="kaziss").update(short_name="KazISS")
    Activity.objects.filter(number=2).update(title="Interactive training and academic workshops")

    assert [
        (model.__name__, name, value)
        for model, name, value in _seeded_values()
        if _unsourced(model, name, value) is not None
    ] == [
        ("Institute", "short_name", "KazISS"),
        ("Activity", "title", "Interactive training and academic workshops"),
    ]


def test_editorial_short_titles_are_the_only_ones_kept_apart(seeded):
    assert list(
        Activity.objects.exclude(short_title="").order_by("number").values_list("number", flat=True)
    ) == [2, 3, 4, 5, 7]
