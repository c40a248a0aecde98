"""gunicorn with 2 sync workers on loopback, under load from a small generator written
here (threads and the standard library's ``http.client``; no extra package): first a
trivial view (``/healthz``, the ceiling), then a mix of catalogue and publication pages.
Only 127.0.0.1 is ever contacted; every phase is bounded in time and in requests."""

import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from bench import ROOT, Scale, children_of, environment, rss_peak_mb
from bench.catalogue import COMMON_WORD, percentile

THREADS = 8
MAX_REQUESTS = 200_000
HOST = "127.0.0.1"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, *, workers: int = 2):
        self.port = _free_port()
        self.args = [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            f"--workers={workers}",
            f"--bind={HOST}:{self.port}",
            "--log-level=warning",
        ]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "Gunicorn":
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env={**os.environ, **environment()}, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if _get(self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _get(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def hammer(*, port: int, paths: list[str], seconds: float) -> dict:
    """GETs random paths from THREADS threads for ``seconds`` (or MAX_REQUESTS)."""
    latencies: list[float] = []
    errors = [0]
    # What each failure was: a status code, or the client's exception.
    kinds: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(seed: int) -> None:
        rng = random.Random(seed)
        mine, failed, what = [], 0, Counter[str]()
        while time.monotonic() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            started = time.perf_counter()
            path = rng.choice(paths)
            try:
                status, _ = _get(port, path)
                if status != 200:
                    failed += 1
                    what[f"{status} {path}"] += 1
            except OSError as error:
                failed += 1
                what[f"{type(error).__name__}: {error}"] += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed
            kinds.update(what)

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1) if latencies else 0.0,
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1) if latencies else 0.0,
        "errors": errors[0],
        "error_kinds": dict(kinds.most_common(10)),
    }


def page_paths(*, scale: Scale) -> list[str]:
    """Catalogue states and publication pages, half and half."""
    from django.urls import reverse

    from publications.selectors import public_publications

    base = reverse("publications:catalogue")
    catalogue = [base] + [
        f"{base}?{urlencode(params)}"
        for params in (
            {"page": 2},
            {"page": min(50, scale.publications // 20)},
            {"kind": "article"},
            {"language": "ru", "kind": "policy_brief"},
            {"q": COMMON_WORD},
            {"q": "energy security"},
            {"sort": "title"},
        )
    ]
    # Public ones only: the staff part leaves drafts in a kept database, whose pages are
    # (rightly) not found, and a random pick of one counted as an error of the load.
    slugs = list(
        public_publications()
        .filter(is_synthetic=True)
        .order_by("?")
        .values_list("slug", flat=True)[: len(catalogue) * 10]
    )
    details = [reverse("publications:detail", kwargs={"slug": slug}) for slug in slugs]
    return catalogue * 10 + details


def load_run(*, scale: Scale, log=print) -> dict:
    from django.core.cache import cache

    cache.clear()  # every page is computed once in this run, none inherited from another
    paths = page_paths(scale=scale)
    server = Gunicorn(workers=2).start()
    try:
        for path in paths[:: max(1, len(paths) // 20)]:
            _get(server.port, path)  # warm both workers' imports and templates
        trivial = hammer(port=server.port, paths=["/healthz"], seconds=scale.load_seconds)
        log(f"  /healthz      {trivial['rps']:>7.1f} req/s  p95 {trivial['p95_ms']} ms")
        pages = hammer(port=server.port, paths=paths, seconds=scale.load_seconds)
        log(
            f"  pages         {pages['rps']:>7.1f} req/s  p95 {pages['p95_ms']} ms  "
            f"{pages['errors']} errors"
        )
        web_rss = max((rss_peak_mb(pid) for pid in server.worker_pids()), default=0.0)
    finally:
        server.stop()
    return {
        "load_rps": pages["rps"],
        "load_p95_ms": pages["p95_ms"],
        "load_errors": pages["errors"] + trivial["errors"],
        "load_ceiling_ratio": round(pages["rps"] / trivial["rps"], 3) if trivial["rps"] else 0.0,
        "web_rss_mb": round(web_rss, 1),
        "load_detail": {"threads": THREADS, "trivial": trivial, "pages": pages},
    }
