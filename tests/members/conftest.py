"""Fixtures of the account and invitation tests."""

import pytest
from django.core.cache import cache

from tests.smtp import SmtpSink


@pytest.fixture
def fresh_cache():
    """allauth's rate limits live in the cache: a test using this starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that Django's SMTP backend sends to."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield sink
    sink.stop()
