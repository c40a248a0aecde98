"""The public forum pages: the list and a forum's page, with what the other apps add to it."""

import datetime

import pytest
from django.urls import reverse

from actionplans.enums import (
    ActionPlanStatus,
    ActivityKind,
    ActivityStatus,
    MeetingKind,
    MeetingStatus,
    StatementStatus,
)
from forums.enums import AdmissionRule, Cadence, HostingPrinciple
from members.enums import MembershipStatus
from secretariat.seeding import seed_forums
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def forum():
    framework = f.FrameworkFactory(name="Korea–Central Asia Cooperation Forum")
    for country in ("UZ", "KR", "KZ"):
        f.FrameworkMemberStateFactory(framework=framework, country=country)
    return f.ForumFactory(
        name="Korea–Central Asia Think Tank Forum",
        slug="kca-ttf",
        framework=framework,
        secretariat=f.SecretariatFactory(name="KCA Secretariat"),
        description="A cooperative network of research institutes.",
        founded_on=D(2023, 11, 20),
        founding_document="Joint Statement on Launching the Forum",
        cadence=Cadence.ANNUAL,
        hosting_principle=HostingPrinciple.RECIPROCITY,
        admission_rule=AdmissionRule.RECOMMENDATION,
        orientation="The forum will convene on an annual basis.\nNew members may be accepted.",
    )


def _detail(client, forum):
    return client.get(reverse("forums:detail", args=[forum.slug]))


# --- The list --------------------------------------------------------------------------


def test_forum_list_shows_each_forum_with_its_framework_and_admitted_member_count(client, forum):
    f.MembershipFactory(forum=forum)
    f.MembershipFactory(forum=forum)
    f.MembershipFactory(forum=forum, status=MembershipStatus.RECOMMENDED, decided_on=None)
    f.ForumFactory(
        name="CICA Think Tank Forum",
        short_name="CICA TTF",
        slug="cica-ttf",
        framework=f.FrameworkFactory(name="CICA"),
        secretariat=f.SecretariatFactory(name="CICA Secretariat"),
    )

    response = client.get(reverse("forums:list"))
    page = _page(response)

    assert response.status_code == 200
    assert _texts(page, "main .card-title") == [
        "CICA Think Tank Forum (CICA TTF)",
        "Korea–Central Asia Think Tank Forum",
    ]
    assert _texts(page, "main .card .meta") == [
        "CICA · 0 member institutes",
        "Secretariat: CICA Secretariat",
        "Korea–Central Asia Cooperation Forum · 2 member institutes · founded 20 November 2023",
        "Secretariat: KCA Secretariat",
    ]
    assert _attrs(page, "main .card-title a", "href") == ["/forums/cica-ttf/", "/forums/kca-ttf/"]


@pytest.mark.parametrize("n", [1, 30])
def test_forum_list_queries_do_not_grow_with_forums(client, django_assert_num_queries, n):
    for _ in range(n):
        f.MembershipFactory()

    with django_assert_num_queries(1):
        response = client.get(reverse("forums:list"))

    assert len(_texts(_page(response), "main .card-title")) == n


# --- A forum's page --------------------------------------------------------------------


def test_forum_page_states_the_forums_facts(client, forum):
    page = _page(_detail(client, forum))

    assert _texts(page, "h1") == ["Korea–Central Asia Think Tank Forum"]
    assert _texts(page, ".sidebar .definition-list dt") == [
        "Framework",
        "Member states",
        "Secretariat",
        "Founded",
        "Founding document",
        "Meets",
        "Hosting",
        "New members",
    ]
    assert _texts(page, ".sidebar .definition-list > dd") == [
        "Korea–Central Asia Cooperation Forum",
        "Kazakhstan Republic of Korea Uzbekistan",
        "KCA Secretariat",
        "20 November 2023",
        "Joint Statement on Launching the Forum",
        "Annual",
        "The principle of reciprocity",
        "At the recommendation of an existing member",
    ]
    assert _texts(page, "#orientation + .prose") == [
        "The forum will convene on an annual basis. New members may be accepted."
    ]
    assert _texts(page, ".page-header .lead") == ["A cooperative network of research institutes."]


def test_forum_page_names_the_forum_and_its_languages_in_russian(client, forum):
    forum.name_ru = "Форум аналитических центров Республика Корея — Центральная Азия"
    forum.save()
    forum.framework.name_ru = "Форум сотрудничества Республика Корея — Центральная Азия"
    forum.framework.working_languages = "en, ru"
    forum.framework.save()
    forum.secretariat.name_ru = "Секретариат ФАЦ"
    forum.secretariat.save()
    english = _page(_detail(client, forum))
    russian = _page(client.get("/ru" + reverse("forums:detail", args=[forum.slug])))

    assert _texts(english, "h1") == ["Korea–Central Asia Think Tank Forum"]
    assert _texts(russian, "h1") == [
        "Форум аналитических центров Республика Корея — Центральная Азия"
    ]
    dds = _texts(russian, ".sidebar .definition-list > dd")
    assert dds[0] == "Форум сотрудничества Республика Корея — Центральная Азия"
    assert "английский, русский" in dds
    assert "Секретариат ФАЦ" in dds
    assert "English, Russian" in _texts(english, ".sidebar .definition-list > dd")


def test_forum_page_links_its_catalogue_publications_and_feed(client, forum):
    page = _page(_detail(client, forum))

    assert _attrs(page, ".sidebar .link-list a", "href")[:3] == [
        "/forums/kca-ttf/documents/",
        f"/publications/?forum={forum.pk}",
        "/publications/forum/kca-ttf/feed.atom",
    ]
    assert _attrs(page, "head link[rel=alternate][type='application/atom+xml']", "href") == [
        "/publications/feed.atom",
        "/publications/forum/kca-ttf/feed.atom",
    ]


def test_forum_page_lists_admitted_members_by_country_with_founding_badges(client, forum):
    def member(name, country, **kwargs):
        institute = f.InstituteFactory(name=name, country=country)
        return f.MembershipFactory(institute=institute, forum=forum, **kwargs)

    member("Korea Foundation", "KR", is_founding_member=True)
    member("Kazakhstan Institute for Strategic Studies", "KZ", is_founding_member=True)
    member("Almaty Institute", "KZ")
    member("Recommended Institute", "KZ", status=MembershipStatus.RECOMMENDED, decided_on=None)
    member("Withdrawn Institute", "KR", status=MembershipStatus.WITHDRAWN)
    f.MembershipFactory(institute=f.InstituteFactory(name="Elsewhere Institute"))

    page = _page(_detail(client, forum))

    assert _texts(page, "#members ~ .group-title") == ["Kazakhstan", "Republic of Korea"]
    assert _texts(page, ".member-list li") == [
        "Almaty Institute",
        "Kazakhstan Institute for Strategic Studies Founding member",
        "Korea Foundation Founding member",
    ]
    assert _texts(page, ".member-list .badge-founding") == ["Founding member", "Founding member"]


def test_forum_page_separates_planned_and_held_meetings(client, set_today, forum):
    set_today(D(2024, 1, 10))
    f.MeetingFactory(
        forum=forum,
        title="Twelfth Forum",
        slug="twelfth",
        window_start=D(2024, 9, 1),
        window_end=D(2024, 10, 31),
    )
    f.MeetingFactory(
        forum=forum, title="Spring Workshop", starts_on=D(2024, 3, 5), ends_on=D(2024, 3, 6)
    )
    f.MeetingFactory(
        forum=forum,
        title="Launch Roundtable",
        kind=MeetingKind.ROUNDTABLE,
        status=MeetingStatus.HELD,
        starts_on=D(2023, 11, 20),
        place="Seoul",
        host_country="KR",
    )
    f.MeetingFactory(forum=forum, title="Cancelled Workshop", status=MeetingStatus.CANCELLED)
    f.MeetingFactory(title="Another forum's meeting")

    page = _page(_detail(client, forum))

    planned, held = page.query_all("#meetings ~ .card-list")
    assert _texts(planned, ".card-title") == ["Spring Workshop", "Twelfth Forum"]
    assert _texts(planned, ".card .meta:first-of-type") == [
        "5 March 2024 – 6 March 2024",
        "September–October 2024 tentative",
    ]
    assert _texts(planned, ".badge-tentative") == ["tentative"]
    assert _texts(held, ".card-title") == ["Launch Roundtable"]
    assert _texts(held, ".meta") == ["20 November 2023", "Roundtable · Seoul · Republic of Korea"]
    assert _attrs(planned, ".card", "id") == [
        f"meeting-{forum.meetings.get(title='Spring Workshop').slug}",
        "meeting-twelfth",
    ]


def test_forum_page_lists_adopted_plans_and_their_own_page_shows_the_activities(
    client, forum, set_today
):
    set_today(D(2024, 7, 1))  # the plan's year: nothing overdue yet
    plan = f.ActionPlanFactory(
        forum=forum,
        year=2024,
        title="Annual Action Plan for 2024",
        document_symbol="SOC/2024-II/DEC/2",
        adopting_body="Senior Officials Committee",
        adopted_at="Astana",
        adopted_on=D(2024, 6, 27),
        status=ActionPlanStatus.ADOPTED,
        preamble="The following activities will be implemented:",
    )
    second = f.ActivityFactory(
        plan=plan,
        number=2,
        title="Workshops",
        kind=ActivityKind.WORKSHOP_SERIES,
        status=ActivityStatus.IN_PROGRESS,
        text="Several workshops.\n\nTTF members may moderate one.",
    )
    second.themes.add(
        f.ThemeFactory(name="Water resources", name_ru="Водные ресурсы"),
        f.ThemeFactory(name="Energy"),
    )
    f.ActivityFactory(
        plan=plan,
        number=1,
        title="Twelfth CICA Think Tank Forum",
        kind=ActivityKind.FORUM_MEETING,
        time_frame="September or October 2024",
        text="The Forum will be held in September or October 2024.",
    )
    f.ActivityFactory(
        plan=f.ActionPlanFactory(forum=forum, year=2025, title="Draft plan for 2025"),
        title="Draft activity",
    )

    forum_page = _page(_detail(client, forum))

    assert _texts(forum_page, ".action-plan > h3") == ["Annual Action Plan for 2024"]
    assert _attrs(forum_page, ".action-plan > h3 a", "href") == ["/documents/SOC/2024-II/DEC/2/"]
    assert _texts(forum_page, ".action-plan > .meta") == [
        "SOC/2024-II/DEC/2 · Adopted by the Senior Officials Committee on 27 June 2024, Astana",
        "Languages: English",
    ]
    assert _texts(forum_page, ".activity") == []  # on the plan's own page

    page = _page(client.get("/documents/SOC/2024-II/DEC/2/"))
    assert _texts(page, "h1") == ["Annual Action Plan for 2024"]
    assert _texts(page, ".activity .card-title") == [
        "1. Twelfth CICA Think Tank Forum",
        "2. Workshops",
    ]
    assert _texts(page, ".activity .meta") == [
        "Planned Forum meeting · September or October 2024",
        "In progress Workshop series",
    ]
    assert _attrs(page, ".activity .badge", "class") == [
        "badge badge-planned",
        "badge badge-in_progress",
    ]
    assert _texts(page, ".activity .tag") == ["Energy", "Water resources"]
    assert _texts(page, ".activity:last-child .prose p") == [
        "Several workshops.",
        "TTF members may moderate one.",
    ]


def test_forum_page_shows_published_statements_in_full_with_signatories(client, forum):
    statement = f.JointStatementFactory(
        forum=forum,
        title="Joint Statement on Launching the Forum",
        slug="launch",
        place="Seoul",
        adopted_on=D(2023, 11, 20),
        status=StatementStatus.PUBLISHED,
        published_on=D(2023, 11, 21),
        text="The roundtable was held.\n\nThe representatives agreed:\n– to meet yearly.",
    )
    second = f.InstituteFactory(name="Korea Foundation", country="KR")
    first = f.InstituteFactory(name="KazISS", country="KZ")
    f.SignatoryFactory(statement=statement, institute=second, position=2)
    f.SignatoryFactory(statement=statement, institute=first, position=1)
    f.JointStatementFactory(
        forum=forum,
        title="Adopted, not published",
        adopted_on=D(2024, 1, 1),
        status=StatementStatus.ADOPTED,
    )
    f.JointStatementFactory(forum=forum, title="A draft")

    page = _page(_detail(client, forum))

    assert _texts(page, ".statement > h3") == ["Joint Statement on Launching the Forum"]
    # Its address in the register: no symbol, so by forum, kind and date.
    assert _attrs(page, ".statement > h3 a", "href") == [
        "/forums/kca-ttf/documents/joint-statement/2023-11-20/"
    ]
    assert _texts(page, ".statement > .meta") == ["Seoul, 20 November 2023"]
    assert _texts(page, ".statement .prose p") == [
        "The roundtable was held.",
        "The representatives agreed: – to meet yearly.",
    ]
    assert _texts(page, ".statement .signatories li") == [
        "KazISS (Kazakhstan)",
        "Korea Foundation (Republic of Korea)",
    ]
    assert _texts(page, ".statement a.button") == []


def test_forum_page_says_so_when_there_is_nothing_yet(client, forum):
    page = _page(_detail(client, forum))

    assert _texts(page, ".empty-state") == [
        "No member institutes yet.",
        "No meetings are planned at the moment.",
        "No meetings have been held yet.",
        "The secretariat has not recorded a host rotation for this forum.",
        "No action plan has been adopted yet.",
        "No joint statements have been published yet.",
    ]


def test_unknown_forum_is_not_found(client, forum):
    response = client.get(reverse("forums:detail", args=["no-such-forum"]))

    assert response.status_code == 404
    assert _texts(_page(response), "h1") == ["Page not found"]


def test_forum_page_in_russian(client, forum):
    response = client.get(f"/ru/forums/{forum.slug}/")
    page = _page(response)

    assert response.status_code == 200
    assert page.etree_element.get("lang") == "ru"
    assert _attrs(page, ".primary-nav a", "href") == [
        "/ru/forums/",
        "/ru/documents/",
        "/ru/publications/",
        "/ru/institutes/",
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_forum_page_queries_do_not_grow_with_its_contents(
    client, forum, django_assert_num_queries, n
):
    plan = f.ActionPlanFactory(
        forum=forum, status=ActionPlanStatus.ADOPTED, adopted_on=D(2024, 6, 27)
    )
    for i in range(n):
        f.MembershipFactory(forum=forum, is_founding_member=i % 2 == 0)
        f.MeetingFactory(forum=forum, window_start=D(2024, 9, 1), window_end=D(2024, 10, 31))
        f.MeetingFactory(forum=forum, status=MeetingStatus.HELD, starts_on=D(2023, 1, 1 + i % 28))
        f.ActivityFactory(plan=plan).themes.add(f.ThemeFactory())
        statement = f.JointStatementFactory(
            forum=forum,
            meeting=f.MeetingFactory(forum=forum, status=MeetingStatus.CANCELLED),
            adopted_on=D(2024, 1, 1),
            published_on=D(2024, 1, 2),
            status=StatementStatus.PUBLISHED,
        )
        f.SignatoryFactory(statement=statement)

    # forum (with framework, secretariat), member states, memberships, planned meetings,
    # held meetings, meetings whose dates passed unrecorded, the host rotation's rule (the
    # forum hosts by reciprocity; it has no rule, so its meetings are not read), plans
    # (with their kind), their language versions, statements (with meeting), signatories,
    # and the years of its annual reports (one aggregate: its first year with data)
    with django_assert_num_queries(12):
        response = _detail(client, forum)

    page = _page(response)
    assert len(_texts(page, ".member-list li")) == n
    assert len(_texts(page, ".action-plan")) == 1
    assert len(_texts(page, ".statement .signatories li")) == n


def _held(forum, n, **fields):
    return [
        f.MeetingFactory(
            forum=forum,
            title=f"Session {i:02}",
            status=MeetingStatus.HELD,
            starts_on=D(2000, 1, 1) + datetime.timedelta(days=30 * i),
            **fields,
        )
        for i in range(n)
    ]


def test_forum_page_lists_the_next_and_latest_meetings_and_links_them_all(client, forum):
    _held(forum, 12)
    for i in range(21):
        f.MeetingFactory(forum=forum, title=f"Plan {i:02}", starts_on=D(2030, 1, 1 + i))

    page = _page(_detail(client, forum))

    planned, held = page.query_all("#meetings ~ .card-list")
    assert _texts(planned, ".card-title") == [f"Plan {i:02}" for i in range(20)]
    assert _texts(held, ".card-title") == [f"Session {i:02}" for i in range(11, 1, -1)]
    assert _attrs(page, "#meetings ~ p a", "href") == [
        f"/forums/{forum.slug}/meetings/",
        "/meetings.ics",
    ]


def test_forum_page_links_no_archive_while_it_shows_every_meeting(client, forum):
    _held(forum, 10)
    f.MeetingFactory(forum=forum, title="Next", starts_on=D(2030, 1, 1))

    page = _page(_detail(client, forum))

    assert _attrs(page, "#meetings ~ p a", "href") == ["/meetings.ics"]  # the calendar only


def test_meeting_archive_lists_every_meeting_latest_first_a_page_at_a_time(client, forum):
    _held(forum, 21)
    f.MeetingFactory(forum=forum, title="Undated")
    f.MeetingFactory(forum=forum, title="Dropped", status=MeetingStatus.CANCELLED)
    f.MeetingFactory(title="Another forum's", status=MeetingStatus.HELD, starts_on=D(2001, 1, 1))
    url = reverse("forums:meetings", args=[forum.slug])

    first = _page(client.get(url))
    second = _page(client.get(url, {"page": 2}))

    assert _texts(first, ".card-title") == ["Undated"] + [
        f"Session {i:02}" for i in range(20, 1, -1)
    ]
    assert _texts(second, ".card-title") == ["Session 01", "Session 00"]
    assert _texts(first, ".pagination a") == ["1", "2", "Next"]
    assert _attrs(first, ".pagination [aria-current=page]", "href") == ["?page=1"]
    assert _texts(second, ".pagination a") == ["Previous", "1", "2"]
    assert _texts(_page(client.get(url, {"page": 99})), ".card-title") == [
        "Session 01",
        "Session 00",
    ]


def test_meeting_archive_of_a_forum_without_meetings_says_so(client, forum):
    page = _page(client.get(reverse("forums:meetings", args=[forum.slug])))

    assert _texts(page, ".empty-state") == ["This forum has no meetings yet."]
    assert _texts(page, ".pagination") == []


def test_meeting_archive_of_an_unknown_forum_is_not_found(client, forum):
    assert client.get(reverse("forums:meetings", args=["no-such-forum"])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_meeting_archive_queries_do_not_grow(client, forum, django_assert_num_queries, n):
    _held(forum, n, host_institute=f.InstituteFactory())

    # forum (with framework, secretariat), member states, the count, the page's meetings
    with django_assert_num_queries(4):
        response = client.get(reverse("forums:meetings", args=[forum.slug]))

    assert len(_texts(_page(response), ".card-title")) == min(n, 20)


# --- The real forums, as seeded --------------------------------------------------------


def test_seeded_kca_forum_page_as_its_sources_say(client):
    seed_forums()

    page = _page(client.get("/forums/korea-central-asia-think-tank-forum/"))

    # The statement names the roundtable's participants, not members admitted.
    assert _texts(page, ".member-list li") == []
    assert _texts(page, "#members ~ .empty-state")[:1] == ["No member institutes yet."]
    assert _texts(page, ".statement .signatories li") == [
        "Korea Foundation (Republic of Korea)",
        "Kazakhstan Institute for Strategic Studies under the President of the Republic of "
        "Kazakhstan (Kazakhstan)",
        "National Institute for Strategic Studies under the President of the Kyrgyz Republic "
        "(Kyrgyz Republic)",
        "Center for Strategic Research under the President of the Republic of Tajikistan "
        "(Tajikistan)",
        "Embassy of Turkmenistan in the Republic of Korea (Turkmenistan)",
        "International Institute for Central Asia (Uzbekistan)",
    ]
    assert _texts(page, ".forum-description p") == [
        "Following the event, the parties have agreed to launch a regular Forum of think tanks "
        "of Central Asian countries and the Republic of Korea in accordance with the decision "
        "of the foreign ministers of the participating countries.",
        "Under the Forum, research institutes will present recommendations and proposals on "
        "promising areas of cooperation in this format.",
    ]
    assert _texts(page, ".page-header .source") == [
        "— Press release of the Foreign Ministry of Kazakhstan (nCa, 21 November 2023)"
    ]
    # The founding document is a link to the statement, with its date; no date of founding.
    facts = dict(zip(_texts(page, ".sidebar dt"), _texts(page, ".sidebar dd"), strict=False))
    assert "Founded" not in facts
    assert facts["Founding document"] == (
        "Joint Statement on Launching the Korea–Central Asia Think Tank Forum (20 November 2023)"
    )
    assert _attrs(page, ".sidebar dd a", "href")[:1] == [
        "/forums/korea-central-asia-think-tank-forum/documents/joint-statement/2023-11-20/"
    ]


def test_seeded_cica_forum_page_shows_the_twelfth_forums_tentative_window(client, set_today):
    set_today(D(2024, 1, 10))
    seed_forums()

    page = _page(client.get("/forums/cica-think-tank-forum/"))

    planned = next(page.query_all("#meetings ~ .card-list"))
    assert _texts(planned, ".card-title") == ["Twelfth CICA Think Tank Forum"]
    assert _texts(planned, ".meeting-when") == ["September–October 2024"]
    assert _texts(planned, ".badge-tentative") == ["tentative"]

    plan = _page(client.get("/documents/SOC/2024-II/DEC/2/"))
    # Only 1 and 6 name themselves in the decision; the others' short titles are the
    # secretariat's, labelled so and not set as headings.
    assert _texts(plan, ".activity .card-title") == [
        "1. Twelfth CICA Think Tank Forum",
        "2.",
        "3.",
        "4.",
        "5.",
        "6. Accelerating Gender Equality and Women's Empowerment",
        "7.",
    ]
    assert _texts(plan, ".activity .editorial") == [
        "Short title (the secretariat's, not in the document): " + title
        for title in (
            "Interactive training and academic workshops",
            "Handbook on supporting SMEs",
            "Analytical, research and forecast reports",
            "Focal points network and catalogue of publications",
            "Circulation of concept papers and administrative notes",
        )
    ]
