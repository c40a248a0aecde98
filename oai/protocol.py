"""The OAI-PMH 2.0 request, checked: which verb, which arguments, what they mean, and the
protocol's error for anything else. Nothing here reads the database; a request that
passes ``request_parse`` carries only values the selectors can use as they are."""

import datetime
import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from core.urls import canonical_host

VERBS = (
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "ListIdentifiers",
    "ListRecords",
    "GetRecord",
)
# Per verb: the arguments it requires, the ones it allows, and whether a resumption token
# (the "exclusive" argument, alone) may stand for them.
ARGUMENTS: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {
    "Identify": (frozenset(), frozenset(), False),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), False),
    "ListSets": (frozenset(), frozenset(), True),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), True),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), True),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), False),
}
METADATA_PREFIXES = ("oai_dc", "mods")
# The setSpec syntax of the protocol's schema; the sets themselves are "forum",
# "forum:<slug>", "institute" and "institute:<slug>".
SET_SPEC = re.compile(r"(forum|institute)(?::([A-Za-z0-9_-]{1,120}))?")
DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SECOND = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z")
TOKEN_SALT = "oai.resumption-token"
# Ids beyond PostgreSQL's bigint are not ids (and would make the query fail).
MAX_ID = 2**63 - 1


class OaiError(Exception):
    """One of the protocol's errors: its code and a message for whoever reads it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SetSpec:
    kind: str  # "forum" or "institute"
    slug: str  # "" for the whole kind

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}" if self.slug else self.kind


@dataclass(frozen=True)
class OaiRequest:
    """A checked request. ``after`` is the last (datestamp, id) the previous page listed,
    ``cursor`` how many records came before this page; both from the resumption token."""

    verb: str
    arguments: dict[str, str]  # as sent, echoed in the response's request element
    metadata_prefix: str = ""
    identifier: str = ""
    publication_id: int | None = None
    set_spec: SetSpec | None = None
    from_: datetime.datetime | None = None
    until: datetime.datetime | None = None
    from_text: str = ""
    until_text: str = ""
    after: tuple[datetime.datetime, int] | None = None
    cursor: int = 0


def identifier_of(publication_id: int) -> str:
    return f"oai:{canonical_host()}:publication/{publication_id}"


def publication_id_of(identifier: str) -> int | None:
    """The publication an identifier of ours names; None for anything else."""
    match = re.fullmatch(
        rf"oai:{re.escape(canonical_host())}:publication/([1-9][0-9]{{0,18}})", identifier
    )
    if match is None or int(match.group(1)) > MAX_ID:
        return None
    return int(match.group(1))


def datestamp(moment: datetime.datetime) -> str:
    """A datestamp at the endpoint's granularity, in UTC: ``2024-03-01T12:00:00Z``."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: str, name: str, *, end_of_day: bool) -> tuple[datetime.datetime, str]:
    """``from``/``until`` as a UTC moment, and its granularity ("day" or "second"). A day
    as ``until`` means its last second."""
    for pattern, granularity in ((DAY, "day"), (SECOND, "second")):
        match = pattern.fullmatch(value)
        if match is None:
            continue
        iso = f"{value}T00:00:00+00:00" if granularity == "day" else f"{value[:-1]}+00:00"
        try:
            moment = datetime.datetime.fromisoformat(iso)
        except ValueError:
            break
        if granularity == "day" and end_of_day:
            moment = moment.replace(hour=23, minute=59, second=59)
        return moment, granularity
    raise OaiError(
        "badArgument",
        _("%(name)s must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ).")
        % {"name": name},
    )


def _single_values(params: Any) -> dict[str, str]:
    """The request's arguments; a repeated one is refused (its verb as badVerb)."""
    values: dict[str, str] = {}
    for name in params:
        given = params.getlist(name)
        if len(given) > 1:
            if name == "verb":
                raise OaiError("badVerb", _("The verb is repeated."))
            raise OaiError("badArgument", _("The argument %(name)s is repeated.") % {"name": name})
        values[name] = given[0]
    return values


def request_parse(params: Any) -> OaiRequest:
    """Checks a request's arguments (a QueryDict) against its verb; raises ``OaiError``
    with the protocol's code for the first thing wrong."""
    values = _single_values(params)
    verb = values.pop("verb", None)
    if verb is None:
        raise OaiError("badVerb", _("The request names no verb."))
    if verb not in ARGUMENTS:
        raise OaiError("badVerb", _("%(verb)s is not an OAI-PMH verb.") % {"verb": verb[:100]})
    required, optional, resumable = ARGUMENTS[verb]
    names = set(values)
    if resumable and "resumptionToken" in names:
        if names != {"resumptionToken"}:
            raise OaiError(
                "badArgument", _("A resumption token must be the only argument beside the verb.")
            )
        return token_read(values["resumptionToken"], verb=verb)
    illegal = sorted(names - required - optional)
    if illegal:
        raise OaiError(
            "badArgument",
            _("%(verb)s does not take the argument %(name)s.")
            % {"verb": verb, "name": illegal[0][:100]},
        )
    missing = sorted(required - names)
    if missing:
        raise OaiError(
            "badArgument",
            _("%(verb)s needs the argument %(name)s.") % {"verb": verb, "name": missing[0]},
        )
    request = OaiRequest(verb=verb, arguments=dict(values))
    if "identifier" in values:
        request = replace(
            request,
            identifier=values["identifier"],
            publication_id=publication_id_of(values["identifier"]),
        )
    granularities = set()
    if "from" in values:
        moment, granularity = _moment(values["from"], "from", end_of_day=False)
        request = replace(request, from_=moment, from_text=values["from"])
        granularities.add(granularity)
    if "until" in values:
        moment, granularity = _moment(values["until"], "until", end_of_day=True)
        request = replace(request, until=moment, until_text=values["until"])
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", _("from and until must have the same granularity."))
    if request.from_ and request.until and request.from_ > request.until:
        raise OaiError("badArgument", _("from is later than until."))
    if "metadataPrefix" in values:
        if values["metadataPrefix"] not in METADATA_PREFIXES:
            raise OaiError(
                "cannotDisseminateFormat",
                _("The metadata format %(prefix)s is not offered here.")
                % {"prefix": values["metadataPrefix"][:100]},
            )
        request = replace(request, metadata_prefix=values["metadataPrefix"])
    if "set" in values:
        match = SET_SPEC.fullmatch(values["set"])
        if match is None:
            # Well-formed or not, a set we do not have holds no records.
            raise OaiError("noRecordsMatch", _("There is no such set."))
        request = replace(request, set_spec=SetSpec(kind=match.group(1), slug=match.group(2) or ""))
    return request


# --- Resumption tokens -------------------------------------------------------------------


def token_make(request: OaiRequest, *, last: tuple[datetime.datetime, int], count: int) -> str:
    """A signed token for the page after ``last``: the verb and arguments of the harvest,
    the last (datestamp, id) listed and the cursor. Signed with SECRET_KEY and timed, so
    it can be neither forged nor used after ``OAI_TOKEN_SECONDS``."""
    payload = {
        "v": request.verb,
        "m": request.metadata_prefix,
        "s": str(request.set_spec) if request.set_spec else "",
        "f": request.from_text,
        "u": request.until_text,
        "t": last[0].astimezone(datetime.UTC).isoformat(),
        "i": last[1],
        "c": request.cursor + count,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def token_expires(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.OAI_TOKEN_SECONDS)


def token_read(token: str, *, verb: str) -> OaiRequest:
    """The request a token continues; badResumptionToken for one that was not made here,
    was changed, has expired, or belongs to another verb."""
    bad = OaiError(
        "badResumptionToken",
        _("The resumption token is invalid or has expired; start the list again."),
    )
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=settings.OAI_TOKEN_SECONDS)
        if verb not in ("ListIdentifiers", "ListRecords") or payload["v"] != verb:
            raise bad
        arguments = {"verb": verb, "metadataPrefix": payload["m"]}
        for key, name in (("s", "set"), ("f", "from"), ("u", "until")):
            if payload[key]:
                arguments[name] = payload[key]
        return replace(
            request_parse(_QueryLike(arguments)),
            arguments={"resumptionToken": token},
            after=(datetime.datetime.fromisoformat(payload["t"]), int(payload["i"])),
            cursor=int(payload["c"]),
        )
    # Whatever a token holds that is not what ours hold (one of an older release, say).
    except (signing.BadSignature, OaiError, KeyError, TypeError, ValueError):
        raise bad from None


class _QueryLike(dict[str, str]):
    """A token's arguments, read by ``request_parse`` as a QueryDict is."""

    def getlist(self, name: str) -> list[str]:
        return [self[name]]
