"""Keyset ("cursor") pagination: a page is the rows after the last one of the previous
page in a stable, unique order, found by comparing with that row's values
(``WHERE (published_on, id) < (…)`` in effect), never by skipping rows with OFFSET, so
page 5,000 costs what page 1 costs (docs/PERF.md: 0.6 ms against 92 ms at OFFSET 90,000).

The cursor is opaque to clients: the last row's key values, as JSON in URL-safe base64.
A cursor that is not one of ours, or a page size out of range, is a 400 with the reason."""

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.urls import absolute_url


@dataclass(frozen=True)
class Key:
    """One column of a resource's order: a field (or annotation) of its queryset, read
    back from a cursor by ``parse``. Every key of an order goes the same way, and the last
    is unique (the primary key), so the order is total."""

    field: str
    parse: Callable[[Any], Any]


BIGINT = 2**63


def parse_int(value: Any) -> int:
    """An id as PostgreSQL's bigint holds it (a larger one would fail in the database)."""
    if isinstance(value, bool) or not isinstance(value, int) or not -BIGINT < value < BIGINT:
        raise ValueError(value)
    return value


def parse_date(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(str(value))


def parse_text(value: Any) -> str:
    """Text without NUL (PostgreSQL refuses NUL in any string)."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(value)
    return value


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@dataclass(frozen=True)
class KeysetOrder:
    keys: Sequence[Key]
    descending: bool = False

    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{key.field}" for key in self.keys]

    def after(self, values: Sequence[Any]) -> Q:
        """The rows after the row with these key values in this order. The leading
        ``<=`` (or ``>=``) on the first key lets its index bound the scan."""
        op = "lt" if self.descending else "gt"
        first = self.keys[0].field
        condition = Q()
        for i, key in enumerate(self.keys):
            step = Q(**{f"{key.field}__{op}": values[i]})
            for earlier, value in zip(self.keys[:i], values[:i], strict=True):
                step &= Q(**{earlier.field: value})
            condition |= step
        return Q(**{f"{first}__{op}e": values[0]}) & condition


def _page_size_limit() -> int:
    return int(settings.API_MAX_PAGE_SIZE)


class KeysetPagination(BasePagination):
    """Pages of ``view.keyset`` (a ``KeysetOrder``): ``?page_size=`` (1 to
    ``API_MAX_PAGE_SIZE``, default ``API_PAGE_SIZE``) and ``?cursor=`` (the previous
    page's ``next``). The answer is ``{"next": <absolute URL or null>, "results": […]}``;
    no total is counted (a COUNT would read every matching row)."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any, Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        if not isinstance(queryset, QuerySet):
            raise TypeError("Keyset pages are read from a queryset.")
        order: KeysetOrder = view.keyset
        self.request = request
        self.order = order
        self.page_size = self._page_size(request)
        rows = queryset.order_by(*order.order_by())
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is not None:
            rows = rows.filter(order.after(self._decode(cursor, order)))
        page = list(rows[: self.page_size + 1])
        self.has_next = len(page) > self.page_size
        self.page = page[: self.page_size]
        return self.page

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return int(settings.API_PAGE_SIZE)
        limit = _page_size_limit()
        if not raw.isdigit() or not 1 <= int(raw) <= limit:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(limit)d.") % {"limit": limit}
                    ]
                }
            )
        return int(raw)

    def _decode(self, cursor: str, order: KeysetOrder) -> list[Any]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(values, list) or len(values) != len(order.keys):
                raise ValueError(values)
            return [key.parse(value) for key, value in zip(order.keys, values, strict=True)]
        except (ValueError, TypeError, UnicodeError, binascii.Error):
            raise ValidationError(
                {self.cursor_query_param: [_("Not a cursor of this list: use its “next” link.")]}
            ) from None

    def encode_cursor(self, row: Any) -> str:
        values = [_dump(getattr(row, key.field)) for key in self.order.keys]
        text = json.dumps(values, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = self.encode_cursor(self.page[-1])
        query = urlencode(sorted(params.lists()), doseq=True)
        return absolute_url(f"{self.request.path}?{query}")

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor in the previous page's "
                "`next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {_page_size_limit()} "
                f"(default {settings.API_PAGE_SIZE}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": _page_size_limit(),
                    "default": int(settings.API_PAGE_SIZE),
                },
            },
        ]
