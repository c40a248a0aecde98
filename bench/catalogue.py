"""The catalogue page, in process: server time per case (the whole request through
Django's test client: middleware, the selector's queries, the template) with the
whole-page cache off, the number of queries, and the floor, the same SQL replayed directly
on a cursor; then the same page from the whole-page cache, as anonymous visitors get it."""

import gc
import statistics
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench import Scale
from publications.selectors import catalogue_search

COMMON_WORD = "research"  # in about three quarters of the rows
PER_PAGE = 20
WARMUP = 3


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def cases(*, scale: Scale) -> dict[str, dict]:
    """The catalogue parameters of each case, chosen from the data set."""
    from publications.demo import demo_marker
    from publications.demo.services import CICA_FORUM
    from publications.models import Publication

    cica = Publication.objects.filter(forum__slug=CICA_FORUM).values_list("forum_id", flat=True)
    rare_number = scale.publications // 2 + 7
    return {
        "first_page": {},
        "three_facets": {"forum": cica.first(), "kind": "article", "language": "ru"},
        "search_common": {"q": COMMON_WORD},
        "search_rare": {"q": demo_marker(rare_number)},
        "deep_page": {"page": int(scale.publications * 0.9) // PER_PAGE},
    }


def _replay(queries: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter() - started


def case_measure(*, client: Client, url: str, runs: int) -> dict:
    cache.clear()  # the first request counts what later ones find in the cache
    started = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    captured_queries = list(captured.captured_queries)  # the next request clears the log
    queries = [q["sql"] for q in captured_queries]
    page_times, floor_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        page_times.append(time.perf_counter() - started)
        floor_times.append(_replay(queries))
    page_median = statistics.median(page_times)
    floor_median = statistics.median(floor_times)
    slowest = max(captured_queries, key=lambda q: float(q["time"]))
    return {
        "url": url,
        "queries": len(queries),
        "p50_ms": round(page_median * 1000, 2),
        "p95_ms": round(percentile(page_times, 0.95) * 1000, 2),
        "cold_ms": round(cold * 1000, 2),
        "floor_ms": round(floor_median * 1000, 2),
        "floor_ratio": round(page_median / floor_median, 2) if floor_median else 0.0,
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 2),
        "slowest_query": slowest["sql"],
    }


def page_cache_measure(*, client: Client, url: str, runs: int) -> dict:
    """The same page for an anonymous visitor once it is in the whole-page cache."""
    client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.context is None, "not from the cache"
    return {
        "page_cache_p50_ms": round(statistics.median(times) * 1000, 2),
        "page_cache_p95_ms": round(percentile(times, 0.95) * 1000, 2),
    }


def catalogue_run(*, scale: Scale, log=print) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    base = reverse("publications:catalogue")
    client.get(base)  # import and compile what a request needs, then freeze it
    gc.collect()
    gc.freeze()  # as portal/wsgi.py does in the web server
    results = {}
    for name, params in cases(scale=scale).items():
        url = f"{base}?{urlencode(params)}" if params else base
        # The figures are for the page as computed (what a signed-in visitor, or the first
        # anonymous one after a change, waits for); anonymous visitors' whole-page cache
        # is measured beside it and, under load, by bench/load.py.
        with override_settings(CATALOGUE_PAGE_CACHE=False):
            results[name] = case_measure(client=client, url=url, runs=scale.catalogue_runs)
        results[name].update(page_cache_measure(client=client, url=url, runs=scale.catalogue_runs))
        results[name]["results"] = catalogue_search(data=QueryDict(urlencode(params))).total
        r = results[name]
        log(
            f"  {name:<14} p95 {r['p95_ms']:>7.1f} ms  floor {r['floor_ms']:>6.1f} ms  "
            f"{r['queries']} queries  {r['results']:>6} results  (uncached {r['cold_ms']:.0f} ms, "
            f"page cache p95 {r['page_cache_p95_ms']:.1f} ms)"
        )
    return {
        "catalogue_p95_ms": max(r["p95_ms"] for r in results.values()),
        "catalogue_max_queries": max(r["queries"] for r in results.values()),
        "catalogue_floor_ratio": max(r["floor_ratio"] for r in results.values()),
        "catalogue_cases": results,
    }
