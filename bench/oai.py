"""An OAI-PMH harvest of the whole catalogue over HTTP, as an aggregator makes it: gunicorn
(one sync worker, so pages are timed one at a time as a harvester asks them) on loopback,
ListRecords in oai_dc from the first page to the last by resumption token. Every page's
wall time is recorded; the figures are the p95 page time and the depth ratio, the median
of the deepest tenth of pages over the median of the first tenth (keyset paging keeps it
near 1; OFFSET paging would make it grow with the depth)."""

import http.client
import re
import statistics
import time
from urllib.parse import urlencode

from bench import Scale
from bench.catalogue import percentile
from bench.load import HOST, Gunicorn

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
RECORD = re.compile(rb"<record>")
DELETED = re.compile(rb'<header status="deleted">')


def _page(connection: http.client.HTTPConnection, query: dict[str, str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    connection.request("GET", "/oai/?" + urlencode(query), headers={"Host": HOST})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    assert response.status == 200, (response.status, body[:500])
    assert b"<error" not in body, body[:1000]
    return elapsed, body


def oai_run(*, scale: Scale, log=print) -> dict:
    from django.conf import settings

    from publications.models import Publication

    expected = Publication.objects.filter(public_changed_at__isnull=False).count()
    server = Gunicorn(workers=1).start()
    times: list[float] = []
    records = deleted = 0
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
        query = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        _page(connection, query)  # the worker's imports and translations, warm
        while True:
            elapsed, body = _page(connection, query)
            times.append(elapsed)
            records += len(RECORD.findall(body))
            deleted += len(DELETED.findall(body))
            token = TOKEN.search(body)
            if token is None:
                break
            query = {"verb": "ListRecords", "resumptionToken": token.group(1).decode()}
            if len(times) % 200 == 0:
                log(f"  {records} records, {len(times)} pages")
        connection.close()
    finally:
        server.stop()
    total = time.perf_counter() - started
    tenth = max(1, len(times) // 10)
    first, deepest = times[:tenth], times[-tenth:]
    ratio = statistics.median(deepest) / statistics.median(first)
    p95 = percentile(times, 0.95) * 1000
    log(
        f"  {records} records ({deleted} deleted) in {len(times)} pages of "
        f"{settings.OAI_PAGE_SIZE}, {total:.0f} s; page p95 {p95:.0f} ms; deep/first {ratio:.2f}"
    )
    assert records == expected, (records, expected)
    return {
        "oai_listrecords_page_ms": round(p95, 1),
        "oai_deep_page_ratio": round(ratio, 2),
        "oai_detail": {
            "records": records,
            "deleted": deleted,
            "pages": len(times),
            "page_size": settings.OAI_PAGE_SIZE,
            "harvest_s": round(total, 1),
            "page_median_ms": round(statistics.median(times) * 1000, 1),
            "page_max_ms": round(max(times) * 1000, 1),
            "first_tenth_median_ms": round(statistics.median(first) * 1000, 1),
            "deepest_tenth_median_ms": round(statistics.median(deepest) * 1000, 1),
        },
    }
