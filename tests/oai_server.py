"""A small OAI-PMH 2.0 repository for the tests, served over real HTTP on 127.0.0.1.

It serves ``records`` (a list the test may change between harvests) as oai_dc, in pages
of ``page_size`` with real resumption tokens, and answers Identify, ListMetadataFormats,
ListRecords, ListIdentifiers and GetRecord with the protocol's errors (badVerb,
badArgument, badResumptionToken, cannotDisseminateFormat, noRecordsMatch,
idDoesNotExist). Faults, for the failure tests: ``fail_on_page`` = N makes the N-th page
(1-based) of a list fail as ``failure`` says ("http500", or "drop": the connection ends
halfway through the body); ``expire_tokens`` makes every resumption token it issued
expired when presented. ``files`` serves further paths (PDFs, landing pages).
"""

import threading
import uuid
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)


@dataclass
class OaiRecord:
    identifier: str
    datestamp: str  # YYYY-MM-DD (the server's granularity)
    dc: dict[str, list[str]] = field(default_factory=dict)
    sets: list[str] = field(default_factory=list)
    deleted: bool = False


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class OaiServer:
    def __init__(self, records: list[OaiRecord] | None = None, *, page_size: int = 2):
        self.records = records or []
        self.page_size = page_size
        self.fail_on_page: int | None = None
        self.failure = "http500"
        self.expire_tokens = False
        self.files: dict[str, tuple[str, bytes]] = {}
        self.requests: list[dict[str, str]] = []
        self._tokens: dict[str, tuple[dict[str, str], int]] = {}
        self._server: WSGIServer | None = None

    # --- running ------------------------------------------------------------------------

    def start(self) -> "OaiServer":
        self._server = make_server(
            "127.0.0.1", 0, self.app, server_class=_ThreadingServer, handler_class=_Quiet
        )
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}/oai"

    def file_url(self, path: str) -> str:
        return self.url.removesuffix("/oai") + path

    def list_requests(self) -> list[dict[str, str]]:
        return [r for r in self.requests if r.get("verb") in ("ListRecords", "ListIdentifiers")]

    # --- the protocol -------------------------------------------------------------------

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path in self.files:
            content_type, body = self.files[path]
            start_response(
                "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            )
            return [body]
        if path != "/oai":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        if environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size).decode()
        else:
            raw = environ.get("QUERY_STRING", "")
        parsed = parse_qs(raw, keep_blank_values=True)
        args = {key: values[0] for key, values in parsed.items()}
        self.requests.append(args)
        if any(len(values) > 1 for values in parsed.values()):
            body, page = self._error(args, "badArgument", "repeated argument"), None
        else:
            body, page = self._answer(args)
        if page is not None and page == self.fail_on_page:
            if self.failure == "drop":
                data = body.encode()
                start_response(
                    "200 OK",
                    [("Content-Type", "text/xml"), ("Content-Length", str(len(data)))],
                )
                return [data[: len(data) // 2]]
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"the repository broke"]
        data = body.encode()
        start_response(
            "200 OK",
            [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _envelope(self, args: dict[str, str], inner: str) -> str:
        attributes = "".join(
            f' {escape(k)}="{escape(v)}"'
            for k, v in args.items()
            if k in ("verb", "identifier", "metadataPrefix", "from", "until", "set")
            or k == "resumptionToken"
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
            'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
            "<responseDate>2026-12-02T12:00:00Z</responseDate>"
            f"<request{attributes}>{escape(self.url)}</request>{inner}</OAI-PMH>"
        )

    def _error(self, args: dict[str, str], code: str, text: str) -> str:
        return self._envelope(args, f'<error code="{code}">{escape(text)}</error>')

    def _answer(self, args: dict[str, str]) -> tuple[str, int | None]:
        verb = args.get("verb", "")
        if verb == "Identify":
            return self._envelope(args, self._identify()), None
        if verb == "ListMetadataFormats":
            return self._envelope(args, self._formats()), None
        if verb == "GetRecord":
            return self._get_record(args), None
        if verb in ("ListRecords", "ListIdentifiers"):
            return self._list(args)
        return self._error(args, "badVerb", "unknown verb"), None

    def _identify(self) -> str:
        return (
            "<Identify><repositoryName>Test repository</repositoryName>"
            f"<baseURL>{escape(self.url)}</baseURL><protocolVersion>2.0</protocolVersion>"
            "<adminEmail>repo@example.org</adminEmail>"
            "<earliestDatestamp>2000-01-01</earliestDatestamp>"
            "<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DD</granularity>"
            "</Identify>"
        )

    def _formats(self) -> str:
        return (
            "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix>"
            "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
            "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>"
            "</metadataFormat></ListMetadataFormats>"
        )

    def _get_record(self, args: dict[str, str]) -> str:
        if args.get("metadataPrefix") != "oai_dc":
            return self._error(args, "cannotDisseminateFormat", "only oai_dc")
        for record in self.records:
            if record.identifier == args.get("identifier"):
                return self._envelope(args, f"<GetRecord>{self._record(record)}</GetRecord>")
        return self._error(args, "idDoesNotExist", "no such record")

    def _list(self, args: dict[str, str]) -> tuple[str, int | None]:
        verb = args["verb"]
        if "resumptionToken" in args:
            if set(args) != {"verb", "resumptionToken"}:
                return self._error(args, "badArgument", "resumptionToken is exclusive"), None
            token = args["resumptionToken"]
            if self.expire_tokens or token not in self._tokens:
                return self._error(args, "badResumptionToken", "expired or unknown"), None
            query, offset = self._tokens.pop(token)
        else:
            if args.get("metadataPrefix") is None:
                return self._error(args, "badArgument", "metadataPrefix is required"), None
            if args["metadataPrefix"] != "oai_dc":
                return self._error(args, "cannotDisseminateFormat", "only oai_dc"), None
            query, offset = args, 0
        matching = [
            r
            for r in self.records
            if (not query.get("from") or r.datestamp >= query["from"][:10])
            and (not query.get("until") or r.datestamp <= query["until"][:10])
            and (not query.get("set") or query["set"] in r.sets)
        ]
        if not matching:
            return self._error(args, "noRecordsMatch", "nothing matches"), None
        page_records = matching[offset : offset + self.page_size]
        page = offset // self.page_size + 1
        items = "".join(
            self._record(r) if verb == "ListRecords" else self._header(r) for r in page_records
        )
        following = offset + self.page_size
        if following < len(matching):
            token = uuid.uuid4().hex
            self._tokens[token] = (query, following)
            items += (
                f'<resumptionToken completeListSize="{len(matching)}" cursor="{offset}">'
                f"{token}</resumptionToken>"
            )
        elif offset:
            items += f'<resumptionToken completeListSize="{len(matching)}" cursor="{offset}"/>'
        return self._envelope(args, f"<{verb}>{items}</{verb}>"), page

    def _header(self, record: OaiRecord) -> str:
        status = ' status="deleted"' if record.deleted else ""
        sets = "".join(f"<setSpec>{escape(s)}</setSpec>" for s in record.sets)
        return (
            f"<header{status}><identifier>{escape(record.identifier)}</identifier>"
            f"<datestamp>{record.datestamp}</datestamp>{sets}</header>"
        )

    def _record(self, record: OaiRecord) -> str:
        if record.deleted:
            return f"<record>{self._header(record)}</record>"
        elements = "".join(
            f"<dc:{name}>{escape(value)}</dc:{name}>"
            for name in DC_ELEMENTS
            for value in record.dc.get(name, [])
        )
        return (
            f"<record>{self._header(record)}<metadata>"
            '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"{elements}</oai_dc:dc></metadata></record>"
        )
