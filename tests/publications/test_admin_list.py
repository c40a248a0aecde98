"""The admin's list of publications stays bounded at 100,000 rows (PublicationChangeList):
queries that do not grow with the rows, orders an index serves (the second half read
from the end), a search capped at the newest matches that says so, and filters that
offer their choices without reading the publications."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.admin import PublicationChangeList
from publications.enums import PublicationStatus
from tests import factories as f
from tests.html import page, texts

pytestmark = pytest.mark.django_db

URL = reverse("admin:publications_publication_changelist")


def _titles(response) -> list[str]:
    return [str(p.title) for p in response.context["cl"].result_list]


def _publications(forum, n: int, **fields) -> list:
    day = datetime.date(2020, 1, 1)
    return [
        f.PublicationFactory(
            forum=forum,
            title=f"Report {n - k:03d}",
            published_on=day + datetime.timedelta(days=k % 7),
            status=PublicationStatus.SUBMITTED if k % 3 else PublicationStatus.APPROVED,
            **fields,
        )
        for k in range(n)
    ]


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("who", ["cica", "superuser"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "report"},
        {"o": "1"},
        {"status__exact": "approved", "year": "2020"},
    ],
    ids=["default", "search", "by-title", "filtered"],
)
def test_changelist_queries_do_not_grow_with_rows(
    client, cica, kca, log_in_as, django_assert_num_queries, n, who, params
):
    _publications(cica.forum, n)
    f.ThemeFactory.create_batch(3)
    log_in_as(who)
    client.get(URL, params)  # the session's first read, the same for every n
    # session, user, (staff: their two sets of permissions, the secretariats' forums),
    # forum and theme choices, the years, the count, the page; a search first reads the
    # newest matching ids, once (the count and the page then read only those)
    expected = 7 + 3 * (who == "cica") + ("q" in params)
    with django_assert_num_queries(expected):
        response = client.get(URL, params)
    assert response.status_code == 200
    shown = (n + 2) // 3 if "status__exact" in params else n  # every third is approved
    assert len(response.context["cl"].result_list) == shown


@pytest.mark.parametrize("n", [1, 10])
def test_change_page_queries_do_not_grow_with_links(
    client, cica, log_in_as, django_assert_num_queries, n
):
    publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
    publication.institutes.set([f.InstituteFactory() for _ in range(n)])
    publication.themes.set(f.ThemeFactory.create_batch(n))
    _publications(cica.forum, n)
    log_in_as("cica")
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    client.get(url)
    # the same for 1 or 10 links (the row's scope is asked once per request)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("o", "ordering"),
    [
        ("", ("-published_on", "-id")),
        ("5", ("published_on", "id")),
        ("-5", ("-published_on", "-id")),
        ("1", ("title", "id")),
        ("-1", ("-title", "-id")),
        ("6", ("status", "-published_on", "-id")),
        ("-6", ("-status", "published_on", "id")),
    ],
)
def test_every_page_from_either_end_is_the_list_order(
    client, cica, log_in_as, monkeypatch, o, ordering
):
    """Pages in the second half are read backwards from the end: stitched together they
    are exactly the order, ties broken by id in the column's direction."""
    from publications.admin import PublicationAdmin
    from publications.models import Publication

    monkeypatch.setattr(PublicationAdmin, "list_per_page", 5)
    rows = _publications(cica.forum, 23)
    for row in rows[::4]:  # ties of title as well as of date
        Publication.objects.filter(pk=row.pk).update(title="Same title")
    log_in_as("cica")
    seen = []
    for number in range(1, 6):
        response = client.get(URL, {"p": number, **({"o": o} if o else {})})
        assert response.status_code == 200
        seen += [p.pk for p in response.context["cl"].result_list]
    expected = Publication.objects.order_by(*ordering).values_list("pk", flat=True)
    assert seen == list(expected)


def test_a_common_word_lists_only_the_newest_matches_and_says_so(
    client, cica, log_in_as, monkeypatch
):
    monkeypatch.setattr(PublicationChangeList, "search_limit", 3)
    day = datetime.date(2021, 1, 1)
    water = [
        f.PublicationFactory(
            forum=cica.forum, title=f"Water {n}", published_on=day + datetime.timedelta(days=n)
        )
        for n in range(5)
    ]
    f.PublicationFactory(forum=cica.forum, title="Energy", published_on=day)
    log_in_as("cica")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "water", "o": "1"})

    assert _titles(response) == ["Water 2", "Water 3", "Water 4"]  # the newest 3, by title
    # The matches are walked once: the count, the note and the page read their ids.
    assert sum("to_tsquery" in q["sql"] for q in queries.captured_queries) == 1
    assert texts(page(response), ".search-capped") == [
        "Only the newest 3 of more publications found are listed: add words to narrow the search."
    ]
    # As many as the cap, no more: all of them, and no note.
    water[0].delete()
    water[1].delete()
    response = client.get(URL, {"q": "water"})
    assert _titles(response) == ["Water 4", "Water 3", "Water 2"]
    assert texts(page(response), ".search-capped") == []


def test_search_finds_words_anywhere_and_identifiers_exactly_within_scope(
    client, cica, kca, log_in_as
):
    f.PublicationFactory(forum=cica.forum, title="Glaciers", abstract="Melting water supplies")
    f.PublicationFactory(forum=cica.forum, title="Dams", doi="10.1234/abc.5", isbn="9785000000000")
    f.PublicationFactory(forum=kca.forum, title="Water of KCA", doi="10.1234/kca")
    log_in_as("cica")

    assert _titles(client.get(URL, {"q": "water"})) == ["Glaciers"]
    assert _titles(client.get(URL, {"q": "melt wat"})) == ["Glaciers"]
    assert _titles(client.get(URL, {"q": "10.1234/abc.5"})) == ["Dams"]
    assert _titles(client.get(URL, {"q": "978-5-000-00000-0"})) == ["Dams"]
    assert _titles(client.get(URL, {"q": "10.1234/abc"})) == []
    assert _titles(client.get(URL, {"q": "10.1234/kca"})) == []
    assert _titles(client.get(URL, {"q": "---"})) == []


def test_an_isbn_is_found_however_it_was_stored_or_typed(client, cica, log_in_as):
    f.PublicationFactory(forum=cica.forum, title="Hyphenated", isbn="978-5-00000-000-0")
    f.PublicationFactory(forum=cica.forum, title="Ten digits", isbn="0-306-40615-x")
    log_in_as("cica")

    assert _titles(client.get(URL, {"q": "9785000000000"})) == ["Hyphenated"]
    assert _titles(client.get(URL, {"q": "978 5 000 00000 0"})) == ["Hyphenated"]
    assert _titles(client.get(URL, {"q": "978-5-00000-000-0"})) == ["Hyphenated"]
    assert _titles(client.get(URL, {"q": "030640615X"})) == ["Ten digits"]
    assert _titles(client.get(URL, {"q": "9785000000001"})) == []


def test_the_isbn_search_reads_the_isbn_index(cica):
    from django.db import connection

    from publications.models import Publication
    from publications.search import admin_matches

    f.PublicationFactory(forum=cica.forum, isbn="978-5-00000-000-0")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = admin_matches(Publication.objects.all(), "9785000000000").explain()
        cursor.execute("RESET enable_seqscan")

    assert "publication_isbn_digits" in plan


def test_filters_offer_their_choices_without_other_secretariats_names(client, cica, kca, log_in_as):
    energy = f.ThemeFactory(name="Energy")
    day = datetime.date
    f.PublicationFactory(forum=cica.forum, title="Old", published_on=day(2017, 6, 1))
    new = f.PublicationFactory(forum=cica.forum, title="New", published_on=day(2019, 2, 1))
    new.themes.set([energy])
    f.PublicationFactory(forum=kca.forum, published_on=day(2001, 1, 1))
    log_in_as("cica")

    response = client.get(URL)
    choices = {
        str(spec.title): [c["display"] for c in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["forum"] == ["All", "CICA Think Tank Forum"]
    assert choices["year of publication"] == ["All", "2019", "2018", "2017"]
    assert "Energy" in choices["theme"]
    assert b"KCA" not in response.content

    assert _titles(client.get(URL, {"year": "2019"})) == ["New"]
    assert _titles(client.get(URL, {"themes__id__exact": energy.pk})) == ["New"]
    # Another secretariat's forum is an invalid filter, as a malformed value is.
    for bad in (
        {"year": "abc"},
        {"themes__id__exact": "x"},
        {"forum__id__exact": "1;"},
        {"forum__id__exact": kca.forum.pk},
    ):
        response = client.get(URL, bad)
        assert (response.status_code, response["Location"]) == (302, f"{URL}?e=1")
