"""Matching and ranking for the catalogue's ``q`` (docs/adr/0004), and the admin's search.

On PostgreSQL: the words of ``q`` become a tsquery in the ``russian`` configuration (which
stems Russian with the Russian and Latin script with the English stemmer), all words
required, the last one as a prefix because the user may still be typing it; it is matched
against the trigger-maintained, GIN-indexed ``search_vector`` and ranked with weights
title > authors/keywords > abstract (the PDF's text matches but does not rank; relevance
orders a bounded window of the newest matches, see ``publications.selectors`` and
docs/adr/0008). Elsewhere (SQLite): every word must occur
in one of the searched fields, case-insensitively.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value

from publications.models import isbn_digits

CONFIG = "russian"
MAX_WORDS = 12
SEARCHED_FIELDS = ("title", "subtitle", "authors", "keywords", "abstract", "extracted_text")
_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.replace("_", " "))[:MAX_WORDS]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def tsquery_text(text: str) -> str:
    """``energy security`` → ``energy & security:*`` (only word characters reach it)."""
    words = words_of(text)
    if not words:
        return ""
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def search_query(text: str) -> SearchQuery:
    return SearchQuery(tsquery_text(text), search_type="raw", config=CONFIG)


def match_query(qs: QuerySet, text: str) -> QuerySet:
    words = words_of(text)
    if not words:
        return qs
    if uses_full_text():
        return qs.filter(search_vector=search_query(text))
    for word in words:
        condition = Q()
        for field in SEARCHED_FIELDS:
            condition |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(condition)
    return qs


def with_rank(qs: QuerySet, text: str) -> QuerySet:
    """Annotates ``rank`` (0 where there is no full-text search), from the small
    ``search_head`` vector: the title, authors, keywords and abstract decide the order of
    the matches; the PDF's text only whether a publication matches at all."""
    if uses_full_text() and words_of(text):
        return qs.annotate(rank=SearchRank(F("search_head"), search_query(text)))
    return qs.annotate(rank=Value(0.0, output_field=FloatField()))


def cache_text(text: str) -> str:
    """What of ``q`` decides the matches, as a stable part of a cache key."""
    return " ".join(word.lower() for word in words_of(text))


# The admin's search (``PublicationAdmin``) lists at most this many matches, the newest:
# a common word matches most of the catalogue, and a list of 70,000 rows helps no one.
ADMIN_SEARCH_LIMIT = 1000
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ISBN = re.compile(r"(97[89])?\d{9}[\dX]")


def identifier_query(text: str) -> Q | None:
    """An exact match on the DOI or the ISBN when ``text`` is one (``10.1234/abc``,
    ``978-5-00000-000-0``, with or without hyphens), else None."""
    text = text.strip()
    if _DOI.fullmatch(text):
        return Q(doi=text)
    digits = re.sub(r"[\s-]", "", text).upper()
    if _ISBN.fullmatch(digits):
        # The index holds only rows with an ISBN: saying so lets PostgreSQL use it.
        return Q(isbn_digits=digits) & ~Q(isbn="")
    return None


def admin_matches(qs: QuerySet, text: str) -> QuerySet:
    """Every row of ``qs`` that ``text`` finds: by identifier if it is a DOI or an ISBN,
    otherwise by its words, as the catalogue matches them (the full-text vector)."""
    identifier = identifier_query(text)
    if identifier is not None:
        return qs.alias(isbn_digits=isbn_digits()).filter(identifier)
    if not words_of(text):
        return qs.none()
    return match_query(qs, text)


def admin_search_ids(qs: QuerySet, text: str, *, limit: int) -> list[int]:
    """The ids of the newest ``limit`` rows of ``qs`` that ``text`` finds, newest first.
    They come from the date index (or, for a rarer word, the search index), so a word
    found in most rows costs what ``limit`` rows cost."""
    newest = admin_matches(qs, text).order_by("-published_on", "-id")
    return list(newest.values_list("pk", flat=True)[:limit])


def admin_search(qs: QuerySet, text: str, *, limit: int = ADMIN_SEARCH_LIMIT) -> QuerySet:
    """The newest ``limit`` rows of ``qs`` that ``text`` finds, in ``qs``'s order."""
    if not text.strip():
        return qs
    return qs.filter(pk__in=admin_search_ids(qs, text, limit=limit))
