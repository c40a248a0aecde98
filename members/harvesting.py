"""Services of harvest sources and harvest runs: an institute's repository registered,
runs queued, claimed, counted and finished. The harvest itself (reading the repository,
writing publications) is ``publications.harvest``, which calls these for the run's row.

A run is a job row (queued → running → succeeded / failed); these functions are its only
writers. At most one run of an institute is queued or running (a partial unique
constraint); a run is handed to a worker by name after commit (``core.jobs``).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import enqueue_on_commit
from members.enums import HarvestStatus
from members.models import ACTIVE_HARVEST_STATUSES, HarvestRun, HarvestSource, Institute
from members.rules import admitted_member_check
from members.services import _verbose_name, member_change_record

HARVEST_TASK = "publications.harvest_run"
# The per-record notes a run keeps (the counts hold every record).
HARVEST_NOTES_KEPT = 200
# A queued run whose task was lost (the broker restarted empty) is handed out again
# after this long.
QUEUED_GRACE = datetime.timedelta(minutes=10)

# What members may change of their repository's registration; "publish without review"
# is the secretariat's decision alone.
MEMBER_SOURCE_FIELDS = ("base_url", "set_spec", "forum", "is_active")


class HarvestNotStarted(ValidationError):
    """A harvest that cannot start now: the repository is switched off, or a run of the
    institute is already queued or running."""


def harvest_source_save(*, source: HarvestSource, by: User | None) -> HarvestSource:
    """Saves a repository registration as the secretariat edits it: validated (an
    http(s) address, a set spec as OAI-PMH writes it) and its forum one the institute is an
    admitted member of (ValidationError on ``forum`` otherwise)."""
    with transaction.atomic():
        admitted_member_check(source.institute, source.forum, field="forum")
        if source.pk is None:
            source.created_by = by
        source.updated_by = by
        source.full_clean()
        source.save()
    return source


def harvest_source_member_update(
    *, institute: Institute, data: dict[str, Any], by: User
) -> HarvestSource:
    """A member's registration of their institute's repository (new, or changed): the
    fields of ``MEMBER_SOURCE_FIELDS`` only, the forum one the institute is an admitted
    member of. A new registration waits for review as any submission (``arrives_approved``
    stays the secretariat's). The secretariats are told what changed as for any profile
    change (``member_change_record``); nothing is written when nothing changed."""
    with transaction.atomic():
        source = HarvestSource.objects.select_for_update().filter(
            institute=institute
        ).first() or HarvestSource(institute=institute, created_by=by)
        changes = [
            _verbose_name(HarvestSource, name)
            for name in MEMBER_SOURCE_FIELDS
            if name in data and _current(source, name) != data[name]
        ]
        if source.pk is not None and not changes:
            return source
        for name in MEMBER_SOURCE_FIELDS:
            if name in data:
                setattr(source, name, data[name])
        admitted_member_check(institute, source.forum, field="forum")
        source.updated_by = by
        source.full_clean()
        source.save()
        member_change_record(
            institute=institute,
            changes=[_("repository to harvest: %(fields)s") % {"fields": ", ".join(changes)}],
            by=by,
        )
    return source


def _current(source: HarvestSource, name: str) -> object:
    if name == "forum":
        return source.forum if source.forum_id else None
    return getattr(source, name)


def harvest_run_queue(*, source: HarvestSource, by: User | None) -> HarvestRun:
    """Queues a harvest of ``source`` (a run row, handed to a worker after commit).
    Raises ``HarvestNotStarted`` if the repository is switched off or the institute already
    has a run queued or running; nothing is harvested here."""
    if not source.is_active:
        raise HarvestNotStarted(
            _("Harvesting from this repository is switched off."), code="inactive"
        )
    try:
        with transaction.atomic():
            run = HarvestRun.objects.create(
                institute_id=source.institute_id,
                forum_id=source.forum_id,
                base_url=source.base_url,
                set_spec=source.set_spec,
                requested_by=by,
            )
    except IntegrityError as exc:  # harvest_run_one_active_per_institute
        raise HarvestNotStarted(
            _("A harvest of this institute is already queued or running."), code="active"
        ) from exc
    enqueue_on_commit(HARVEST_TASK, run.pk)
    return run


def harvest_runs_queue_due() -> list[HarvestRun]:
    """Periodic: first settles the runs a worker lost (``harvest_runs_recover``), then
    queues one run for every active repository whose institute has none queued or
    running. Safe to run twice: the second finds every institute busy."""
    harvest_runs_recover()
    busy = HarvestRun.objects.filter(
        institute=OuterRef("institute"), status__in=ACTIVE_HARVEST_STATUSES
    )
    runs = []
    for source in HarvestSource.objects.filter(is_active=True).exclude(Exists(busy)):
        try:
            runs.append(harvest_run_queue(source=source, by=None))
        except HarvestNotStarted:
            continue  # queued meanwhile by someone else
    return runs


def harvest_runs_recover(*, now: datetime.datetime | None = None) -> int:
    """Runs left "running" longer than ``HARVEST_RUN_LEASE_SECONDS`` (their worker died)
    fail as interrupted, which frees their institute; queued runs older than
    ``QUEUED_GRACE`` are handed to a worker again. Returns how many runs were failed."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.HARVEST_RUN_LEASE_SECONDS)
    failed = HarvestRun.objects.filter(
        status=HarvestStatus.RUNNING, started_at__lt=now - lease
    ).update(
        status=HarvestStatus.FAILED,
        finished_at=now,
        error=_("Interrupted: the worker stopped before the harvest ended."),
    )
    stale = HarvestRun.objects.filter(
        status=HarvestStatus.QUEUED, created_at__lt=now - QUEUED_GRACE
    ).values_list("pk", flat=True)
    for pk in stale:
        enqueue_on_commit(HARVEST_TASK, pk)
    return failed


def harvest_run_claim(*, run_id: int) -> HarvestRun | None:
    """Takes a queued run for this worker: running, started now, its ``from`` datestamp
    the institute's last one fully harvested. None when the run is not queued (already
    taken: a task delivered twice) or is locked by another worker taking it."""
    with transaction.atomic():
        run = (
            HarvestRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=HarvestStatus.QUEUED)
            .first()
        )
        if run is None:
            return None
        source = HarvestSource.objects.filter(institute_id=run.institute_id).first()
        run.status = HarvestStatus.RUNNING
        run.started_at = timezone.now()
        run.from_datestamp = source.harvested_until if source is not None else ""
        run.save(update_fields=["status", "started_at", "from_datestamp"])
    return run


@dataclass
class HarvestCounts:
    """What a run has done so far, kept by the harvester and written to its row."""

    seen: int = 0
    new: int = 0
    updated: int = 0
    withdrawn: int = 0
    failed: int = 0
    notes: list[dict[str, str]] = field(default_factory=list)
    newest_datestamp: str = ""

    def note(self, identifier: str, reason: str) -> None:
        if len(self.notes) < HARVEST_NOTES_KEPT:
            self.notes.append({"identifier": identifier, "reason": reason[:300]})


def harvest_run_progress(*, run: HarvestRun, counts: HarvestCounts) -> None:
    """Writes the counts so far to the running run (what its admin page shows while it
    runs, and what stays if the worker dies)."""
    HarvestRun.objects.filter(pk=run.pk, status=HarvestStatus.RUNNING).update(
        records_seen=counts.seen,
        records_new=counts.new,
        records_updated=counts.updated,
        records_withdrawn=counts.withdrawn,
        records_failed=counts.failed,
        notes=counts.notes,
        until_datestamp=counts.newest_datestamp,
    )


def harvest_run_finish(*, run: HarvestRun, counts: HarvestCounts, error: str = "") -> HarvestRun:
    """Ends a running run: failed with ``error``, or succeeded. Only a run that succeeded
    moves its institute's ``harvested_until`` on, to the newest datestamp it saw (records
    of a failed run are in the catalogue, and the next run asks for them again: they come
    back unchanged). A run no longer running (failed as interrupted meanwhile) is left as
    it is."""
    with transaction.atomic():
        row = HarvestRun.objects.select_for_update().filter(pk=run.pk).first()
        if row is None or row.status != HarvestStatus.RUNNING:
            return row or run
        row.status = HarvestStatus.FAILED if error else HarvestStatus.SUCCEEDED
        row.finished_at = timezone.now()
        row.error = error
        row.records_seen = counts.seen
        row.records_new = counts.new
        row.records_updated = counts.updated
        row.records_withdrawn = counts.withdrawn
        row.records_failed = counts.failed
        row.notes = counts.notes
        row.until_datestamp = counts.newest_datestamp
        row.save()
        if not error and counts.newest_datestamp:
            HarvestSource.objects.filter(institute_id=row.institute_id).update(
                harvested_until=counts.newest_datestamp
            )
    return row
