"""What every log line says besides its message (docs/adr/0031): the id of the request it
belongs to (``X-Request-ID``, kept by django-guid; a Celery task carries on the id of the
request that enqueued it, portal/celery.py) and, in a worker, the task's id and name.
``LOGGING`` in settings.py attaches the filter to the console handler, so it applies to
every logger, Django's and Celery's included."""

import datetime
import logging
from typing import Any

from celery._state import get_current_task
from django_guid import get_guid
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task_name`` to a record ("" where there is
    none, so the text format's ``%(request_id)s`` never fails)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_guid() or ""
        task = get_current_task()
        task_id = getattr(task.request, "id", None) if task is not None else None
        record.task_id = task_id or ""
        record.task_name = (task.name if task_id and task is not None else "") or ""
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
    ``message``, ``request_id``, ``task_id``, ``task_name``, ``process``, the fields a
    call passed in ``extra``, and ``exc_info`` with the traceback when there is one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(process)d",
            rename_fields={"levelname": "level", "name": "logger"},
            **kwargs,
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        super().add_fields(log_data, record, message_dict)
        for field in ("request_id", "task_id", "task_name"):
            log_data.setdefault(field, getattr(record, field, "") or "")
