"""The public institute pages: who is public, what their profile shows, and what it never
shows (contacts, e-mail addresses, phone numbers)."""

import datetime

import pytest
from django.urls import reverse

from members.enums import InstituteKind, MembershipStatus
from publications.enums import PublicationStatus
from tests import factories as f
from tests.html import attrs as _attrs
from tests.html import page as _page
from tests.html import texts as _texts

pytestmark = pytest.mark.django_db
D = datetime.date


def _approved(institute, **kwargs):
    publication = f.PublicationFactory(status=PublicationStatus.APPROVED, **kwargs)
    publication.institutes.add(institute)
    return publication


@pytest.fixture
def kaziss():
    return f.InstituteFactory(
        name="Kazakhstan Institute for Strategic Studies",
        short_name="KazISS",
        slug="kaziss",
        country="KZ",
        kind=InstituteKind.STRATEGIC_STUDIES,
        parent_authority="the President of the Republic of Kazakhstan",
        website="https://kisi.kz/",
        description="Founded in 1993.\n\nThe leading think tank of Kazakhstan.",
        email="office@kisi.kz",
        phone="+7 7172 75 20 20",
        address="Beibitshilik 4, Astana",
    )


def _detail(client, institute):
    return client.get(reverse("members:institute_detail", args=[institute.slug]))


# --- The list --------------------------------------------------------------------------


def test_institute_list_groups_public_institutes_by_country_with_their_forums(client, kaziss):
    """Admitted members and authors of approved publications (the one rule of a public
    institute, website.selectors); recommended and declined ones are not listed."""
    kca = f.ForumFactory(name="Korea–Central Asia Think Tank Forum")
    cica = f.ForumFactory(name="CICA Think Tank Forum", short_name="CICA TTF")
    f.MembershipFactory(institute=kaziss, forum=kca)
    f.MembershipFactory(institute=kaziss, forum=cica)
    korea = f.InstituteFactory(name="Korea Foundation", country="KR", kind=InstituteKind.FOUNDATION)
    f.MembershipFactory(institute=korea, forum=kca)
    recommended = f.InstituteFactory(name="Recommended Institute", country="UZ")
    f.MembershipFactory(
        institute=recommended, forum=kca, status=MembershipStatus.RECOMMENDED, decided_on=None
    )
    f.MembershipFactory(
        institute=f.InstituteFactory(name="Declined Institute", country="KR"),
        forum=cica,
        status=MembershipStatus.DECLINED,
    )
    publishing = f.InstituteFactory(name="Publishing Institute", country="TJ")
    _approved(publishing)

    response = client.get(reverse("members:institute_list"))
    page = _page(response)

    assert response.status_code == 200
    assert _texts(page, "main section h2") == ["Kazakhstan", "Republic of Korea", "Tajikistan"]
    assert _texts(page, "main .card-title") == [
        "Kazakhstan Institute for Strategic Studies (KazISS)",
        "Korea Foundation",
        "Publishing Institute",
    ]
    assert _texts(page, "main .card .meta") == [
        "Strategic studies institute",
        "Foundation",
        "Strategic studies institute",
    ]
    assert [_texts(card, ".tag") for card in page.query_all("main .card")] == [
        ["CICA TTF", "Korea–Central Asia Think Tank Forum"],
        ["Korea–Central Asia Think Tank Forum"],
        [],
    ]
    assert _attrs(page, "main .card-title a", "href") == [
        "/institutes/kaziss/",
        f"/institutes/{korea.slug}/",
        f"/institutes/{publishing.slug}/",
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_institute_list_queries_do_not_grow_with_institutes(client, django_assert_num_queries, n):
    forum = f.ForumFactory()
    for i in range(n):
        institute = f.InstituteFactory(country=("KZ", "KR", "UZ")[i % 3])
        f.MembershipFactory(institute=institute, forum=forum)
        f.MembershipFactory(institute=institute)

    with django_assert_num_queries(2):
        response = client.get(reverse("members:institute_list"))

    assert len(_texts(_page(response), "main .card")) == n


# --- An institute's page ---------------------------------------------------------------


def test_institute_page_shows_the_profile(client, kaziss):
    f.MembershipFactory(institute=kaziss)

    response = _detail(client, kaziss)
    page = _page(response)

    assert response.status_code == 200
    assert _texts(page, "h1") == ["Kazakhstan Institute for Strategic Studies"]
    assert _texts(page, ".definition-list dt") == [
        "Short name",
        "Country",
        "Kind",
        "Parent authority",
        "Website",
    ]
    assert _texts(page, ".definition-list dd") == [
        "KazISS",
        "Kazakhstan",
        "Strategic studies institute",
        "The President of the Republic of Kazakhstan",
        "https://kisi.kz/",
    ]
    assert _attrs(page, ".definition-list a", "rel") == ["noopener"]
    assert _attrs(page, ".definition-list a", "href") == ["https://kisi.kz/"]
    assert _texts(page, "#description + .prose p") == [
        "Founded in 1993.",
        "The leading think tank of Kazakhstan.",
    ]
    assert _texts(page, "img.institute-logo") == []


def test_institute_page_shows_no_personal_data(client, kaziss):
    f.MembershipFactory(institute=kaziss)
    f.ContactFactory(
        institute=kaziss, full_name="Aigerim Nurlanovna", email="aigerim@kisi.kz", phone="+7 701"
    )

    content = _detail(client, kaziss).content.decode()

    for private in (
        "Aigerim",
        "aigerim@kisi.kz",
        "+7 701",
        "office@kisi.kz",
        "+7 7172",
        "Beibitshilik",
        "mailto:",
        "tel:",
    ):
        assert private not in content


def test_institute_page_lists_its_forums_with_the_founding_badge(client, kaziss):
    f.MembershipFactory(
        institute=kaziss,
        forum=f.ForumFactory(name="Korea–Central Asia Think Tank Forum", slug="kca"),
        is_founding_member=True,
    )
    f.MembershipFactory(
        institute=kaziss,
        forum=f.ForumFactory(name="CICA Think Tank Forum", slug="cica"),
        decided_on=D(2024, 1, 15),
    )
    f.MembershipFactory(
        institute=kaziss,
        forum=f.ForumFactory(name="A Forum That Declined"),
        status=MembershipStatus.DECLINED,
    )

    page = _page(_detail(client, kaziss))

    assert _texts(page, "#forums + .card-list .card-title") == [
        "CICA Think Tank Forum",
        "Korea–Central Asia Think Tank Forum",
    ]
    assert _texts(page, "#forums + .card-list .meta") == [
        "Member since 15 January 2024",
        "Founding member",
    ]
    assert _texts(page, "#forums + .card-list .badge-founding") == ["Founding member"]
    assert _attrs(page, "#forums + .card-list a", "href") == ["/forums/cica/", "/forums/kca/"]


def test_institute_page_lists_approved_publications_newest_first(client, kaziss):
    f.MembershipFactory(institute=kaziss)
    co_author = f.InstituteFactory(
        name="International Institute for Central Asia", short_name="IICA"
    )
    older = _approved(kaziss, title="Asia Security Outlook 2023", published_on=D(2023, 12, 1))
    newer = _approved(kaziss, title="Energy in Central Asia", published_on=D(2024, 5, 2))
    newer.institutes.add(co_author)
    submitted = f.PublicationFactory(title="Not yet approved", published_on=D(2024, 6, 1))
    submitted.institutes.add(kaziss)
    _approved(co_author, title="Someone else's")

    page = _page(_detail(client, kaziss))

    assert _texts(page, "#publications + .card-list .card-title") == [
        "Energy in Central Asia",
        "Asia Security Outlook 2023",
    ]
    assert _texts(page, "#publications + .card-list .meta") == [
        "IICA, KazISS · 2 May 2024",
        "KazISS · 1 December 2023",
    ]
    assert _attrs(page, "#publications + .card-list a", "href") == [
        f"/publications/{newer.slug}/",
        f"/publications/{older.slug}/",
    ]
    assert _attrs(page, "#publications ~ p a", "href") == [f"/publications/?institute={kaziss.pk}"]


def test_institute_page_shows_at_most_twenty_publications(client, kaziss):
    f.MembershipFactory(institute=kaziss)
    for day in range(1, 23):
        _approved(kaziss, title=f"Report {day:02}", published_on=D(2024, 1, day))

    page = _page(_detail(client, kaziss))

    titles = _texts(page, "#publications + .card-list .card-title")
    assert titles == [f"Report {day:02}" for day in range(22, 2, -1)]


def test_institute_with_only_an_approved_publication_is_public(client, kaziss):
    _approved(kaziss, title="Asia Security Outlook")

    response = _detail(client, kaziss)

    assert response.status_code == 200
    assert _texts(_page(response), ".empty-state") == ["Not a member of any forum."]


@pytest.mark.parametrize(
    "status", [MembershipStatus.RECOMMENDED, MembershipStatus.DECLINED, MembershipStatus.WITHDRAWN]
)
def test_institute_without_admitted_membership_or_approved_publication_is_not_found(
    client, kaziss, status
):
    f.MembershipFactory(
        institute=kaziss,
        status=status,
        decided_on=None if status == MembershipStatus.RECOMMENDED else D(2024, 1, 1),
    )
    f.PublicationFactory(title="Submitted only").institutes.add(kaziss)

    response = _detail(client, kaziss)

    assert response.status_code == 404
    assert "Kazakhstan Institute" not in response.content.decode()


def test_unknown_institute_is_not_found(client):
    assert client.get(reverse("members:institute_detail", args=["no-such"])).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_institute_page_queries_do_not_grow(client, kaziss, django_assert_num_queries, n):
    for _ in range(n):
        f.MembershipFactory(institute=kaziss)
        _approved(kaziss).institutes.add(f.InstituteFactory())

    # institute, its memberships (with forums), publications, their institutes
    with django_assert_num_queries(4):
        response = _detail(client, kaziss)

    page = _page(response)
    assert len(_texts(page, "#forums + .card-list .card")) == n
    assert len(_texts(page, "#publications + .card-list .card")) == min(n, 20)
