"""What the public API reads: exactly the rows the public site shows, through the
selectors the site's pages use, each with the related rows its serializer writes fetched
once here (``select_related``/``prefetch_related``), so a list costs a fixed number of
queries whatever its length."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from actionplans.models import ActionPlan, JointStatement, Meeting
from actionplans.selectors import (
    meetings_listed,
    register_plans,
    register_statements,
    signatures_in_order,
)
from forums.models import Forum
from members.models import Institute
from members.selectors import forum_list_public, public_memberships_prefetch
from publications.models import Publication
from publications.selectors import public_institutes_prefetch, public_publications
from website.selectors import public_institutes

# Meetings without a date yet (to be scheduled) sort as if after every dated one: first,
# newest first, as a forum's archive lists them.
UNDATED = datetime.date(9999, 12, 31)

# An institute's public profile: never its e-mail, phone, address or private logo.
INSTITUTE_FIELDS = (
    "pk",
    "name",
    "short_name",
    "slug",
    "country",
    "kind",
    "parent_authority",
    "description",
    "website",
    "public_logo",
)

# What a publication's public page shows; not its PDF's text, search vectors or review.
PUBLICATION_FIELDS = (
    "pk",
    "title",
    "subtitle",
    "slug",
    "authors",
    "forum",
    "kind",
    "language",
    "published_on",
    "container_title",
    "publisher",
    "abstract",
    "keywords",
    "public_file",
    "url",
    "doi",
    "isbn",
    "forum__id",
    "forum__name",
    "forum__name_ru",
    "forum__slug",
    "forum__short_name",
)


def api_forums() -> QuerySet[Forum]:
    """Every forum, with its framework, secretariat and admitted member count (the list
    of forums' own read). One query."""
    return forum_list_public()


def api_institutes() -> QuerySet[Institute]:
    """The public institutes (``website.selectors.public_institutes``), each with its
    admitted memberships and their forums. Two queries."""
    return (
        public_institutes().only(*INSTITUTE_FIELDS).prefetch_related(public_memberships_prefetch())
    )


def api_meetings() -> QuerySet[Meeting]:
    """The meetings the public site lists (``meetings_listed``: never a cancelled one),
    with their forum and host institute, and ``sort_date``: their date, else the start of
    their window, else ``UNDATED``. One query."""
    return (
        meetings_listed()
        .select_related("forum", "host_institute")
        .annotate(sort_date=Coalesce("starts_on", "window_start", Value(UNDATED)))
    )


def api_action_plans() -> QuerySet[ActionPlan]:
    """Adopted action plans as the register lists them (``register_plans``). Two
    queries."""
    return register_plans()


def api_joint_statements() -> QuerySet[JointStatement]:
    """Published joint statements as the register lists them (``register_statements``),
    with their meeting and participating institutions in order. Three queries."""
    signatures: Prefetch[Any] = Prefetch(
        "signatures", queryset=signatures_in_order(), to_attr="signature_list"
    )
    return register_statements().select_related("meeting").prefetch_related(signatures)


def api_publications() -> QuerySet[Publication]:
    """Approved publications only (``public_publications``), with their forum,
    institutes and themes and only the columns the public page shows. Three queries."""
    return (
        public_publications()
        .select_related("forum")
        .only(*PUBLICATION_FIELDS)
        .prefetch_related(public_institutes_prefetch(), "themes")
    )
