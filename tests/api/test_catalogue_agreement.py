"""The API's publications and the catalogue agree: the same parameters find the same
approved publications (newest first), and refuse the same bad values."""

import datetime

import pytest
from django.http import QueryDict

from publications.selectors import catalogue_search
from tests import factories as f
from tests.api.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(cica, kca):
    kz, kr = cica.institute, kca.institute
    kr.country = "KR"
    kr.save()
    uz = f.InstituteFactory(name="International Institute for Central Asia", country="UZ")
    energy = f.ThemeFactory(name="Energy")
    youth = f.ThemeFactory(name="Youth")
    rows = [
        ("energy-report", "Energy security outlook", cica.forum, "analytical_report", "en",
         datetime.date(2024, 5, 1), [kz], [energy]),
        ("youth-brief", "Youth and the digital economy", cica.forum, "policy_brief", "en",
         datetime.date(2022, 3, 1), [kz, uz], [youth]),
        ("water-report", "Водные ресурсы Центральной Азии", kca.forum, "analytical_report", "ru",
         datetime.date(2023, 11, 20), [kr], [energy]),
        ("statement", "Joint statement on think tank cooperation", kca.forum, "joint_statement",
         "en", datetime.date(2023, 11, 20), [kr, uz], [energy, youth]),
        ("smes", "Handbook on small and medium-sized enterprises", cica.forum, "handbook", "en",
         datetime.date(2021, 1, 10), [uz], []),
    ]  # fmt: skip
    for slug, title, forum, kind, language, day, institutes, themes in rows:
        publish(
            slug=slug,
            title=title,
            forum=forum,
            kind=kind,
            language=language,
            published_on=day,
            institutes=institutes,
            themes=themes,
        )
    publish(slug="not-yet", title="Energy draft", forum=cica.forum, status="submitted")
    return {"cica": cica.forum, "kca": kca.forum, "kz": kz, "uz": uz, "energy": energy}


def _query(params: dict) -> str:
    q = QueryDict(mutable=True)
    for name, value in params.items():
        q.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return q.urlencode()


CASES = {
    "everything": lambda c: {},
    "a word": lambda c: {"q": "energy"},
    "a word's start": lambda c: {"q": "secur"},
    "russian words": lambda c: {"q": "водные ресурсы"},
    "a forum": lambda c: {"forum": c["kca"].pk},
    "two institutes": lambda c: {"institute": [c["kz"].pk, c["uz"].pk]},
    "a country": lambda c: {"country": "UZ"},
    "a kind and a language": lambda c: {"kind": "analytical_report", "language": "en"},
    "a theme and a year": lambda c: {"theme": c["energy"].pk, "year": 2023},
    "a range of years": lambda c: {"year_min": 2022, "year_max": 2023},
}

EXPECTED = {
    # Newest first; of two on one day, the one entered last first.
    "everything": ["energy-report", "statement", "water-report", "youth-brief", "smes"],
    "a word": ["energy-report"],
    "a word's start": ["energy-report"],
    "russian words": ["water-report"],
    "a forum": ["statement", "water-report"],
    "two institutes": ["energy-report", "statement", "youth-brief", "smes"],
    "a country": ["statement", "youth-brief", "smes"],
    "a kind and a language": ["energy-report"],
    "a theme and a year": ["statement", "water-report"],
    "a range of years": ["statement", "water-report", "youth-brief"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_api_finds_what_the_catalogue_finds(api, catalogue, case):
    params = CASES[case](catalogue)

    body = api.get(f"/api/v1/publications/?{_query(params)}").json()
    page = catalogue_search(data=QueryDict(_query({**params, "sort": "newest"}))).page

    api_slugs = [row["slug"] for row in body["results"]]
    assert api_slugs == EXPECTED[case]
    assert api_slugs == [publication.slug for publication in page.object_list]


def _invalid(value) -> list[str]:
    return [f"Select a valid choice. {value} is not one of the available choices."]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"year_min": 2024, "year_max": 2020},
            {"year_max": ["The last year is before the first."]},
        ),
        ({"kind": "novel"}, {"kind": _invalid("novel")}),
        ({"theme": "energy"}, {"theme": _invalid("energy")}),
        ({"year": 1850}, {"year": _invalid(1850)}),
        ({"q": "x" * 201}, {"q": ["Ensure this value has at most 200 characters (it has 201)."]}),
        ({"institute": list(range(21))}, {"institute": ["Choose at most 20 values."]}),
    ],
)
def test_the_api_refuses_what_the_catalogue_refuses_with_its_reasons(
    api, catalogue, params, errors
):
    response = api.get(f"/api/v1/publications/?{_query(params)}")

    assert response.status_code == 400
    assert response.json() == errors
    assert catalogue_search(data=QueryDict(_query(params))).page is None
