"""A transactional test (``live_server``, ``transactional_db``) that does not restore the
database it found leaves Django's content types re-created after its flush, and the next
test that does restore (``serialized_rollback=True``, every worker and browser test) fails
to load them: "duplicate key … django_content_type". Every such module restores."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TRANSACTIONAL = re.compile(r"\blive_server\b|\btransactional_db\b|transaction=True")


def test_every_transactional_test_module_restores_the_database():
    missing = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.name != Path(__file__).name
        and TRANSACTIONAL.search(path.read_text())
        and "serialized_rollback=True" not in path.read_text()
    ]

    assert missing == []
