"""Fixtures of the account and invitation tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_cache():
    """allauth's rate limits live in the cache: a test using this starts with none used."""
    cache.clear()
    yield
    cache.clear()
