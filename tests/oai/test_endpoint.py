"""The OAI-PMH endpoint through Django's test client: every verb, every error, records,
sets, from/until, paging by resumption token, and what never appears. Every answer is
validated against the schemas (tests/oai/conftest.py)."""

import datetime
import time

import pytest
from django.core import signing
from lxml import etree

from publications.enums import Language, PublicationStatus
from publications.models import Publication
from publications.services import publication_approve, publication_return
from tests import factories as f
from tests.oai.conftest import NS, error_of, texts, validated

UTC = datetime.UTC
SITE = "https://forums.example.org"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(publication: Publication, text: str) -> None:
    """Gives a record a known datestamp (the triggers leave a change of this column alone)."""
    Publication.objects.filter(pk=publication.pk).update(public_changed_at=at(text))


def oai_id(publication: Publication) -> str:
    return f"oai:forums.example.org:publication/{publication.pk}"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.PORTAL_NAME = ""
    settings.DEFAULT_FROM_EMAIL = "secretariat@forums.example.org"
    return settings


@pytest.fixture
def catalogue(site, cica, kca):
    """Three records (two approved, one approved then returned) and three publications
    that were never public (submitted, returned, withdrawn)."""
    staff = f.StaffUserFactory(username="reviewer")
    water = f.ThemeFactory(name="Water resources", slug="water")
    outlook = f.PublicationFactory(
        title="Asia Security Outlook 2024",
        subtitle="Energy and water",
        slug="asia-security-outlook-2024",
        authors="Ivanov, Ivan\nKim, Min-jun",
        abstract="Risks to the region's energy and water security.",
        keywords="energy; water, security",
        doi="https://doi.org/10.1234/aso.2024",
        isbn="978-601-000-00-1",
        url="https://kiss.example.kz/aso-2024",
        language=Language.RUSSIAN,
        published_on=datetime.date(2024, 5, 20),
        forum=cica.forum,
        status=PublicationStatus.SUBMITTED,
    )
    outlook.institutes.set([cica.institute])
    outlook.themes.set([water])
    publication_approve(publication=outlook, by=staff)
    takeaways = f.PublicationFactory(
        title="Key takeaways of the Seoul roundtable",
        slug="seoul-takeaways",
        kind="key_takeaways",
        published_on=datetime.date(2023, 11, 20),
        forum=kca.forum,
        status=PublicationStatus.APPROVED,
    )
    takeaways.institutes.set([kca.institute, cica.institute])
    taken_back = f.PublicationFactory(
        title="Withdrawn from the catalogue",
        slug="taken-back",
        forum=cica.forum,
        status=PublicationStatus.APPROVED,
    )
    taken_back.institutes.set([cica.institute])
    publication_return(publication=taken_back, by=staff, reason="Wrong file attached.")
    for status, title in (
        (PublicationStatus.SUBMITTED, "Never approved: submitted"),
        (PublicationStatus.RETURNED, "Never approved: returned"),
        (PublicationStatus.WITHDRAWN, "Never approved: withdrawn"),
    ):
        hidden = f.PublicationFactory(
            title=title, forum=cica.forum, status=status, return_reason="No."
        )
        hidden.institutes.set([cica.institute])
    stamp(outlook, "2025-01-10T08:00:00Z")
    stamp(takeaways, "2025-02-01T00:00:00Z")
    stamp(taken_back, "2025-03-05T12:30:00Z")
    return {"outlook": outlook, "takeaways": takeaways, "taken_back": taken_back}


# --- Identify, ListMetadataFormats, ListSets ------------------------------------------------


def test_identify_names_the_repository_from_the_settings(oai, catalogue):
    root = oai(verb="Identify")
    identify = root.find("o:Identify", NS)
    assert [(child.tag.split("}")[1], child.text) for child in identify] == [
        ("repositoryName", "Think Tank Forums"),
        ("baseURL", "https://forums.example.org/oai/"),
        ("protocolVersion", "2.0"),
        ("adminEmail", "secretariat@forums.example.org"),
        ("earliestDatestamp", "2025-01-10T08:00:00Z"),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ]
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}
    assert root.find("o:request", NS).text == "https://forums.example.org/oai/"


def test_identify_uses_the_portal_name_and_never_the_requests_host(oai, site, client, db):
    site.PORTAL_NAME = "CICA Think Tank Forum Portal"
    site.ALLOWED_HOSTS = ["*"]
    response = client.get("/oai/", {"verb": "Identify"}, HTTP_HOST="evil.example.com")
    assert b"evil.example.com" not in response.content
    root = oai(verb="Identify")
    assert texts(root, "o:Identify/o:repositoryName") == ["CICA Think Tank Forum Portal"]
    assert texts(root, "o:Identify/o:baseURL") == ["https://forums.example.org/oai/"]


@pytest.mark.parametrize(
    ("sender", "server", "expected"),
    [
        ("Secretariat <ttf@cica.example.org>", "root@localhost", "ttf@cica.example.org"),
        ("secretariat@localhost", "errors@forums.example.org", "errors@forums.example.org"),
        ("secretariat@localhost", "root@localhost", "secretariat@localhost.invalid"),
    ],
)
def test_identify_gives_an_admin_email_the_schema_accepts(oai, site, db, sender, server, expected):
    site.DEFAULT_FROM_EMAIL, site.SERVER_EMAIL = sender, server
    assert texts(oai(verb="Identify"), "o:Identify/o:adminEmail") == [expected]


def test_the_endpoint_answers_the_same_without_the_slash_and_by_post(oai, catalogue):
    answers = [
        oai(verb="ListIdentifiers", metadataPrefix="oai_dc", path=path, method=method)
        for path, method in (("/oai/", "get"), ("/oai", "get"), ("/oai/", "post"), ("/oai", "post"))
    ]
    identifiers = [texts(root, ".//o:header/o:identifier") for root in answers]
    assert identifiers == [identifiers[0]] * 4
    assert len(identifiers[0]) == 3


def test_an_unsupported_http_method_is_refused_not_an_error(client):
    assert client.put("/oai/").status_code == 405


def test_list_metadata_formats_offers_oai_dc_and_mods(oai, catalogue):
    expected = [
        ["oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", NS["oai_dc"]],
        ["mods", "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd", NS["mods"]],
    ]
    for arguments in ({}, {"identifier": oai_id(catalogue["taken_back"])}):
        root = oai(verb="ListMetadataFormats", **arguments)
        formats = root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        assert [[child.text for child in element] for element in formats] == expected


def test_list_sets_names_each_forum_and_institute_with_records(oai, catalogue):
    root = oai(verb="ListSets")
    sets = [
        (element.findtext("o:setSpec", namespaces=NS), element.findtext("o:setName", namespaces=NS))
        for element in root.findall("o:ListSets/o:set", NS)
    ]
    assert sets == [
        ("forum", "Forums"),
        ("forum:cica-ttf", "CICA Think Tank Forum"),
        ("forum:kca-ttf", "KCA Think Tank Forum"),
        ("institute", "Institutes"),
        ("institute:cica-institute", "CICA Institute"),
        ("institute:kca-institute", "KCA Institute"),
    ]


def test_an_empty_catalogue_has_no_set_hierarchy(oai, site, cica):
    f.PublicationFactory(forum=cica.forum, status=PublicationStatus.SUBMITTED)
    root = oai(verb="ListSets")
    assert error_of(root)[0] == "noSetHierarchy"


# --- Records -----------------------------------------------------------------------------


def test_list_records_in_oai_dc_shows_exactly_what_is_public(oai, catalogue):
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    records = root.findall("o:ListRecords/o:record", NS)
    outlook, takeaways, taken_back = catalogue.values()
    assert [
        (
            r.findtext("o:header/o:identifier", namespaces=NS),
            r.find("o:header", NS).get("status"),
            r.findtext("o:header/o:datestamp", namespaces=NS),
            texts(r, "o:header/o:setSpec"),
        )
        for r in records
    ] == [
        (
            oai_id(outlook),
            None,
            "2025-01-10T08:00:00Z",
            ["forum:cica-ttf", "institute:cica-institute"],
        ),
        (
            oai_id(takeaways),
            None,
            "2025-02-01T00:00:00Z",
            ["forum:kca-ttf", "institute:cica-institute", "institute:kca-institute"],
        ),
        (
            oai_id(taken_back),
            "deleted",
            "2025-03-05T12:30:00Z",
            ["forum:cica-ttf", "institute:cica-institute"],
        ),
    ]
    assert records[2].find("o:metadata", NS) is None
    dc = records[0].find("o:metadata/oai_dc:dc", NS)
    assert [(child.tag.split("}")[1], child.text) for child in dc] == [
        ("title", "Asia Security Outlook 2024: Energy and water"),
        ("creator", "Ivanov, Ivan"),
        ("creator", "Kim, Min-jun"),
        ("subject", "energy"),
        ("subject", "water"),
        ("subject", "security"),
        ("subject", "Water resources"),
        ("description", "Risks to the region's energy and water security."),
        ("publisher", "CICA Institute"),
        ("date", "2024-05-20"),
        ("type", "Text"),
        ("type", "info:eu-repo/semantics/report"),
        ("identifier", "https://forums.example.org/publications/asia-security-outlook-2024/"),
        ("identifier", "https://doi.org/10.1234/aso.2024"),
        ("identifier", "urn:isbn:978-601-000-00-1"),
        ("language", "ru"),
        ("relation", "https://kiss.example.kz/aso-2024"),
        ("relation", "https://forums.example.org/forums/cica-ttf/"),
    ]
    # No person named: the institutes are the creators.
    assert texts(records[1], "o:metadata/oai_dc:dc/dc:creator") == [
        "CICA Institute",
        "KCA Institute",
    ]
    assert b"Never approved" not in etree.tostring(root)


def test_get_record_in_mods(oai, catalogue):
    outlook = catalogue["outlook"]
    root = oai(verb="GetRecord", identifier=oai_id(outlook), metadataPrefix="mods")
    mods = root.find("o:GetRecord/o:record/o:metadata/mods:mods", NS)
    assert mods.get("version") == "3.7"
    assert texts(mods, "mods:titleInfo/mods:title") == ["Asia Security Outlook 2024"]
    assert texts(mods, "mods:titleInfo/mods:subTitle") == ["Energy and water"]
    assert [
        (name.get("type"), texts(name, "mods:namePart"), texts(name, "mods:role/mods:roleTerm"))
        for name in mods.findall("mods:name", NS)
    ] == [
        ("personal", ["Ivanov", "Ivan"], ["aut", "author"]),
        ("personal", ["Kim", "Min-jun"], ["aut", "author"]),
        ("corporate", ["CICA Institute"], ["pbl", "publisher"]),
    ]
    assert texts(mods, "mods:genre") == ["Analytical report"]
    assert texts(mods, "mods:originInfo/mods:dateIssued") == ["2024-05-20"]
    assert texts(mods, "mods:language/mods:languageTerm") == ["ru"]
    assert [(i.get("type"), i.text) for i in mods.findall("mods:identifier", NS)] == [
        ("doi", "10.1234/aso.2024"),
        ("isbn", "978-601-000-00-1"),
        ("uri", "https://forums.example.org/publications/asia-security-outlook-2024/"),
    ]
    assert texts(mods, "mods:relatedItem[@type='host']/mods:titleInfo/mods:title") == [
        "CICA Think Tank Forum"
    ]
    assert texts(mods, "mods:subject/mods:topic") == [
        "energy",
        "water",
        "security",
        "Water resources",
    ]
    assert texts(mods, "mods:recordInfo/mods:recordIdentifier") == [oai_id(outlook)]


def test_get_record_of_a_deleted_record_is_its_header_only(oai, catalogue):
    taken_back = catalogue["taken_back"]
    for prefix in ("oai_dc", "mods"):
        root = oai(verb="GetRecord", identifier=oai_id(taken_back), metadataPrefix=prefix)
        record = root.find("o:GetRecord/o:record", NS)
        assert record.find("o:header", NS).get("status") == "deleted"
        assert record.find("o:metadata", NS) is None


def test_list_identifiers_lists_headers_and_deleted_ones(oai, catalogue):
    root = oai(verb="ListIdentifiers", metadataPrefix="mods")
    headers = root.findall("o:ListIdentifiers/o:header", NS)
    assert [(h.findtext("o:identifier", namespaces=NS), h.get("status")) for h in headers] == [
        (oai_id(catalogue["outlook"]), None),
        (oai_id(catalogue["takeaways"]), None),
        (oai_id(catalogue["taken_back"]), "deleted"),
    ]


@pytest.mark.parametrize(
    ("set_spec", "expected"),
    [
        ("forum", ["outlook", "takeaways", "taken_back"]),
        ("forum:cica-ttf", ["outlook", "taken_back"]),
        ("forum:kca-ttf", ["takeaways"]),
        ("institute", ["outlook", "takeaways", "taken_back"]),
        ("institute:cica-institute", ["outlook", "takeaways", "taken_back"]),
        ("institute:kca-institute", ["takeaways"]),
    ],
)
def test_a_set_holds_its_forums_or_institutes_records(oai, catalogue, set_spec, expected):
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec)
    assert texts(root, ".//o:header/o:identifier") == [oai_id(catalogue[k]) for k in expected]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"from_": "2025-01-15"}, ["takeaways", "taken_back"]),
        ({"until": "2025-01-31"}, ["outlook"]),
        ({"from_": "2025-02-01", "until": "2025-02-01"}, ["takeaways"]),
        ({"from_": "2025-02-01T00:00:00Z", "until": "2025-02-01T00:00:00Z"}, ["takeaways"]),
        (
            {"from_": "2025-01-10T08:00:01Z", "until": "2025-03-05T12:30:00Z"},
            ["takeaways", "taken_back"],
        ),
        ({"until": "2025-01-10T08:00:00Z"}, ["outlook"]),
    ],
)
def test_from_and_until_bound_the_datestamps_inclusively(oai, catalogue, window, expected):
    root = oai(verb="ListRecords", metadataPrefix="oai_dc", **window)
    assert texts(root, ".//o:header/o:identifier") == [oai_id(catalogue[k]) for k in expected]


# --- Errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "mods"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-02-30"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-01-01T00:00:00"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-01-01",
                "until": "2025-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-02-02",
                "until": "2025-02-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai dc"}, "cannotDisseminateFormat"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "forum:nowhere"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:water"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:forums.example.org:publication/999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:elsewhere.org:publication/1",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:forums.example.org:publication/99999999999999999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "publication/1"}, "idDoesNotExist"),
        ({"verb": "Identify", "junk": "\x01\x02"}, "badArgument"),
        ({"verb": "ListMetadataFormats", "identifier": "%zz[]{}<>"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "forum:"}, "noRecordsMatch"),
    ],
)
def test_every_bad_request_gets_the_protocols_error(oai, catalogue, client, params, code):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    root = validated(response.content)
    assert error_of(root)[0] == code
    assert len(root) == 3  # responseDate, request, error: nothing else
    if code in ("badVerb", "badArgument"):
        assert root.find("o:request", NS).attrib == {}


def test_get_record_of_a_publication_never_approved_is_not_found(oai, catalogue):
    for publication in Publication.objects.filter(title__startswith="Never approved"):
        for verb_arguments in (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
            {"verb": "ListMetadataFormats"},
        ):
            root = oai(identifier=oai_id(publication), **verb_arguments)
            assert error_of(root)[0] == "idDoesNotExist"


def test_an_error_repeats_the_arguments_that_fit_the_schema(oai, catalogue):
    root = oai(verb="ListRecords", metadataPrefix="marc21", set="forum:cica-ttf")
    assert root.find("o:request", NS).attrib == {
        "verb": "ListRecords",
        "metadataPrefix": "marc21",
        "set": "forum:cica-ttf",
    }
    assert error_of(root) == (
        "cannotDisseminateFormat",
        "The metadata format marc21 is not offered here.",
    )


# --- Paging ------------------------------------------------------------------------------


def _harvest(oai, **arguments):
    """Every page of a list, following its tokens: (identifiers, token element) per page."""
    pages = []
    root = oai(**arguments)
    while True:
        token = root.find(".//o:resumptionToken", NS)
        pages.append((texts(root, ".//o:header/o:identifier"), token))
        if token is None or not token.text:
            return pages
        root = oai(verb=arguments["verb"], resumptionToken=token.text)


def test_a_long_list_comes_in_pages_with_resumption_tokens(oai, site, cica):
    site.OAI_PAGE_SIZE = 2
    made = []
    for n in range(5):
        publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
        publication.institutes.set([cica.institute])
        stamp(publication, "2025-04-01T00:00:00Z" if n < 3 else f"2025-04-0{n}T00:00:00Z")
        made.append(oai_id(publication))
    pages = _harvest(oai, verb="ListRecords", metadataPrefix="oai_dc")
    assert [ids for ids, _ in pages] == [made[0:2], made[2:4], made[4:5]]
    assert [(token.get("cursor"), bool(token.text)) for _, token in pages] == [
        ("0", True),
        ("2", True),
        ("4", False),
    ]
    first_token = pages[0][1]
    expires = at(first_token.get("expirationDate"))
    assert (
        datetime.timedelta(hours=23, minutes=59)
        < expires - datetime.datetime.now(UTC)
        <= datetime.timedelta(hours=24)
    )
    identifiers = _harvest(oai, verb="ListIdentifiers", metadataPrefix="mods", set="forum:cica-ttf")
    assert [ids for ids, _ in identifiers] == [made[0:2], made[2:4], made[4:5]]


def test_a_record_changed_during_a_harvest_comes_again_at_its_end(oai, site, cica):
    site.OAI_PAGE_SIZE = 2
    made = []
    for n in range(4):
        publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
        stamp(publication, f"2025-04-0{n + 1}T00:00:00Z")
        made.append(publication)
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(".//o:resumptionToken", NS).text
    made[0].title = "Asia Security Outlook, second edition"
    made[0].save()
    rest = oai(verb="ListIdentifiers", resumptionToken=token)
    assert texts(rest, ".//o:header/o:identifier") == [oai_id(made[2]), oai_id(made[3])]
    assert rest.find(".//o:resumptionToken", NS).text
    last = oai(verb="ListIdentifiers", resumptionToken=rest.find(".//o:resumptionToken", NS).text)
    assert texts(last, ".//o:header/o:identifier") == [oai_id(made[0])]


def _first_token(oai, site, cica, verb="ListRecords"):
    site.OAI_PAGE_SIZE = 1
    for day in (1, 2):
        publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
        stamp(publication, f"2025-04-0{day}T00:00:00Z")
    return oai(verb=verb, metadataPrefix="oai_dc").find(".//o:resumptionToken", NS).text


def test_a_changed_token_is_refused(oai, site, cica):
    token = _first_token(oai, site, cica)
    payload = signing.loads(token, salt="oai.resumption-token")
    forged = signing.dumps(
        {**payload, "i": 0}, salt="oai.resumption-token", key="another-key" * 5, compress=True
    )
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    # Ours, but not a token's payload (as one of another release might be).
    strange = signing.dumps({"v": "ListRecords", "t": "yesterday"}, salt="oai.resumption-token")
    for bad in (forged, tampered, token + "x", token[: len(token) // 2], strange):
        root = oai(verb="ListRecords", resumptionToken=bad)
        assert error_of(root)[0] == "badResumptionToken"


def test_an_expired_token_is_refused(oai, site, cica, monkeypatch):
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 24 * 3600 - 5)
    token = _first_token(oai, site, cica)
    monkeypatch.setattr(signing.time, "time", lambda: now)
    root = oai(verb="ListRecords", resumptionToken=token)
    assert error_of(root) == (
        "badResumptionToken",
        "The resumption token is invalid or has expired; start the list again.",
    )


def test_a_token_of_one_verb_is_refused_by_another(oai, site, cica):
    token = _first_token(oai, site, cica, verb="ListIdentifiers")
    assert error_of(oai(verb="ListRecords", resumptionToken=token))[0] == "badResumptionToken"
    assert oai(verb="ListIdentifiers", resumptionToken=token).find(".//o:header", NS) is not None


# --- Cost --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 30])
def test_a_page_of_records_costs_the_same_queries_for_one_or_many(
    oai, site, cica, kca, n, django_assert_num_queries
):
    themes = [f.ThemeFactory(), f.ThemeFactory()]
    for _ in range(n):
        publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
        publication.institutes.set([cica.institute, kca.institute])
        publication.themes.set(themes)
    # The records with their forum, then their institutes, then their themes.
    with django_assert_num_queries(3):
        root = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall(".//o:record", NS)) == n
    with django_assert_num_queries(2):
        root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="institute:kca-institute")
    assert len(root.findall(".//o:header", NS)) == n


def test_a_deep_page_costs_the_same_queries_as_the_first(
    oai, site, cica, django_assert_num_queries
):
    site.OAI_PAGE_SIZE = 2
    for _ in range(12):
        publication = f.PublicationFactory(forum=cica.forum, status=PublicationStatus.APPROVED)
        publication.institutes.set([cica.institute])
    with django_assert_num_queries(3):
        root = oai(verb="ListRecords", metadataPrefix="mods", set="forum:cica-ttf")
    for _ in range(4):
        token = root.find(".//o:resumptionToken", NS).text
        with django_assert_num_queries(3):
            root = oai(verb="ListRecords", resumptionToken=token)
    assert root.find(".//o:resumptionToken", NS).get("cursor") == "8"


def test_a_list_whose_remaining_records_were_deleted_since_ends_without_records(oai, site, cica):
    token = _first_token(oai, site, cica)
    Publication.objects.order_by("public_changed_at").last().delete()
    assert error_of(oai(verb="ListRecords", resumptionToken=token))[0] == "noRecordsMatch"
