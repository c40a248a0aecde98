"""The public catalogue on PostgreSQL: filters, facet counts, full-text search, paging,
and what bad parameters answer."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.enums import PublicationStatus
from publications.models import CatalogueFacet, Publication
from publications.services import catalogue_index
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("publications:catalogue")


def publish(*, institutes=(), themes=(), status=PublicationStatus.APPROVED, **fields):
    publication = f.PublicationFactory(status=status, **fields)
    publication.institutes.set(institutes)
    publication.themes.set(themes)
    catalogue_index(publications=[publication])
    return publication


@pytest.fixture
def world(cica, kca):
    """Two forums, three institutes in three countries, two themes, six publications."""
    kz, kr = cica.institute, kca.institute
    Publication.objects.none()
    kz.country, kr.country = "KZ", "KR"
    kz.save()
    kr.save()
    uz = f.InstituteFactory(name="International Institute for Central Asia", country="UZ")
    energy = f.ThemeFactory(name="Energy")
    youth = f.ThemeFactory(name="Youth")
    p = {
        "energy_report": publish(
            title="Energy security outlook",
            forum=cica.forum,
            kind="analytical_report",
            language="en",
            published_on=datetime.date(2024, 5, 1),
            institutes=[kz],
            themes=[energy],
        ),
        "youth_brief": publish(
            title="Youth and the digital economy",
            forum=cica.forum,
            kind="policy_brief",
            language="en",
            published_on=datetime.date(2022, 3, 1),
            institutes=[kz, uz],
            themes=[youth],
        ),
        "ru_report": publish(
            title="Водные ресурсы Центральной Азии",
            abstract="Доклад о безопасности водных ресурсов и сотрудничестве государств.",
            forum=kca.forum,
            kind="analytical_report",
            language="ru",
            published_on=datetime.date(2023, 11, 20),
            institutes=[kr],
            themes=[energy],
        ),
        "statement": publish(
            title="Joint statement on think tank cooperation",
            forum=kca.forum,
            kind="joint_statement",
            language="en",
            published_on=datetime.date(2023, 11, 20),
            institutes=[kr, uz],
            themes=[energy, youth],
        ),
        "handbook": publish(
            title="Handbook on small and medium-sized enterprises",
            forum=cica.forum,
            kind="handbook",
            language="en",
            published_on=datetime.date(2019, 1, 1),
            institutes=[uz],
        ),
        "submitted": publish(
            title="Energy transition draft",
            forum=cica.forum,
            kind="analytical_report",
            status=PublicationStatus.SUBMITTED,
            institutes=[kz],
            themes=[energy],
        ),
    }
    return {"pubs": p, "kz": kz, "kr": kr, "uz": uz, "energy": energy, "youth": youth}


def titles(response) -> list[str]:
    return [p.title for p in response.context["catalogue"].page.object_list]


def facet_counts(response) -> dict[str, dict[str, int]]:
    return {
        facet.name: {choice.value: choice.count for choice in facet.choices}
        for facet in response.context["catalogue"].facets
    }


def test_unfiltered_catalogue_lists_approved_publications_newest_first(client, world):
    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == [
        "Energy security outlook",
        "Joint statement on think tank cooperation",
        "Водные ресурсы Центральной Азии",
        "Youth and the digital economy",
        "Handbook on small and medium-sized enterprises",
    ]
    assert response.context["catalogue"].total == 5
    assert b"Energy transition draft" not in response.content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind": "analytical_report"},
            {"Energy security outlook", "Водные ресурсы Центральной Азии"},
        ),
        ({"language": "ru"}, {"Водные ресурсы Центральной Азии"}),
        (
            {"country": "UZ"},
            {
                "Youth and the digital economy",
                "Joint statement on think tank cooperation",
                "Handbook on small and medium-sized enterprises",
            },
        ),
        (
            {"year_min": "2023"},
            {
                "Energy security outlook",
                "Водные ресурсы Центральной Азии",
                "Joint statement on think tank cooperation",
            },
        ),
        (
            {"year_max": "2022"},
            {"Youth and the digital economy", "Handbook on small and medium-sized enterprises"},
        ),
        (
            {"year_min": "2022", "year_max": "2023"},
            {
                "Youth and the digital economy",
                "Водные ресурсы Центральной Азии",
                "Joint statement on think tank cooperation",
            },
        ),
    ],
)
def test_each_plain_filter(client, world, params, expected):
    assert set(titles(client.get(URL, params))) == expected


def test_forum_institute_and_theme_filters(client, world, cica, kca):
    by_forum = client.get(URL, {"forum": kca.forum.pk})
    by_institute = client.get(URL, {"institute": world["kz"].pk})
    by_theme = client.get(URL, {"theme": world["youth"].pk})

    assert set(titles(by_forum)) == {
        "Водные ресурсы Центральной Азии",
        "Joint statement on think tank cooperation",
    }
    assert set(titles(by_institute)) == {"Energy security outlook", "Youth and the digital economy"}
    assert set(titles(by_theme)) == {
        "Youth and the digital economy",
        "Joint statement on think tank cooperation",
    }


def test_values_of_one_facet_are_alternatives_and_facets_combine(client, world, cica, kca):
    either_kind = client.get(URL, {"kind": ["handbook", "policy_brief"]})
    combined = client.get(
        URL, {"forum": cica.forum.pk, "theme": world["energy"].pk, "country": "KZ"}
    )

    assert set(titles(either_kind)) == {
        "Handbook on small and medium-sized enterprises",
        "Youth and the digital economy",
    }
    assert titles(combined) == ["Energy security outlook"]


def test_the_year_facet_filters_stays_ticked_and_combines(client, world):
    one_year = client.get(URL, {"year": "2023"})
    two_years = client.get(URL, {"year": ["2022", "2024"]})
    with_kind = client.get(URL, {"year": ["2023", "2024"], "kind": "analytical_report"})

    assert set(titles(one_year)) == {
        "Водные ресурсы Центральной Азии",
        "Joint statement on think tank cooperation",
    }
    assert set(titles(two_years)) == {"Youth and the digital economy", "Energy security outlook"}
    assert set(titles(with_kind)) == {"Energy security outlook", "Водные ресурсы Центральной Азии"}
    ticked = [
        choice.value
        for facet in two_years.context["catalogue"].facets
        if facet.name == "year"
        for choice in facet.choices
        if choice.selected
    ]
    assert ticked == ["2024", "2022"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "analytical_report"},
        {"country": "UZ"},
        {"q": "energy"},
        {"year_min": "2023"},
        {"year": "2022"},
    ],
)
def test_facet_counts_match_the_result_set(client, world, params):
    response = client.get(URL, params)
    shown = Publication.objects.filter(
        pk__in=[p.pk for p in response.context["catalogue"].page.object_list]
    ).prefetch_related("institutes", "themes")

    expected: dict[str, Counter] = {
        name: Counter()
        for name in ("forum", "kind", "language", "year", "institute", "country", "theme")
    }
    for p in shown:
        expected["forum"][str(p.forum_id)] += 1
        expected["kind"][p.kind] += 1
        expected["language"][p.language] += 1
        expected["year"][str(p.published_on.year)] += 1
        for institute in p.institutes.all():
            expected["institute"][str(institute.pk)] += 1
        for country in {i.country.code for i in p.institutes.all()}:
            expected["country"][country] += 1
        for theme in p.themes.all():
            expected["theme"][str(theme.pk)] += 1

    assert facet_counts(response) == {name: dict(c) for name, c in expected.items()}
    assert response.context["catalogue"].total == len(shown)


def test_a_title_match_ranks_above_an_abstract_only_match(client, cica):
    abstract_only = publish(
        title="Regional cooperation review",
        abstract="This review touches on desalination among many other things.",
        forum=cica.forum,
        published_on=datetime.date(2025, 1, 1),
    )
    title_match = publish(
        title="Desalination in the Aral Sea basin",
        forum=cica.forum,
        published_on=datetime.date(2020, 1, 1),
    )

    response = client.get(URL, {"q": "desalination"})

    assert [p.pk for p in response.context["catalogue"].page.object_list] == [
        title_match.pk,
        abstract_only.pk,
    ]
    assert response.context["catalogue"].sort == "relevance"


def test_a_russian_query_finds_a_russian_abstract_in_another_word_form(client, world):
    response = client.get(URL, {"q": "безопасность сотрудничество"})

    assert titles(response) == ["Водные ресурсы Центральной Азии"]


def test_a_word_only_in_the_pdf_text_finds_the_publication(client, cica):
    publication = publish(title="Annual report", forum=cica.forum)
    publication.extracted_text = "Appendix: hydrogeological survey of the Syr Darya."
    publication.save()

    response = client.get(URL, {"q": "hydrogeological"})

    assert titles(response) == ["Annual report"]


def test_the_word_being_typed_matches_as_a_prefix(client, world):
    assert titles(client.get(URL, {"q": "secur outl"})) == ["Energy security outlook"]


def test_sort_by_title_and_by_oldest(client, world):
    assert titles(client.get(URL, {"sort": "title"}))[0] == "Energy security outlook"
    assert titles(client.get(URL, {"sort": "oldest"}))[0] == (
        "Handbook on small and medium-sized enterprises"
    )


def test_unapproved_publications_never_appear(client, world):
    hidden = [
        publish(title=f"Hidden {status}", forum=world["pubs"]["energy_report"].forum, status=status)
        for status in (
            PublicationStatus.SUBMITTED,
            PublicationStatus.WITHDRAWN,
        )
    ]
    returned = f.PublicationFactory(
        title="Hidden returned", status=PublicationStatus.RETURNED, return_reason="Incomplete"
    )
    catalogue_index(publications=[returned])

    listing = client.get(URL, {"q": "hidden"})
    assert listing.context["catalogue"].total == 0
    for p in [*hidden, returned]:
        assert client.get(reverse("publications:detail", args=[p.slug])).status_code == 404
        assert client.get(reverse("publications:download", args=[p.slug])).status_code == 404
    assert not CatalogueFacet.objects.filter(publication__in=[*hidden, returned]).exists()


def test_withdrawing_an_approved_publication_removes_it_from_the_catalogue(client, world):
    publication = world["pubs"]["handbook"]
    publication.status = PublicationStatus.WITHDRAWN
    publication.save()
    catalogue_index(publications=[publication])

    assert "Handbook on small and medium-sized enterprises" not in titles(client.get(URL))


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("per_page", [10, 100])
def test_the_number_of_queries_does_not_depend_on_the_page_size(client, cica, per_page):
    themes = [f.ThemeFactory() for _ in range(3)]
    institutes = [f.InstituteFactory() for _ in range(3)]
    for n in range(120):
        publish(
            title=f"Report {n}",
            forum=cica.forum,
            institutes=institutes[: 1 + n % 3],
            themes=themes[: 1 + n % 3],
        )

    filtered = {"per_page": per_page, "theme": themes[0].pk, "q": "report"}
    # facets, forum / theme / institute names, the page, the page's institutes
    assert _queries(client, {"per_page": per_page}) == 6
    assert _queries(client, filtered) == 6


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"year_min": "abc"}, 400),
        ({"year": "20"}, 400),
        ({"year": "1800"}, 400),
        ({"year": "2023'--"}, 400),
        ({"year_min": "2025", "year_max": "2020"}, 400),
        ({"kind": "pamphlet"}, 400),
        ({"country": "XX"}, 400),
        ({"institute": "abc"}, 400),
        ({"forum": "1;DROP TABLE"}, 400),
        ({"q": "x" * 10_000}, 400),
        ({"page": "99999"}, 404),
        ({"page": "abc"}, 404),
        ({"page": "0"}, 404),
        ({"sort": "nonsense"}, 200),
        ({"per_page": "7"}, 200),
        ({"q": "&|!():*<->"}, 200),
        ({"q": "'; SELECT 1; --"}, 200),
    ],
)
def test_bad_parameters_answer_a_normal_page_or_a_client_error(client, world, params, status):
    response = client.get(URL, params)

    assert response.status_code == status
    if status == 400:
        assert b"could not be used" in response.content


def test_an_empty_search_says_so(client, world):
    response = client.get(URL, {"q": "zzzzqqq"})

    assert response.status_code == 200
    assert b"No publication matches this search." in response.content


def test_an_empty_catalogue_says_so(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    assert b"The catalogue has no publications yet." in response.content


def test_paging_keeps_the_filters(client, cica):
    for n in range(25):
        publish(title=f"Outlook {n:02d}", forum=cica.forum, kind="security_outlook")

    response = client.get(URL, {"kind": "security_outlook", "page": 2})

    assert len(titles(response)) == 5
    assert b'href="?kind=security_outlook&amp;page=1"' in response.content
