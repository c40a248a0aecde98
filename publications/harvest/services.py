"""Harvesting an institute's repository into the catalogue
(docs/adr/0024-harvesting-institutes-repositories.md).

One run reads the repository's oai_dc records changed since the institute's last
fully harvested datestamp (oaipmh-scythe, through ``network.checked_client``) and, record
by record, each in its own transaction, creates, updates or withdraws the institute's
harvested publications through the catalogue's services. What happened is the run's row
(``members.harvesting``): counts, a note per record that failed or came without its PDF,
and the error that stopped the run, if one did.

The rules, in one place:

- A record is found again by its OAI identifier (unique per institute). A record whose
  DOI another publication already has is not imported (a duplicate, noted).
- A re-harvested record changes its publication only while that publication is submitted
  or returned (a returned one is thereby submitted again, as a member's edit would);
  the changes of a record whose publication is approved or withdrawn are not applied,
  and the record is counted as failed with the reason, so staff see it.
- A deleted record withdraws its publication unless approved; an approved one stays in
  the catalogue, with a note.
- A PDF is fetched for a new publication, or one still without a file, and checked as a
  member's upload is; a PDF that fails is a note, the record is imported all the same.
- A run that stops halfway (an HTTP error, a dropped connection, an expired resumption
  token) keeps what it imported and fails; the institute's datestamp moves only when a
  run succeeds, so the next run asks for everything again and finds it unchanged.
"""

import datetime
import logging

import httpx2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.exceptions import BadResumptionToken, NoRecordsMatch, OAIPMHException
from oaipmh_scythe.models import Record

from members.harvesting import (
    HarvestCounts,
    harvest_run_claim,
    harvest_run_finish,
    harvest_run_progress,
)
from members.models import HarvestRun, HarvestSource, Institute
from members.rules import is_admitted_member
from publications.enums import PublicationStatus
from publications.harvest.mapping import MappedRecord, RecordRefused, record_fields
from publications.harvest.network import (
    AddressRefused,
    ResponseTooLarge,
    checked_client,
    fetch,
)
from publications.models import Publication
from publications.services import (
    publication_harvest_create,
    publication_update,
    publication_withdraw,
)
from publications.validators import read_pdf_upload

logger = logging.getLogger(__name__)

# The run's row is brought up to date every this many records.
PROGRESS_EVERY = 25
# The fields a harvest writes (and compares, to tell an unchanged record).
HARVESTED_FIELDS = (
    "title",
    "authors",
    "published_on",
    "abstract",
    "keywords",
    "language",
    "kind",
    "url",
    "doi",
)


class _CheckedScythe(Scythe):
    """oaipmh-scythe on the harvester's checked HTTP client (``network``)."""

    @property
    def client(self) -> httpx2.Client:
        if self._client is None or self._client.is_closed:
            # An HTTP error is raised as such before the body is read: oaipmh-scythe parses
            # the body first, and an error page that is not XML would fail that parse.
            self._client = checked_client(
                event_hooks={"response": [httpx2.Response.raise_for_status]}
            )
        return self._client


class HarvestStopped(Exception):
    """A reason, for staff, why a run could not go on."""


def harvest_run_execute(*, run_id: int) -> HarvestRun | None:
    """Runs the queued harvest ``run_id`` to its end (succeeded or failed, with the error
    and the counts); None if the run is not queued (a second delivery of its task)."""
    run = harvest_run_claim(run_id=run_id)
    if run is None:
        return None
    counts = HarvestCounts()
    error = ""
    try:
        _harvest(run=run, counts=counts)
    except NoRecordsMatch:
        pass  # nothing changed since the last harvest
    except HarvestStopped as exc:
        error = str(exc)
    except BadResumptionToken as exc:
        error = _(
            "The repository refused its own resumption token (badResumptionToken: "
            "%(detail)s); what came before it is kept, and the next harvest starts again "
            "from the last complete one."
        ) % {"detail": str(exc) or "-"}
    except OAIPMHException as exc:
        error = _("The repository answered with an OAI-PMH error: %(code)s %(detail)s") % {
            "code": type(exc).__name__,
            "detail": str(exc),
        }
    except httpx2.HTTPStatusError as exc:
        error = _("The repository answered HTTP %(status)d at %(url)s.") % {
            "status": exc.response.status_code,
            "url": str(exc.request.url)[:300],
        }
    except AddressRefused as exc:
        error = _("Not harvested: %(reason)s.") % {"reason": exc}
    except httpx2.HTTPError as exc:
        error = _("The connection to the repository failed: %(reason)s") % {
            "reason": str(exc) or type(exc).__name__
        }
    except (SyntaxError, ValueError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        error = _("The repository's answer could not be read: %(reason)s") % {"reason": exc}
    except Exception as exc:  # the run's row must end whatever went wrong
        logger.exception("harvest run %s failed", run.pk)
        error = _("The harvest stopped on an unexpected error (%(kind)s).") % {
            "kind": type(exc).__name__
        }
    return harvest_run_finish(run=run, counts=counts, error=error[:2000])


def _harvest(*, run: HarvestRun, counts: HarvestCounts) -> None:
    institute = Institute.objects.get(pk=run.institute_id)
    if not is_admitted_member(institute, run.forum_id):
        raise HarvestStopped(
            _("The institute is no longer an admitted member of the forum; nothing harvested.")
        )
    source = HarvestSource.objects.filter(institute=institute).first()
    approve = bool(source and source.arrives_approved)
    http = HTTPConfig(timeout=settings.HARVEST_TIMEOUT_SECONDS)
    with _CheckedScythe(run.base_url, http_config=http) as scythe:
        records = scythe.list_records(
            from_=run.from_datestamp or None,
            set_=run.set_spec or None,
            metadata_prefix="oai_dc",
        )
        for item in records:
            assert isinstance(item, Record)  # ListRecords yields records
            counts.seen += 1
            harvest_record(
                record=item, run=run, institute=institute, approve=approve, counts=counts
            )
            if counts.seen % PROGRESS_EVERY == 0:
                harvest_run_progress(run=run, counts=counts)


def _datestamp_key(value: str) -> datetime.datetime | None:
    try:
        if len(value) == 10:
            return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _newest(counts: HarvestCounts, datestamp: str) -> None:
    key = _datestamp_key(datestamp)
    if key is None:
        return
    current = _datestamp_key(counts.newest_datestamp) if counts.newest_datestamp else None
    if current is None or key > current:
        counts.newest_datestamp = datestamp


def harvest_record(
    *,
    record: Record,
    run: HarvestRun,
    institute: Institute,
    approve: bool,
    counts: HarvestCounts,
) -> None:
    """One record of the repository into the catalogue, in its own transaction; counted
    in ``counts`` (its failure with a reason in the notes)."""
    identifier = (record.header.identifier or "").strip()
    _newest(counts, (record.header.datestamp or "").strip())
    if not identifier or len(identifier) > 255:
        counts.failed += 1
        counts.note(identifier[:80] or "-", _("no usable OAI identifier"))
        return
    existing = Publication.objects.filter(
        harvested_from=institute, oai_identifier=identifier
    ).first()
    try:
        if record.deleted:
            _deleted(existing, identifier=identifier, counts=counts)
            return
        mapped = record_fields(record.metadata)
        doi = str(mapped.fields["doi"])
        others = Publication.objects.filter(doi__iexact=doi)
        if existing is not None:
            others = others.exclude(pk=existing.pk)
        if doi and others.exists():
            raise RecordRefused(
                _("duplicate: DOI %(doi)s is already in the catalogue; not imported") % {"doi": doi}
            )
        if existing is None:
            pdf = _pdf(mapped, identifier=identifier, counts=counts)
            with transaction.atomic():
                publication_harvest_create(
                    institute=institute,
                    forum=run.forum,
                    data=mapped.fields,
                    oai_identifier=identifier,
                    pdf=pdf,
                    approve=approve,
                )
            counts.new += 1
        else:
            _update(existing, mapped, institute=institute, identifier=identifier, counts=counts)
    except RecordRefused as exc:
        counts.failed += 1
        counts.note(identifier, str(exc))
    except ValidationError as exc:
        counts.failed += 1
        counts.note(identifier, "; ".join(exc.messages))
    except DatabaseError as exc:
        counts.failed += 1
        counts.note(identifier, _("not saved: %(reason)s") % {"reason": type(exc).__name__})


def _differs(publication: Publication, fields: dict[str, object]) -> bool:
    return any(getattr(publication, name) != fields[name] for name in HARVESTED_FIELDS)


def _update(
    publication: Publication,
    mapped: MappedRecord,
    *,
    institute: Institute,
    identifier: str,
    counts: HarvestCounts,
) -> None:
    changed = _differs(publication, mapped.fields)
    if publication.status in (PublicationStatus.APPROVED, PublicationStatus.WITHDRAWN):
        if changed:
            counts.failed += 1
            counts.note(
                identifier,
                _(
                    "changed in the repository, not applied: the publication is %(status)s "
                    "(a publication the secretariat returns takes the next harvest's changes)"
                )
                % {"status": publication.get_status_display().lower()},
            )
        return
    pdf = None if publication.file else _pdf(mapped, identifier=identifier, counts=counts)
    if not changed and pdf is None:
        return
    with transaction.atomic():
        publication_update(
            publication=publication, institute=institute, data=mapped.fields, pdf=pdf, by=None
        )
    counts.updated += 1


def _deleted(publication: Publication | None, *, identifier: str, counts: HarvestCounts) -> None:
    if publication is None or publication.status == PublicationStatus.WITHDRAWN:
        return
    if publication.status == PublicationStatus.APPROVED:
        counts.note(
            identifier,
            _(
                "deleted in the repository; the publication is approved and stays in the "
                "catalogue until the secretariat returns it"
            ),
        )
        return
    with transaction.atomic():
        publication_withdraw(publication=publication, by=None)
    counts.withdrawn += 1


def _pdf(mapped: MappedRecord, *, identifier: str, counts: HarvestCounts) -> bytes | None:
    """The record's PDF, checked as a member's upload is: its first link ending in .pdf,
    else the first other link served as application/pdf (links that answer otherwise, or
    not at all, are passed over). A PDF that cannot be fetched or fails the checks is a
    note; None then, and when the record links none."""
    limit_mb = settings.PUBLICATION_MAX_UPLOAD_MB
    candidates: list[tuple[str, tuple[str, ...]]] = [(url, ()) for url in mapped.pdf_urls[:1]]
    candidates += [(url, ("application/pdf",)) for url in mapped.probe_urls]
    for url, only_types in candidates:
        try:
            fetched = fetch(
                url,
                max_bytes=limit_mb * 1024 * 1024,
                accept="application/pdf" if only_types else "*/*",
                only_types=only_types,
            )
        except ResponseTooLarge:
            reason = _("larger than %(limit)d MB") % {"limit": limit_mb}
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
            if only_types:
                continue  # a link that might have been the PDF and is not reachable
            reason = _fetch_failure(exc)
        else:
            if fetched is None:
                continue  # a landing page, not a PDF
            try:
                return read_pdf_upload(ContentFile(fetched[0], name="harvested.pdf"))
            except ValidationError as exc:
                reason = " ".join(exc.messages)
        counts.note(identifier, _("PDF %(url)s: %(reason)s") % {"url": url[:200], "reason": reason})
        return None
    return None


def _fetch_failure(exc: Exception) -> str:
    if isinstance(exc, AddressRefused):
        return _("refused: %(reason)s") % {"reason": exc}
    if isinstance(exc, httpx2.HTTPStatusError):
        return _("HTTP %(status)d") % {"status": exc.response.status_code}
    return _("could not be fetched (%(reason)s)") % {"reason": str(exc) or type(exc).__name__}
