"""The facts of the two founding documents, as data: what `seed_forums` loads.

Quoted texts (the statement, the activities) are verbatim, with the documents' own
"Korea-Central Asia" hyphen; the names the portal gives use the en dash.
"""

import datetime
from typing import Any

from actionplans.enums import ActivityKind, MeetingKind, MeetingStatus
from forums.enums import AdmissionRule, Cadence, HostingPrinciple
from members.enums import InstituteKind

# --- Themes (the action plan's vocabulary) -------------------------------------------------

# The portal's own vocabulary for what the texts name; only English names, as the texts
# give them (a Russian name is the secretariat's to add).
THEMES: tuple[dict[str, str], ...] = (
    {"slug": "peace-and-stability", "name": "Peace and stability"},
    {"slug": "multipolarity", "name": "Multipolarity"},
    {"slug": "multilateralism", "name": "Multilateralism"},
    {"slug": "globalization", "name": "Globalization"},
    {"slug": "energy", "name": "Energy"},
    {"slug": "food", "name": "Food"},
    {"slug": "climate", "name": "Climate"},
    {"slug": "water-resources", "name": "Water resources"},
    {"slug": "economy-and-trade", "name": "Economy and trade"},
    {"slug": "digital-economy", "name": "Digital economy"},
    {"slug": "youth", "name": "Youth"},
    {
        "slug": "small-and-medium-sized-enterprises",
        "name": "Small and medium-sized enterprises",
    },
    {"slug": "asian-security", "name": "Asian security"},
    {"slug": "gender-equality", "name": "Gender equality"},
)

# --- Frameworks, institutes, secretariats, forums ------------------------------------------

KCA_FRAMEWORK: dict[str, str] = {
    "slug": "korea-central-asia-cooperation-forum",
    "name": "Korea–Central Asia Cooperation Forum",
    # The press release's name for it: "Central Asia – Republic of Korea Cooperation Forum
    # (CARK)".
    "short_name": "CARK",
}
KCA_MEMBER_STATES: tuple[str, ...] = ("KR", "KZ", "KG", "TJ", "TM", "UZ")

CICA_FRAMEWORK: dict[str, str] = {
    "slug": "cica",
    "name": "Conference on Interaction and Confidence Building Measures in Asia",
    "short_name": "CICA",
}

# In the order the Joint Statement names them.
INSTITUTES: tuple[dict[str, str], ...] = (
    {
        "slug": "korea-foundation",
        "name": "Korea Foundation",
        "country": "KR",
        "kind": InstituteKind.FOUNDATION,
    },
    {
        "slug": "kaziss",
        "name": (
            "Kazakhstan Institute for Strategic Studies under the President of the "
            "Republic of Kazakhstan"
        ),
        "country": "KZ",
        "kind": InstituteKind.STRATEGIC_STUDIES,
        "parent_authority": "the President of the Republic of Kazakhstan",
    },
    {
        "slug": "niss-kyrgyz-republic",
        "name": (
            "National Institute for Strategic Studies under the President of the Kyrgyz Republic"
        ),
        "country": "KG",
        "kind": InstituteKind.STRATEGIC_STUDIES,
        "parent_authority": "the President of the Kyrgyz Republic",
    },
    {
        "slug": "csr-tajikistan",
        "name": "Center for Strategic Research under the President of the Republic of Tajikistan",
        "country": "TJ",
        "kind": InstituteKind.STRATEGIC_STUDIES,
        "parent_authority": "the President of the Republic of Tajikistan",
    },
    {
        "slug": "embassy-of-turkmenistan-in-korea",
        "name": "Embassy of Turkmenistan in the Republic of Korea",
        "country": "TM",
        "kind": InstituteKind.EMBASSY,
    },
    {
        "slug": "iica",
        "name": "International Institute for Central Asia",
        "country": "UZ",
    },
)
KCA_PARTICIPANTS: tuple[str, ...] = tuple(institute["slug"] for institute in INSTITUTES)

KCA_SECRETARIAT: dict[str, str] = {
    "slug": "korea-central-asia-cooperation-forum-secretariat",
    "name": "Korea–Central Asia Cooperation Forum Secretariat",
    "operator": "korea-foundation",
}
CICA_SECRETARIAT: dict[str, str] = {
    "slug": "cica-secretariat",
    "name": "CICA Secretariat",
}

STATEMENT_TITLE = "Joint Statement on Launching the Korea–Central Asia Think Tank Forum"
LAUNCH_DATE = datetime.date(2023, 11, 20)
# Who published the text the portal stores (the statement has no date of publication of
# its own; 21 November 2023 is the news wire's byline, so it is the source's date).
STATEMENT_SOURCE = (
    "Text published by the Embassy of Kazakhstan to Korea, quoted in a press release of the "
    "Foreign Ministry of Kazakhstan (nCa, 21 November 2023)."
)

ORIENTATION: tuple[str, ...] = (
    "– The forum will convene on an annual basis, based on the principle of reciprocity.",
    "– The first forum will take place in the Republic of Korea in 2024.",
    (
        "– The forum members will participate in in-depth discussions on their shared "
        "regional and global issues."
    ),
    (
        "– At the recommendation of an existing member institution, new member(s) may be "
        "accepted into or participate in meetings of the forum with the aim of furthering "
        "its effective operation and function."
    ),
)

# The press release's two sentences on what the forum is (verbatim).
KCA_DESCRIPTION: tuple[str, ...] = (
    (
        "Following the event, the parties have agreed to launch a regular Forum of think "
        "tanks of Central Asian countries and the Republic of Korea in accordance with the "
        "decision of the foreign ministers of the participating countries."
    ),
    (
        "Under the Forum, research institutes will present recommendations and proposals on "
        "promising areas of cooperation in this format."
    ),
)

# No founding date: the statement agrees to launch the forum and to "continue
# consultations to realize the establishment of the forum".
KCA_FORUM: dict[str, Any] = {
    "slug": "korea-central-asia-think-tank-forum",
    "name": "Korea–Central Asia Think Tank Forum",
    "description": "\n\n".join(KCA_DESCRIPTION),
    "description_source": (
        "Press release of the Foreign Ministry of Kazakhstan (nCa, 21 November 2023)"
    ),
    "founding_document": STATEMENT_TITLE,
    "cadence": Cadence.ANNUAL,
    "hosting_principle": HostingPrinciple.RECIPROCITY,
    "admission_rule": AdmissionRule.RECOMMENDATION,
    "orientation": "\n".join(ORIENTATION),
}
CICA_FORUM: dict[str, Any] = {
    "slug": "cica-think-tank-forum",
    "name": "CICA Think Tank Forum",
    "short_name": "CICA TTF",
    # The plan's own words for what its forum sessions do (activity 1).
    "description": (
        "The Forum will bring together representatives from think tanks of CICA Member "
        "States to address CICA's top priorities and provide concrete policy recommendations "
        "for the synergistic interaction in different areas of CICA, as well as for the "
        "further development of CICA."
    ),
    "description_source": (
        "Annual Action Plan of the CICA Think Tank Forum for 2024 (SOC/2024-II/DEC/2), activity 1"
    ),
}

# --- The Joint Statement (verbatim, from "On November 20, 2023, …") ------------------------

STATEMENT_PARAGRAPHS: tuple[str, ...] = (
    (
        "On November 20, 2023, the Korea-Central Asia Think Tank Roundtable Conference was "
        "held in Seoul, with the participation of the Korea Foundation (operator of the "
        "Korea-Central Asia Cooperation Forum Secretariat), the Kazakhstan Institute for "
        "Strategic Studies under the President of the Republic of Kazakhstan, the National "
        "Institute for Strategic Studies under the President of the Kyrgyz Republic, the "
        "Center for Strategic Research under the President of the Republic of Tajikistan, the "
        "Embassy of Turkmenistan in the Republic of Korea, and the International Institute for "
        "Central Asia of Uzbekistan. The roundtable, which focused on cooperation between "
        "think tanks and experts from Korea and Central Asia, was initiated as a follow-up to "
        "a proposal made on October 25, 2022 at the 15th Korea-Central Asia Cooperation Forum "
        "held in Busan."
    ),
    (
        "Representatives of the Sides engaged in discussions aimed at reviewing the outcomes "
        "of cooperation between Korea and Central Asia since the establishment of diplomatic "
        "relationships, as well as future perspectives to further develop reciprocal "
        "relations. The representatives expressed that the role of strategic research "
        "institutes is crucial to further elevating the level of cooperation between Korea "
        "and Central Asian countries by developing collaborative policy strategies and "
        "raising a visionary cooperative agenda."
    ),
    (
        "The representatives stressed that to these ends, a dialogue platform between think "
        "tanks and experts from Korea and Central Asian countries should be created and held "
        "on a regular basis. Accordingly, the establishment of the Korea-Central Asia Think "
        "Tank Forum was proposed as a cooperative network between major research institutes "
        "in Korea and Central Asia."
    ),
    (
        "In this regard, the representatives agreed to launch the Korea-Central Asia Think "
        "Tank Forum with the following orientation:"
    ),
    *ORIENTATION,
    (
        "The six representatives affirmed their intentions to continue consultations to "
        "realize the establishment of the forum."
    ),
)

# --- Meetings ------------------------------------------------------------------------------

# A meeting's facts are kept as the documents give them on every run; its plan (status,
# dates, tentative window) is set only on creation, as the secretariat carries it on from
# there (confirms the dates, holds the meeting, postpones it).
BUSAN_COOPERATION_FORUM: dict[str, Any] = {
    "slug": "korea-central-asia-cooperation-forum-15",
    "facts": {
        "title": "15th Korea–Central Asia Cooperation Forum",
        "kind": MeetingKind.FRAMEWORK,
        "ordinal": 15,
        "host_country": "KR",
        "place": "Busan",
        "starts_on": datetime.date(2022, 10, 25),
    },
    "plan": {"status": MeetingStatus.HELD},
}
ROUNDTABLE: dict[str, Any] = {
    "slug": "korea-central-asia-think-tank-roundtable-2023",
    "facts": {
        "title": "Korea–Central Asia Think Tank Roundtable Conference",
        "kind": MeetingKind.ROUNDTABLE,
        "host_country": "KR",
        "place": "Seoul",
        "starts_on": LAUNCH_DATE,
        "description": (
            "The roundtable, which focused on cooperation between think tanks and experts "
            "from Korea and Central Asia, was initiated as a follow-up to a proposal made on "
            "October 25, 2022 at the 15th Korea-Central Asia Cooperation Forum held in Busan."
        ),
    },
    "plan": {"status": MeetingStatus.HELD},
}
# The press release names one speaker at the roundtable.
ROUNDTABLE_SPEAKERS: tuple[dict[str, str], ...] = (
    {"name": "Nurgali Arystanov", "role": "Ambassador of Kazakhstan"},
)
FIRST_KCA_FORUM: dict[str, Any] = {
    "slug": "korea-central-asia-think-tank-forum-1",
    "facts": {
        "title": "First Korea–Central Asia Think Tank Forum",
        "kind": MeetingKind.FORUM,
        "ordinal": 1,
        "host_country": "KR",
    },
    "plan": {
        "status": MeetingStatus.PLANNED,
        "window_start": datetime.date(2024, 1, 1),
        "window_end": datetime.date(2024, 12, 31),
    },
}
TWELFTH_CICA_FORUM: dict[str, Any] = {
    "slug": "cica-think-tank-forum-12",
    "facts": {
        "title": "Twelfth CICA Think Tank Forum",
        "kind": MeetingKind.FORUM,
        "ordinal": 12,
        "theme": (
            "The Forum will focus on issues concerning peace, stability and cooperation in "
            "Asia in 2024 and the improvement of the TTF mechanism as well as commemorate the "
            "25th anniversary of the adoption of the Declaration of the Principles Guiding "
            "Relations between the CICA Member States."
        ),
    },
    "plan": {
        "status": MeetingStatus.PLANNED,
        "window_start": datetime.date(2024, 9, 1),
        "window_end": datetime.date(2024, 10, 31),
    },
}
TWELFTH_CICA_FORUM_THEMES: tuple[str, ...] = ("peace-and-stability",)
TWELFTH_CICA_FORUM_ACTIVITY = 1

# --- The CICA TTF action plan for 2024 (activity texts verbatim) ---------------------------

ACTION_PLAN: dict[str, Any] = {
    "year": 2024,
    "title": "Annual Action Plan of the CICA Think Tank Forum for 2024",
    "document_symbol": "SOC/2024-II/DEC/2",
    "adopting_body": "Senior Officials Committee",
    "adopted_at": "Astana",
    "adopted_on": datetime.date(2024, 6, 27),
    "heading_en": "CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA",
    "heading_ru": "СОВЕЩАНИЕ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ",
    "preamble": (
        "The following activities will be implemented to strengthen exchanges among CICA "
        "Think Tank Forum (TTF) members in 2024:"
    ),
}

# Only activities 1 and 6 name themselves in their text; the others' short titles are the
# secretariat's own (``short_title``, labelled so on the pages).
ACTIVITIES: tuple[dict[str, Any], ...] = (
    {
        "number": 1,
        "kind": ActivityKind.FORUM_MEETING,
        "title": "Twelfth CICA Think Tank Forum",
        "time_frame": "September or October 2024",
        "starts_on": datetime.date(2024, 9, 1),
        "ends_on": datetime.date(2024, 10, 31),
        "themes": ("peace-and-stability",),
        "text": (
            "The Twelfth CICA Think Tank Forum will be held in September or October 2024. The "
            "Forum will focus on issues concerning peace, stability and cooperation in Asia in "
            "2024 and the improvement of the TTF mechanism as well as commemorate the 25th "
            "anniversary of the adoption of the Declaration of the Principles Guiding "
            "Relations between the CICA Member States. The Forum will bring together "
            "representatives from think tanks of CICA Member States to address CICA's top "
            "priorities and provide concrete policy recommendations for the synergistic "
            "interaction in different areas of CICA, as well as for the further development "
            "of CICA."
        ),
    },
    {
        "number": 2,
        "kind": ActivityKind.WORKSHOP_SERIES,
        "short_title": "Interactive training and academic workshops",
        "themes": (
            "energy",
            "food",
            "climate",
            "water-resources",
            "economy-and-trade",
            "digital-economy",
            "youth",
            "multipolarity",
            "multilateralism",
            "globalization",
        ),
        "text": (
            "Several interactive training workshops will be organized and include the "
            "participation of CICA veterans (Executive Directors of the CICA Secretariat) and "
            "young specialists from think tanks of CICA Member States. Small-scale academic "
            "workshops centering around the themes, such as multipolarity, multilateralism and "
            "globalization, will be held in accordance with the top priorities on the regional "
            "security and cooperation agenda, and serve as a platform for dialogue in areas of "
            "energy, food, climate, water resources, economy and trade, digital economy, and "
            "youth. TTF members may choose to moderate a workshop on one of the above areas. "
            "Key takeaways may be circulated by the Secretariat and the TTF network."
        ),
    },
    {
        "number": 3,
        "kind": ActivityKind.HANDBOOK,
        "short_title": "Handbook on supporting SMEs",
        "themes": ("small-and-medium-sized-enterprises",),
        "text": (
            "A handbook may be created to support the development of small and medium-sized "
            "enterprises (SMEs). Think tanks of the CICA Member States are encouraged to "
            "leverage their respective expertise, research the experience of effective "
            "measures in their own countries to support the development of SMEs and create an "
            "e-book for the CICA Business Council members."
        ),
    },
    {
        "number": 4,
        "kind": ActivityKind.ANALYTICAL_REPORTS,
        "short_title": "Analytical, research and forecast reports",
        "themes": ("asian-security",),
        "text": (
            "Information and analytical support to the activities of CICA will be fostered "
            "through the contribution of analytical, research and forecast reports from TTF "
            "members across all dimensions of CICA. Working reports may include analysis of "
            "hotspot issues of Asian security, Asia security outlook and review of 2024, top "
            "10 CICA news events, and others. These research outcomes will be released through "
            "social media platforms."
        ),
    },
    {
        "number": 5,
        "kind": ActivityKind.NETWORK,
        "short_title": "Focal points network and catalogue of publications",
        "themes": (),
        "text": (
            "The CICA TTF focal points network will be strengthened and expanded in order to "
            "facilitate exchange of information. TTF members may share their views and "
            "suggestions on CICA and submit their publication information to the Secretariat "
            "to produce a catalogue of publications of the TTF member institutions."
        ),
    },
    {
        "number": 6,
        "kind": ActivityKind.THEMATIC_DIALOGUE,
        "title": "Accelerating Gender Equality and Women's Empowerment",
        "themes": ("gender-equality",),
        "text": (
            "A thematic dialogue titled \"Accelerating Gender Equality and Women's "
            'Empowerment" will be held among TTF members. The dialogue aims to provide '
            "recommendations for strengthening the position of women in CICA Member States."
        ),
    },
    {
        "number": 7,
        "kind": ActivityKind.CIRCULATION,
        "short_title": "Circulation of concept papers and administrative notes",
        "themes": (),
        "text": (
            "Concept papers and administrative notes of planned activities will be circulated "
            "among CICA Member States and TTF members in advance, including information about "
            "organizers and participants, as well as the terms of financial support."
        ),
    },
)
