"""The kinds of document rendered to PDF, each registered by the app that owns its model
(in its ``AppConfig.ready``): rendering sits beneath those apps and never imports them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from core.models import RenderedDocument


def _portal_language(document: Any) -> str:
    return settings.LANGUAGE_CODE


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document becomes a PDF."""

    document_type: str  # a ``documents.enums.DocumentType``
    model: type[RenderedDocument]
    template: str
    # Every document of the kind with everything its PDF shows loaded: a fixed number of
    # queries whatever its size.
    queryset: Callable[[], QuerySet[RenderedDocument]]
    # What the template shows besides ``document`` (which is always there).
    context: Callable[[Any], dict[str, Any]]
    # The language the template's labels are printed in.
    language: Callable[[Any], str] = _portal_language


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    registered = _kinds.get(kind.document_type)
    if registered is not None and registered.model is not kind.model:
        raise ValueError(f"{kind.document_type!r} is registered for {registered.model} already.")
    _kinds[kind.document_type] = kind


def kinds() -> list[DocumentKind]:
    return list(_kinds.values())


def kind(document_type: str) -> DocumentKind:
    try:
        return _kinds[document_type]
    except KeyError:
        raise ValueError(f"Unknown document type {document_type!r}.") from None


def kind_of(document: RenderedDocument) -> DocumentKind:
    for registered in _kinds.values():
        if isinstance(document, registered.model):
            return registered
    raise ValueError(f"{type(document).__name__} is not a rendered document.")
