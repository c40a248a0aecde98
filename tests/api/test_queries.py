"""Every list costs a fixed number of queries, whether it holds one row or thirty, and
so does a single row."""

import datetime

import pytest

from actionplans.enums import ActionPlanStatus, MeetingStatus, StatementStatus
from tests import factories as f
from tests.api.conftest import publish

pytestmark = pytest.mark.django_db


def _rows(n, cica, kca):
    """``n`` public rows of every resource (forums: ``n`` besides the two of the
    tenants), each with its related rows."""
    theme = f.ThemeFactory()
    for i in range(n):
        forum = f.ForumFactory()
        institute = f.InstituteFactory(country="UZ")
        f.MembershipFactory(institute=institute, forum=forum)
        f.MeetingFactory(
            forum=forum,
            host_institute=institute,
            status=MeetingStatus.HELD,
            starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        f.ActionPlanFactory(
            forum=forum,
            year=2024,
            status=ActionPlanStatus.ADOPTED,
            adopted_on=datetime.date(2024, 6, 27),
        )
        statement = f.JointStatementFactory(
            forum=forum,
            adopted_on=datetime.date(2023, 11, 20),
            published_on=datetime.date(2023, 11, 21),
            status=StatementStatus.PUBLISHED,
            meeting=f.MeetingFactory(forum=forum),
        )
        f.SignatoryFactory(statement=statement, institute=institute)
        f.SignatoryFactory(statement=statement, institute=cica.institute)
        publish(forum=forum, institutes=[institute, kca.institute], themes=[theme])


# resource: queries for its list (and, after it, for one row).
EXPECTED = {
    # the forums with framework, secretariat and member count
    "forums": 1,
    # institutes; their admitted memberships with forums
    "institutes": 2,
    # meetings with forum and host institute
    "meetings": 1,
    # plans with forum and kind; their language versions
    "action-plans": 2,
    # statements with forum, kind and meeting; language versions; signatures with institutes
    "joint-statements": 3,
    # publications with forum; institutes; themes
    "publications": 3,
}


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("resource", list(EXPECTED))
def test_a_list_costs_the_same_queries_for_one_row_or_thirty(
    api, cica, kca, django_assert_num_queries, resource, n
):
    _rows(n, cica, kca)

    with django_assert_num_queries(EXPECTED[resource]):
        response = api.get(f"/api/v1/{resource}/", {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= n


@pytest.mark.parametrize("resource", list(EXPECTED))
def test_a_single_row_costs_what_its_list_costs(
    api, cica, kca, django_assert_num_queries, resource
):
    _rows(2, cica, kca)
    url = api.get(f"/api/v1/{resource}/").json()["results"][0]["url"]

    with django_assert_num_queries(EXPECTED[resource]):
        response = api.get(url.split("example.org", 1)[1])

    assert response.status_code == 200
