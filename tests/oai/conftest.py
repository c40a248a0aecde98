"""Every answer the OAI tests get is validated against the protocol's XML schemas and
those of both metadata formats (tests/oai/schemas, see its README): the envelope against
OAI-PMH.xsd, each record's metadata against oai_dc.xsd or mods-3-7.xsd."""

from pathlib import Path

import pytest
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {
    "o": OAI,
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "mods": "http://www.loc.gov/mods/v3",
}


def _schema(*imports: tuple[str, str]) -> etree.XMLSchema:
    """One schema document importing the given (namespace, file) pairs, so that lxml
    resolves each file's own imports from the folder, never from the network."""
    lines = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{name}"/>'
        for namespace, name in imports
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.XML(driver.encode(), parser, base_url=str(SCHEMAS) + "/"))


ENVELOPE = _schema((OAI, "OAI-PMH.xsd"))
METADATA = _schema((NS["oai_dc"], "oai_dc.xsd"), (NS["mods"], "mods-3-7.xsd"))


def validated(body: bytes) -> etree._Element:
    """The parsed answer, once it has passed every schema; fails the test otherwise."""
    root = etree.fromstring(body)
    assert ENVELOPE.validate(root), [str(e) for e in ENVELOPE.error_log]
    for metadata in root.iterfind(".//o:metadata/*", NS):
        document = etree.fromstring(etree.tostring(metadata))
        assert METADATA.validate(document), [str(e) for e in METADATA.error_log]
    return root


@pytest.fixture
def oai(client):
    """``oai(verb=..., **arguments)``: GET /oai/ (or ``method="post"``, ``path="/oai"``),
    checked to be HTTP 200 text/xml and valid; returns the parsed answer."""

    def ask(*, method: str = "get", path: str = "/oai/", **params: str) -> etree._Element:
        params = {key.rstrip("_"): value for key, value in params.items()}
        response = getattr(client, method)(path, params)
        assert (response.status_code, response["Content-Type"]) == (200, "text/xml; charset=utf-8")
        return validated(response.content)

    return ask


def error_of(root: etree._Element) -> tuple[str, str]:
    error = root.find("o:error", NS)
    return (error.get("code"), error.text) if error is not None else ("", "")


def texts(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.iterfind(path, NS)]
