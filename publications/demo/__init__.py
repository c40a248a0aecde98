"""Synthetic demo data, so the public catalogue can be tried and measured before members
fill it (``python manage.py seed_demo``).

Everything made here says so: rows carry ``is_synthetic=True``, institutes are named
"… (synthetic)", and each generated PDF opens with a line calling itself a synthetic demo
document. ``demo_reset`` removes exactly those rows, their files and their history, and
nothing else. The forums are the two real ones loaded by ``seed_forums``; only memberships
of the synthetic institutes are added to them.
"""

from publications.demo.documents import demo_marker, demo_marker_of
from publications.demo.services import (
    DemoForumsMissing,
    DemoReport,
    DemoResetReport,
    demo_forums,
    demo_publications_create,
    demo_reset,
)

__all__ = [
    "DemoForumsMissing",
    "DemoReport",
    "DemoResetReport",
    "demo_forums",
    "demo_marker",
    "demo_marker_of",
    "demo_publications_create",
    "demo_reset",
]
