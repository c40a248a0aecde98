"""Every list of the member workspace is paged: a page of rows, a pager that says where
it is, the same number of queries for one row as for many, and only the institute's own
rows on any page."""

import datetime

import pytest

from tests import factories as f
from tests.html import attrs, page, texts
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db
PAGE = 25


@pytest.fixture
def member_a(cica):
    return member_of(cica, username="member-a")


@pytest.fixture
def signed_in(client, member_a):
    client.force_login(member_a.user)
    return client


def _submissions(tenant, n):
    for i in range(n):
        publication = f.PublicationFactory(forum=tenant.forum, title=f"Paper {i:02}")
        publication.institutes.set([tenant.institute])


def _awaiting(tenant, n):
    for i in range(n):
        circulation = f.CirculationFactory(subject=f"Concept {i:02}")
        # Two contacts of the institute: one document, listed once.
        f.DeliveryFactory(institute=tenant.institute, circulation=circulation)
        f.DeliveryFactory(institute=tenant.institute, circulation=circulation)


def _recommendations(tenant, n):
    for i in range(n):
        f.RecommendationFactory(
            forum=tenant.forum, recommended_by=tenant.institute, name=f"Centre {i:02}"
        )


def _workshops(tenant, n):
    plan = f.ActionPlanFactory(
        forum=tenant.forum, status="adopted", adopted_on=datetime.date(2024, 12, 1)
    )
    for i in range(n):
        activity = f.ActivityFactory(plan=plan, number=i + 1, title=f"Series {i:02}")
        theme = f.ThemeFactory()
        activity.themes.set([theme])
        f.ActivityModeratorFactory(activity=activity, institute=tenant.institute, theme=theme)


LISTS = {
    # url: (make n rows for a tenant, selector of a row's text)
    "/members/publications/": (_submissions, ".submission-table tbody tr"),
    "/members/documents/": (_awaiting, ".awaiting-list li"),
    "/members/recommend/": (_recommendations, ".recommendation-table tbody tr"),
    "/members/workshops/": (_workshops, ".workshop h2"),
}


@pytest.mark.parametrize("url", LISTS)
def test_a_long_list_is_paged_with_an_accessible_pager(signed_in, cica, kca, url):
    make, rows = LISTS[url]
    make(cica, PAGE + 1)
    make(kca, 3)

    first = page(signed_in.get(url))
    second = page(signed_in.get(url, {"page": 2}))

    assert len(texts(first, rows)) == PAGE
    assert len(texts(second, rows)) == 1
    assert not set(texts(first, rows)) & set(texts(second, rows))
    assert attrs(first, "nav.pagination", "aria-label") != [""]
    assert texts(first, ".pagination a") == ["1", "2", "Next"]
    assert attrs(first, ".pagination [aria-current=page]", "href") == ["?page=1"]
    assert attrs(second, ".pagination a[rel=prev]", "href") == ["?page=1"]


@pytest.mark.parametrize("url", LISTS)
def test_a_short_list_has_no_pager(signed_in, cica, url):
    make, rows = LISTS[url]
    make(cica, 2)

    html = page(signed_in.get(url))

    assert len(texts(html, rows)) == 2
    assert texts(html, ".pagination") == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/members/publications/", "Your institute has not submitted anything yet."),
        ("/members/documents/", "Nothing awaits your answer."),
        ("/members/recommend/", "Your institute has not recommended anyone yet."),
        ("/members/workshops/", "No workshop series in your forums' adopted action plans."),
    ],
)
def test_an_empty_list_says_so(signed_in, kca, url, message):
    LISTS[url][0](kca, 2)  # another institute's rows

    assert texts(page(signed_in.get(url)), ".empty-state") == [message]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("n", [1, 30])
def test_list_queries_do_not_grow(signed_in, cica, django_assert_num_queries, url, n):
    make, rows = LISTS[url]
    make(cica, n)
    # session, user, contact; the count and the page's rows; the institute, and for some
    # lists one read of the page's related rows (a workshop's themes and moderations;
    # the recommendation form's forums)
    expected = {
        "/members/publications/": 6,
        "/members/documents/": 6,
        "/members/recommend/": 7,
        "/members/workshops/": 8,
    }[url]

    with django_assert_num_queries(expected):
        response = signed_in.get(url)

    assert len(texts(page(response), rows)) == min(n, PAGE)


def test_the_dashboard_shows_the_newest_documents_and_links_the_rest(signed_in, cica):
    _awaiting(cica, 11)

    html = page(signed_in.get("/members/"))

    assert texts(html, ".awaiting-list a") == [f"Concept {i:02}" for i in range(10, 0, -1)]
    assert attrs(html, ".awaiting-answer p a", "href") == ["/members/documents/"]


def test_the_dashboard_links_no_list_while_it_shows_every_document(signed_in, cica):
    _awaiting(cica, 10)

    html = page(signed_in.get("/members/"))

    assert len(texts(html, ".awaiting-list a")) == 10
    assert attrs(html, ".awaiting-answer p a", "href") == []


def test_an_answered_document_is_no_longer_awaiting(signed_in, cica):
    _awaiting(cica, 2)
    answered = f.DeliveryFactory(institute=cica.institute, circulation__subject="Answered")
    f.DeliveryFactory(institute=cica.institute, circulation=answered.circulation)
    f.AnswerFactory(delivery=answered)

    html = page(signed_in.get("/members/documents/"))

    assert texts(html, ".awaiting-list a") == ["Concept 01", "Concept 00"]
