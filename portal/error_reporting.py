"""Error reports to Sentry or a service speaking its protocol (GlitchTip, a self-hosted
Sentry), only when ``SENTRY_DSN`` is set (docs/adr/0031): unhandled exceptions of web
requests and Celery tasks, and ERROR log lines, with the request id as a tag. Off by
default; never the users' personal data (no cookies, no user, no client address, no
request bodies), and no performance tracing."""

from typing import TYPE_CHECKING, Any

import sentry_sdk
from django_guid import get_guid
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

if TYPE_CHECKING:
    from sentry_sdk._types import Event


def _with_request_id(event: "Event", hint: dict[str, Any]) -> "Event":
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def error_reporting_start(*, dsn: str, environment: str, release: str) -> None:
    """Starts the Sentry SDK for this process (web, worker or beat: settings.py calls it
    when SENTRY_DSN is set)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=_with_request_id,
    )
