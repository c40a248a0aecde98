"""One rule of when a submission is still its members' to change or withdraw, used by
the services, the workspace's pages and its list alike."""

import pytest

from publications.rules import is_open_to_its_members
from publications.services import PublicationLocked, publication_update
from tests import factories as f
from tests.html import page, texts
from tests.workspace.helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "open_"),
    [("submitted", True), ("returned", True), ("approved", False), ("withdrawn", False)],
)
def test_only_submitted_and_returned_ones_are_open(cica, status, open_):
    reason = "Please add the sources." if status == "returned" else ""
    publication = f.PublicationFactory(forum=cica.forum, status=status, return_reason=reason)

    assert is_open_to_its_members(publication) is open_
    assert is_open_to_its_members(None) is False


def test_the_service_refuses_a_closed_one(cica):
    publication = f.PublicationFactory(forum=cica.forum, status="approved")

    with pytest.raises(PublicationLocked):
        publication_update(
            publication=publication, institute=cica.institute, data={}, pdf=None, by=None
        )


def test_the_workspace_offers_edit_only_where_the_rule_allows(client, cica):
    user = member_of(cica, username="aigerim").user
    for title, status in [("Open paper", "submitted"), ("Closed paper", "approved")]:
        publication = f.PublicationFactory(
            forum=cica.forum, status=status, title=title, submitted_by=user
        )
        publication.institutes.set([cica.institute])
    client.force_login(user)

    root = page(client.get("/members/publications/"))

    rows = {texts(row, "td")[0]: texts(row, "td a") for row in root.query_all("tbody tr")}
    assert "Edit" in rows["Open paper"]
    assert "Edit" not in rows["Closed paper"]
