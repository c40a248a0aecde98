"""A helper for constraint tests: the row must be refused by the database itself."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction


@contextmanager
def refused_by(constraint: str):
    """Asserts that the block raises an IntegrityError naming ``constraint``."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield
