"""What an admin history page shows besides the object's own records: the changes of the
rows edited on its page (an action plan's activities, an institute's contacts), each with
what changed, newest first (``SecretariatAdmin.history_related``)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from simple_history.template_utils import HistoricalRecordContextHelper

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Past this many records of its rows, a page says there are more: the rows' own history
# pages have the rest.
RELATED_SHOWN = 100


@dataclass
class RelatedHistory:
    """The recent records of one kind of row edited on an object's page."""

    title: "StrOrPromise"
    records: list[Any]
    more: bool


def related_history(
    *, model: type[Model], filters: dict[str, Any], title: "StrOrPromise"
) -> RelatedHistory:
    """The latest ``RELATED_SHOWN`` history records of ``model``'s rows matching
    ``filters`` (as of each record), newest first, each with ``history_delta_changes``
    against the row's previous record (three queries)."""
    history = model.history  # type: ignore[attr-defined]
    records = list(
        history.filter(**filters)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: RELATED_SHOWN + 1]
    )
    more = len(records) > RELATED_SHOWN
    records = records[:RELATED_SHOWN]
    pk_name = model._meta.pk.attname
    # The record before each one, of the same row (it may be older than those shown).
    previous_ids = {
        record.history_id: record.prev_record_id
        for record in _with_previous(history, records, pk_name)
    }
    earlier = history.in_bulk([i for i in previous_ids.values() if i is not None])
    for record in records:
        before = earlier.get(previous_ids.get(record.history_id))
        if before is None:
            continue
        helper = HistoricalRecordContextHelper(model, record)
        record.history_delta_changes = helper.context_for_delta_changes(
            record.diff_against(before, foreign_keys_are_objs=True)
        )
    return RelatedHistory(title=title, records=records, more=more)


def _with_previous(history, records, pk_name: str):
    """``records`` annotated with the id of the row's record just before each (one
    query, a window over the rows' records)."""
    from django.db.models import F, Window
    from django.db.models.functions import Lag

    if not records:
        return []
    ids = {getattr(record, pk_name) for record in records}
    wanted = {record.history_id for record in records}
    rows = history.filter(**{f"{pk_name}__in": ids}).annotate(
        prev_record_id=Window(
            Lag("history_id"),
            partition_by=[F(pk_name)],
            order_by=[F("history_date").asc(), F("history_id").asc()],
        )
    )
    return [row for row in rows if row.history_id in wanted]
