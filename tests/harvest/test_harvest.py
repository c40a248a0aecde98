"""Harvesting an institute's repository, against a live OAI-PMH server on loopback."""

import datetime

import pytest

from members.enums import HarvestStatus
from members.models import HarvestSource
from publications.enums import PublicationStatus
from publications.models import Publication
from publications.services import publication_approve, publication_return
from tests import factories as f
from tests.harvest.conftest import harvest, record
from tests.workspace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db


def _publications() -> list[Publication]:
    return list(Publication.objects.order_by("oai_identifier"))


def _counts(run) -> tuple:
    return (
        run.status,
        run.records_seen,
        run.records_new,
        run.records_updated,
        run.records_withdrawn,
        run.records_failed,
    )


def test_the_first_harvest_imports_every_record_with_its_fields(cica, oai, source):
    landing = oai.file_url("/items/1")
    oai.files["/items/1"] = ("text/html", b"<html>landing page</html>")
    oai.records = [
        record(
            1,
            title=["Water security in Central Asia"],
            creator=["Abenov, Nurlan", "Aigerim Sadykova", "Institute of World Economy"],
            date=["2024"],
            description=["Transboundary rivers.", "Second paragraph."],
            subject=["water", "Aral Sea"],
            language=["rus"],
            type=["info:eu-repo/semantics/report"],
            identifier=[landing, "https://doi.org/10.1234/WS.2024"],
        ),
        record(2, datestamp="2025-01-11", type=["Policy brief"], language=["en-GB"]),
        record(
            3, datestamp="2025-01-12", date=["2023-07-15T10:00:00Z"], identifier=["doi:10.5555/x"]
        ),
    ]

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 3, 3, 0, 0, 0)
    assert (run.from_datestamp, run.until_datestamp, run.error) == ("", "2025-01-12", "")
    assert run.notes == []
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-01-12"
    assert [r["verb"] for r in oai.list_requests()] == ["ListRecords", "ListRecords"]
    first, second, third = _publications()
    assert {
        "title": first.title,
        "authors": first.authors,
        "published_on": first.published_on,
        "abstract": first.abstract,
        "keywords": first.keywords,
        "language": first.language,
        "kind": first.kind,
        "url": first.url,
        "doi": first.doi,
        "status": first.status,
        "forum": first.forum,
        "institutes": list(first.institutes.all()),
        "harvested_from": first.harvested_from,
        "oai_identifier": first.oai_identifier,
        "submitted_by": first.submitted_by,
        "slug": first.slug,
        "file": first.file.name,
    } == {
        "title": "Water security in Central Asia",
        "authors": "Abenov, Nurlan\nSadykova, Aigerim\nInstitute of World Economy",
        "published_on": datetime.date(2024, 1, 1),
        "abstract": "Transboundary rivers.\n\nSecond paragraph.",
        "keywords": "water; Aral Sea",
        "language": "ru",
        "kind": "analytical_report",
        "url": landing,
        "doi": "10.1234/WS.2024",
        "status": PublicationStatus.SUBMITTED,
        "forum": cica.forum,
        "institutes": [cica.institute],
        "harvested_from": cica.institute,
        "oai_identifier": "oai:repo.example.org:1",
        "submitted_by": None,
        "slug": "water-security-in-central-asia",
        "file": "",
    }
    assert (second.kind, second.language, second.doi, second.url) == ("policy_brief", "en", "", "")
    assert (third.published_on, third.doi, third.language, third.kind) == (
        datetime.date(2023, 7, 15),
        "10.5555/x",
        "other",
        "other",
    )


def test_the_next_harvest_asks_from_the_last_datestamp_and_takes_only_changes(oai, source):
    oai.records = [record(1), record(2, datestamp="2025-01-11"), record(3, datestamp="2025-01-12")]
    harvest(source)
    oai.requests.clear()
    oai.records[1] = record(2, datestamp="2025-02-01", title=["Report 2, revised"])
    oai.records.append(record(4, datestamp="2025-02-02"))

    run = harvest(source)

    assert oai.list_requests()[0]["from"] == "2025-01-12"
    assert run.from_datestamp == "2025-01-12"
    # Record 3 comes again (``from`` is inclusive) and is found unchanged.
    assert _counts(run) == (HarvestStatus.SUCCEEDED, 3, 1, 1, 0, 0)
    assert [p.title for p in _publications()] == [
        "Report 1",
        "Report 2, revised",
        "Report 3",
        "Report 4",
    ]
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-02-02"


def test_a_record_harvested_again_is_the_same_publication(oai, source):
    oai.records = [record(1), record(2)]
    harvest(source)
    HarvestSource.objects.filter(pk=source.pk).update(harvested_until="")

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 2, 0, 0, 0, 0)
    assert Publication.objects.count() == 2


def test_a_doi_already_in_the_catalogue_is_a_duplicate_and_changes_nothing(kca, oai, source):
    other = f.PublicationFactory(forum=kca.forum, title="KCA's own", doi="10.1234/ws.2024")
    oai.records = [record(1, identifier=["https://doi.org/10.1234/WS.2024"]), record(2)]

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 2, 1, 0, 0, 1)
    assert run.notes == [
        {
            "identifier": "oai:repo.example.org:1",
            "reason": "duplicate: DOI 10.1234/WS.2024 is already in the catalogue; not imported",
        }
    ]
    other.refresh_from_db()
    assert (other.title, other.doi, other.harvested_from) == ("KCA's own", "10.1234/ws.2024", None)
    assert [p.oai_identifier for p in Publication.objects.exclude(pk=other.pk)] == [
        "oai:repo.example.org:2"
    ]


def test_a_deleted_record_withdraws_its_publication_unless_it_is_approved(cica, oai, source):
    oai.records = [record(1), record(2), record(3)]
    harvest(source)
    approved = Publication.objects.get(oai_identifier="oai:repo.example.org:2")
    publication_approve(publication=approved, by=cica.staff)
    for n in (1, 2, 3):
        oai.records[n - 1].deleted = True
        oai.records[n - 1].datestamp = "2025-03-01"
    oai.records.append(record(4, datestamp="2025-03-01", identifier=[]))
    oai.records[3].deleted = True  # never harvested: nothing to withdraw

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 4, 0, 0, 2, 0)
    assert [(p.oai_identifier, p.status) for p in _publications()] == [
        ("oai:repo.example.org:1", PublicationStatus.WITHDRAWN),
        ("oai:repo.example.org:2", PublicationStatus.APPROVED),
        ("oai:repo.example.org:3", PublicationStatus.WITHDRAWN),
    ]
    assert run.notes == [
        {
            "identifier": "oai:repo.example.org:2",
            "reason": "deleted in the repository; the publication is approved and stays in "
            "the catalogue until the secretariat returns it",
        }
    ]


def test_changes_to_a_reviewed_publication_are_not_applied_but_noted(cica, oai, source):
    oai.records = [record(1), record(2)]
    harvest(source)
    approved = Publication.objects.get(oai_identifier="oai:repo.example.org:1")
    publication_approve(publication=approved, by=cica.staff)
    returned = Publication.objects.get(oai_identifier="oai:repo.example.org:2")
    publication_return(publication=returned, by=cica.staff, reason="Add the abstract.")
    oai.records = [
        record(1, datestamp="2025-04-01", title=["Report 1, renamed"]),
        record(2, datestamp="2025-04-01", description=["The abstract."]),
    ]

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 2, 0, 1, 0, 1)
    approved.refresh_from_db()
    returned.refresh_from_db()
    assert (approved.title, approved.status) == ("Report 1", PublicationStatus.APPROVED)
    assert (returned.abstract, returned.status, returned.return_reason) == (
        "The abstract.",
        PublicationStatus.SUBMITTED,
        "",
    )
    assert run.notes == [
        {
            "identifier": "oai:repo.example.org:1",
            "reason": "changed in the repository, not applied: the publication is approved "
            "(a publication the secretariat returns takes the next harvest's changes)",
        }
    ]


def test_records_arrive_approved_when_the_secretariat_registered_them_so(oai, source):
    HarvestSource.objects.filter(pk=source.pk).update(arrives_approved=True)
    oai.records = [record(1)]

    harvest(source)

    publication = Publication.objects.get()
    assert (publication.status, publication.reviewed_by) == (PublicationStatus.APPROVED, None)
    assert list(publication.facets.values_list("name", flat=True).order_by("name")) == [
        "country",
        "forum",
        "institute",
        "kind",
        "language",
        "year",
    ]


@pytest.mark.parametrize(
    ("failure", "error_start"),
    [
        ("http500", "The repository answered HTTP 500 at "),
        ("drop", "The connection to the repository failed: "),
    ],
)
def test_a_server_failing_halfway_keeps_page_one_and_the_next_run_takes_the_rest(
    oai, source, failure, error_start
):
    oai.records = [record(n, datestamp=f"2025-01-1{n}") for n in range(1, 6)]
    oai.fail_on_page, oai.failure = 2, failure

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.FAILED, 2, 2, 0, 0, 0)
    assert run.error.startswith(error_start)
    assert run.finished_at is not None
    assert [p.oai_identifier for p in _publications()] == [
        "oai:repo.example.org:1",
        "oai:repo.example.org:2",
    ]
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == ""

    oai.fail_on_page = None
    retry = harvest(source)

    assert retry.from_datestamp == ""
    assert _counts(retry) == (HarvestStatus.SUCCEEDED, 5, 3, 0, 0, 0)
    assert Publication.objects.count() == 5
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-01-15"


def test_an_expired_resumption_token_fails_the_run_and_the_next_restarts(oai, source):
    oai.records = [record(1), record(2), record(3)]
    harvest(source)  # harvested up to 2025-01-10
    oai.records += [record(n, datestamp="2025-02-01") for n in (4, 5, 6)]
    oai.expire_tokens = True

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.FAILED, 2, 0, 0, 0, 0)
    assert run.error == (
        "The repository refused its own resumption token (badResumptionToken: expired or "
        "unknown); what came before it is kept, and the next harvest starts again from the "
        "last complete one."
    )
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-01-10"

    oai.expire_tokens = False
    retry = harvest(source)

    assert retry.from_datestamp == "2025-01-10"
    assert _counts(retry) == (HarvestStatus.SUCCEEDED, 6, 3, 0, 0, 0)
    assert Publication.objects.count() == 6


def test_an_empty_answer_since_the_last_harvest_succeeds_and_keeps_the_datestamp(oai, source):
    oai.records = [record(1)]
    harvest(source)
    oai.records = []

    run = harvest(source)

    assert (run.status, run.records_seen, run.error) == (HarvestStatus.SUCCEEDED, 0, "")
    assert HarvestSource.objects.get(pk=source.pk).harvested_until == "2025-01-10"


def test_a_record_without_title_or_date_fails_with_its_reason(oai, source):
    oai.records = [record(1, title=[]), record(2, date=["someday"]), record(3, date=[])]

    run = harvest(source)

    assert _counts(run) == (HarvestStatus.SUCCEEDED, 3, 0, 0, 0, 3)
    assert run.notes == [
        {"identifier": "oai:repo.example.org:1", "reason": "no dc:title"},
        {"identifier": "oai:repo.example.org:2", "reason": "no usable date in dc:date (someday)"},
        {"identifier": "oai:repo.example.org:3", "reason": "no dc:date"},
    ]


def test_an_institute_no_longer_admitted_is_not_harvested(cica, oai, source):
    from members.models import Membership

    Membership.objects.filter(institute=cica.institute).update(status="suspended")
    oai.records = [record(1)]

    run = harvest(source)

    assert (run.status, run.error) == (
        HarvestStatus.FAILED,
        "The institute is no longer an admitted member of the forum; nothing harvested.",
    )
    assert oai.requests == []
    assert Publication.objects.count() == 0


# --- PDFs --------------------------------------------------------------------------------


def test_a_linked_pdf_is_fetched_checked_and_kept_privately(oai, source, private_media):
    pdf = pdf_bytes("Harvested findings")
    oai.files["/files/report-1.pdf"] = ("application/pdf", pdf)
    oai.records = [record(1, identifier=[oai.file_url("/files/report-1.pdf")])]

    run = harvest(source)

    publication = Publication.objects.get()
    assert (run.records_new, run.notes) == (1, [])
    assert publication.file.name == f"publications/{datetime.date.today().year}/report-1.pdf"
    with publication.file.open("rb") as handle:
        assert handle.read() == pdf
    assert (private_media / publication.file.name).exists()
    assert publication.url == ""


def test_a_link_served_as_pdf_is_taken_as_the_pdf(oai, source, private_media):
    pdf = pdf_bytes("Served as a PDF")
    oai.files["/bitstream/7"] = ("application/pdf", pdf)
    oai.records = [record(1, relation=[oai.file_url("/bitstream/7")])]

    harvest(source)

    with Publication.objects.get().file.open("rb") as handle:
        assert handle.read() == pdf


def test_a_pdf_link_that_is_no_pdf_is_noted_and_the_record_imported(oai, source, private_media):
    oai.files["/files/fake.pdf"] = ("application/pdf", b"<html>Please log in</html>")
    url = oai.file_url("/files/fake.pdf")
    oai.records = [record(1, identifier=[url])]

    run = harvest(source)

    assert (run.records_new, run.records_failed) == (1, 0)
    assert run.notes == [
        {
            "identifier": "oai:repo.example.org:1",
            "reason": f"PDF {url}: This file is not a PDF. Upload it as a PDF document.",
        }
    ]
    assert Publication.objects.get().file.name == ""


def test_an_oversized_pdf_is_refused_with_its_reason(oai, source, settings, private_media):
    settings.PUBLICATION_MAX_UPLOAD_MB = 1
    oai.files["/files/big.pdf"] = ("application/pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    url = oai.file_url("/files/big.pdf")
    oai.records = [record(1, identifier=[url])]

    run = harvest(source)

    assert run.notes == [
        {"identifier": "oai:repo.example.org:1", "reason": f"PDF {url}: larger than 1 MB"}
    ]
    assert Publication.objects.get().file.name == ""


def test_a_missing_pdf_is_noted(oai, source, private_media):
    url = oai.file_url("/files/gone.pdf")
    oai.records = [record(1, identifier=[url])]

    run = harvest(source)

    assert run.notes == [{"identifier": "oai:repo.example.org:1", "reason": f"PDF {url}: HTTP 404"}]


# --- Addresses ---------------------------------------------------------------------------


def test_a_repository_on_a_private_address_is_refused_when_not_allowed(oai, source, settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    oai.records = [record(1)]

    run = harvest(source)

    assert (run.status, run.error) == (
        HarvestStatus.FAILED,
        "Not harvested: 127.0.0.1 resolves to a loopback, private or reserved address "
        "(127.0.0.1): not harvested.",
    )
    assert oai.requests == []
    assert Publication.objects.count() == 0
