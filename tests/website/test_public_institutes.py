"""One rule of a public institute (an admitted member of a forum, or an author of an
approved publication), the same on its page, in the list of institutes and in the
sitemap; the demo data's synthetic institutes are public but not offered to crawlers."""

import pytest

from members.enums import MembershipStatus
from tests import factories as f
from tests.website.test_discovery import _locs

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def _institute(name: str, slug: str, **fields):
    return f.InstituteFactory(name=name, slug=slug, **fields)


def _authored(institute, forum, status: str) -> None:
    publication = f.PublicationFactory(forum=forum, status=status, title=f"By {institute.name}")
    publication.institutes.set([institute])


@pytest.fixture
def institutes(cica):
    member = _institute("Admitted Centre", "admitted-centre")
    f.MembershipFactory(institute=member, forum=cica.forum, status=MembershipStatus.ADMITTED)
    author = _institute("Author Institute", "author-institute")
    _authored(author, cica.forum, "approved")
    candidate = _institute("Candidate Centre", "candidate-centre")
    f.MembershipFactory(
        institute=candidate, forum=cica.forum, status=MembershipStatus.RECOMMENDED, decided_on=None
    )
    drafter = _institute("Drafting Institute", "drafting-institute")
    _authored(drafter, cica.forum, "submitted")
    synthetic = _institute("Synthetic Institute", "synthetic-institute", is_synthetic=True)
    f.MembershipFactory(institute=synthetic, forum=cica.forum, status=MembershipStatus.ADMITTED)


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("admitted-centre", 200),
        ("author-institute", 200),
        ("synthetic-institute", 200),
        ("candidate-centre", 404),
        ("drafting-institute", 404),
    ],
)
def test_an_institute_page_is_public_by_the_one_rule(client, institutes, slug, status):
    assert client.get(f"/institutes/{slug}/").status_code == status


def test_the_list_shows_exactly_the_public_institutes(client, institutes):
    groups = client.get("/institutes/").context["country_groups"]

    names = sorted(i.name for group in groups for i in group.items)
    assert names == [
        "Admitted Centre",
        "Author Institute",
        "CICA Institute",
        "Synthetic Institute",
    ]


def test_the_sitemap_offers_the_public_institutes_but_not_the_synthetic(client, institutes):
    locs = [loc for loc in _locs(client, "/sitemap.xml?section=institutes") if "/ru/" not in loc]

    assert sorted(locs) == [
        f"{HOST}/institutes/admitted-centre/",
        f"{HOST}/institutes/author-institute/",
        f"{HOST}/institutes/cica-institute/",
    ]
