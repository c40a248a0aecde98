"""The OAI-PMH 2.0 endpoint, ``/oai/`` (and ``/oai``): GET or POST, every answer XML with
HTTP 200, errors included, as the protocol wants."""

import datetime
import re
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from oai import selectors
from oai.metadata import FORMATS, OAI, XSI, xml_text
from oai.protocol import (
    VERBS,
    OaiError,
    OaiRequest,
    datestamp,
    identifier_of,
    request_parse,
    token_expires,
    token_make,
)
from oai.selectors import Record
from publications.enums import PublicationStatus

# The arguments an error's request element repeats, where they fit the schema's types.
_SPEC_PART = r"[A-Za-z0-9\-_\.!~\*'\(\)]+"
URI = r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[\w\-.~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+"
ECHOED: dict[str, re.Pattern[str] | None] = {
    "verb": re.compile("|".join(VERBS)),
    "identifier": re.compile(URI),
    "metadataPrefix": re.compile(_SPEC_PART),
    "from": None,
    "until": None,
    "set": re.compile(rf"{_SPEC_PART}(:{_SPEC_PART})*"),
    "resumptionToken": None,
}
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")  # the schema's pattern for adminEmail
SCHEMA_LOCATION = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IN_OAI = f"{{{OAI}}}"


def base_url() -> str:
    """The endpoint's address as harvesters must use it: from SITE_URL, never from the
    request's Host."""
    return settings.SITE_URL.rstrip("/") + "/oai/"


def _sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, IN_OAI + tag, attributes)
    if text:
        element.text = xml_text(text)
    return element


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    root = etree.Element(
        IN_OAI + "OAI-PMH",
        {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: OAI, "xsi": XSI},
    )
    _sub(root, "responseDate", datestamp(now))
    echo = _sub(root, "request", base_url())
    params = request.POST if request.method == "POST" else request.GET
    try:
        oai_request = request_parse(params)
        for name, value in oai_request.arguments.items():
            echo.set(name, xml_text(value))
        echo.set("verb", oai_request.verb)
        ANSWERS[oai_request.verb](root, oai_request, now)
    except OaiError as error:
        # After badVerb or badArgument the request element carries no arguments; after
        # the others, those that the protocol's schema allows there.
        echo.attrib.clear()
        if error.code not in ("badVerb", "badArgument"):
            echo.attrib.update(_echo(params))
        for extra in list(root)[2:]:
            root.remove(extra)
        _sub(root, "error", error.message, code=error.code)
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _echo(params: QueryDict) -> dict[str, str]:
    echoed = {}
    for name, pattern in ECHOED.items():
        value = params.get(name)
        if value is not None and (pattern is None or pattern.fullmatch(value)):
            echoed[name] = xml_text(value)
    return echoed


def admin_email() -> str:
    """The portal's sender address (DEFAULT_FROM_EMAIL, else SERVER_EMAIL) without its
    display name. The protocol wants a domain with a dot: a development default such as
    ``secretariat@localhost`` is given as ``secretariat@localhost.invalid`` instead."""
    addresses = [
        parseaddr(value)[1] for value in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)
    ]
    for address in addresses:
        if EMAIL.fullmatch(address):
            return address
    local, _at, domain = (addresses[0] or "secretariat@localhost").partition("@")
    return f"{local or 'secretariat'}@{domain or 'localhost'}.invalid"


def identify(root: etree._Element, request: OaiRequest, now: datetime.datetime) -> None:
    answer = _sub(root, "Identify")
    _sub(answer, "repositoryName", settings.PORTAL_NAME or "Think Tank Forums")
    _sub(answer, "baseURL", base_url())
    _sub(answer, "protocolVersion", "2.0")
    _sub(answer, "adminEmail", admin_email())
    _sub(answer, "earliestDatestamp", datestamp(selectors.earliest_datestamp() or now))
    _sub(answer, "deletedRecord", "persistent")
    _sub(answer, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(
    root: etree._Element, request: OaiRequest, now: datetime.datetime
) -> None:
    if request.identifier and (
        request.publication_id is None
        or selectors.record_get(publication_id=request.publication_id, with_metadata=False) is None
    ):
        raise OaiError("idDoesNotExist", _("There is no record with this identifier."))
    answer = _sub(root, "ListMetadataFormats")
    for metadata_format in FORMATS.values():
        element = _sub(answer, "metadataFormat")
        _sub(element, "metadataPrefix", metadata_format.prefix)
        _sub(element, "schema", metadata_format.schema)
        _sub(element, "metadataNamespace", metadata_format.namespace)


def list_sets(root: etree._Element, request: OaiRequest, now: datetime.datetime) -> None:
    forums, institutes = selectors.set_list()
    if not forums and not institutes:
        raise OaiError("noSetHierarchy", _("There are no sets while the catalogue is empty."))
    answer = _sub(root, "ListSets")
    entries = [("forum", _("Forums"))]
    entries += [(f"forum:{forum.slug}", forum.name) for forum in forums]
    entries += [("institute", _("Institutes"))]
    entries += [(f"institute:{institute.slug}", institute.name) for institute in institutes]
    for spec, name in entries:
        element = _sub(answer, "set")
        _sub(element, "setSpec", spec)
        _sub(element, "setName", str(name))


def _header(parent: etree._Element, record: Record) -> None:
    publication = record.publication
    header = _sub(parent, "header")
    if publication.status != PublicationStatus.APPROVED:
        header.set("status", "deleted")
    _sub(header, "identifier", identifier_of(publication.pk))
    assert publication.public_changed_at is not None  # records() has only these
    _sub(header, "datestamp", datestamp(publication.public_changed_at))
    _sub(header, "setSpec", f"forum:{publication.forum.slug}")
    for _name, slug in record.institutes:
        _sub(header, "setSpec", f"institute:{slug}")


def _record(parent: etree._Element, record: Record, prefix: str) -> None:
    element = _sub(parent, "record")
    _header(element, record)
    if record.publication.status == PublicationStatus.APPROVED:
        _sub(element, "metadata").append(FORMATS[prefix].build(record))


def get_record(root: etree._Element, request: OaiRequest, now: datetime.datetime) -> None:
    record = (
        None
        if request.publication_id is None
        else selectors.record_get(publication_id=request.publication_id)
    )
    if record is None:
        raise OaiError("idDoesNotExist", _("There is no record with this identifier."))
    _record(_sub(root, "GetRecord"), record, request.metadata_prefix)


def _list(root: etree._Element, request: OaiRequest, now: datetime.datetime) -> None:
    """ListRecords and ListIdentifiers: one page, and a token for the next while there is
    one (an empty token on the last page of a resumed list, as the protocol asks)."""
    with_metadata = request.verb == "ListRecords"
    size = settings.OAI_PAGE_SIZE
    page = selectors.record_page(request=request, size=size, with_metadata=with_metadata)
    if not page:
        # Also when the records after a token's last one are gone since (deleted outright
        # by staff): a list must hold at least one record.
        raise OaiError("noRecordsMatch", _("No records match the request."))
    answer = _sub(root, request.verb)
    for record in page[:size]:
        if with_metadata:
            _record(answer, record, request.metadata_prefix)
        else:
            _header(answer, record)
    if len(page) > size:
        last = page[size - 1].publication
        assert last.public_changed_at is not None
        token = token_make(request, last=(last.public_changed_at, last.pk), count=size)
        _sub(
            answer,
            "resumptionToken",
            token,
            expirationDate=datestamp(token_expires(now)),
            cursor=str(request.cursor),
        )
    elif request.after is not None:
        _sub(answer, "resumptionToken", cursor=str(request.cursor))


ANSWERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": _list,
    "ListRecords": _list,
    "GetRecord": get_record,
}
