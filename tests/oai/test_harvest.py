"""A harvester's view: oaipmh-scythe (a maintained OAI-PMH client, the fork of sickle)
harvests the live test server over HTTP, page after page by resumption token, as BASE or
CORE would; every answer it gets is validated against the schemas."""

import datetime

import pytest
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import BadResumptionToken, CannotDisseminateFormat, IdDoesNotExist

from publications.enums import PublicationStatus
from publications.models import Publication
from tests import factories as f
from tests.oai.conftest import validated

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def stamp(publication: Publication, text: str) -> None:
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    Publication.objects.filter(pk=publication.pk).update(public_changed_at=moment)


@pytest.fixture
def harvester(live_server, settings):
    """A Scythe on the live server; ``harvester.answers`` counts the validated answers."""
    settings.SITE_URL = live_server.url
    settings.OAI_PAGE_SIZE = 3
    scythe = Scythe(f"{live_server.url}/oai")
    scythe.answers = 0

    def validate(response):
        response.read()
        assert response.status_code == 200
        validated(response.content)
        scythe.answers += 1

    scythe.client.event_hooks["response"].append(validate)
    yield scythe
    scythe.close()


@pytest.fixture
def harvestable(cica, kca):
    """Seven records in two forums (one deleted) a day apart, and one never approved."""
    made = {}
    for day in range(1, 8):
        forum, institute = (cica.forum, cica.institute) if day % 2 else (kca.forum, kca.institute)
        publication = f.PublicationFactory(
            title=f"Outlook part {day}",
            authors=f"Author, Number {day}",
            forum=forum,
            status=PublicationStatus.APPROVED,
        )
        publication.institutes.set([institute])
        made[day] = publication
    Publication.objects.filter(pk=made[4].pk).update(
        status=PublicationStatus.RETURNED, return_reason="Taken back."
    )
    for day, publication in made.items():
        stamp(publication, f"2025-05-0{day}T10:00:00Z")
    hidden = f.PublicationFactory(title="Never approved", forum=cica.forum)
    hidden.institutes.set([cica.institute])
    return made


def host(live_server) -> str:
    return live_server.url.split("//")[1].split(":")[0]


def test_a_harvester_takes_every_record_page_by_page(harvester, harvestable, live_server):
    records = list(harvester.list_records(metadata_prefix="oai_dc"))
    assert [
        (
            r.header.identifier,
            r.header.datestamp,
            r.deleted,
            getattr(r, "metadata", {}).get("title"),
        )
        for r in records
    ] == [
        (
            f"oai:{host(live_server)}:publication/{p.pk}",
            f"2025-05-0{day}T10:00:00Z",
            day == 4,
            None if day == 4 else [f"Outlook part {day}"],
        )
        for day, p in harvestable.items()
    ]
    assert records[0].metadata["creator"] == ["Author, Number 1"]
    assert harvester.answers == 3  # pages of 3, 3 and 1


def test_a_harvester_takes_mods_and_skips_deleted_records_when_asked(harvester, harvestable):
    records = list(harvester.list_records(metadata_prefix="mods", ignore_deleted=True))
    # Scythe flattens MODS: the record's title, then its forum's (the host item's).
    assert [r.metadata["title"][0] for r in records] == [
        f"Outlook part {day}" for day in (1, 2, 3, 5, 6, 7)
    ]


def test_a_harvester_takes_one_set_within_dates(harvester, harvestable, live_server):
    headers = list(
        harvester.list_identifiers(
            metadata_prefix="oai_dc", set_="forum:cica-ttf", from_="2025-05-02", until="2025-05-06"
        )
    )
    assert [(h.identifier, h.setSpecs) for h in headers] == [
        (
            f"oai:{host(live_server)}:publication/{harvestable[day].pk}",
            ["forum:cica-ttf", "institute:cica-institute"],
        )
        for day in (3, 5)
    ]
    institute = list(
        harvester.list_identifiers(metadata_prefix="oai_dc", set_="institute:kca-institute")
    )
    assert [(h.identifier.rsplit("/", 1)[1], h.deleted) for h in institute] == [
        (str(harvestable[day].pk), day == 4) for day in (2, 4, 6)
    ]


def test_a_harvester_reads_identify_sets_formats_and_one_record(
    harvester, harvestable, live_server
):
    identify = harvester.identify()
    assert (identify.repositoryName, identify.baseURL, identify.earliestDatestamp) == (
        "Think Tank Forums",
        f"{live_server.url}/oai/",
        "2025-05-01T10:00:00Z",
    )
    assert [s.setSpec for s in harvester.list_sets()] == [
        "forum",
        "forum:cica-ttf",
        "forum:kca-ttf",
        "institute",
        "institute:cica-institute",
        "institute:kca-institute",
    ]
    assert [m.metadataPrefix for m in harvester.list_metadata_formats()] == ["oai_dc", "mods"]
    record = harvester.get_record(
        identifier=f"oai:{host(live_server)}:publication/{harvestable[7].pk}",
        metadata_prefix="mods",
    )
    assert record.metadata["title"] == ["Outlook part 7", "CICA Think Tank Forum"]
    assert harvester.answers == 4


def test_a_harvester_gets_the_protocols_errors(harvester, harvestable, live_server):
    never = Publication.objects.get(title="Never approved")
    with pytest.raises(IdDoesNotExist):
        harvester.get_record(identifier=f"oai:{host(live_server)}:publication/{never.pk}")
    with pytest.raises(CannotDisseminateFormat):
        list(harvester.list_records(metadata_prefix="marc21"))
    with pytest.raises(BadResumptionToken):
        list(harvester.list_records(resumption_token="forged"))
    assert harvester.answers == 3
