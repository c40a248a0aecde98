"""The whole-search export over HTTP: the whole catalogue downloaded in each format from
gunicorn (one sync worker) on loopback, read as it streams; the time of each, the CPU
time the worker spent on it, and the worker's peak memory while it served them.

The worker runs with a long timeout so that a slow download is measured to its end; each
result says whether it stayed within the image's 30 s (gunicorn's default), past which
production would cut it. A file that ends early shows as missing records."""

import http.client
import time
from pathlib import Path

from bench import Scale, rss_peak_mb
from bench.load import HOST, Gunicorn

PRODUCTION_TIMEOUT_S = 30

# name, address, what starts each record (counted to check the file is whole), gzip
DOWNLOADS = (
    ("bibtex", "/publications/export.bib", b"\n@", False),
    ("ris", "/publications/export.ris", b"ER  - ", False),
    ("csl-json", "/publications/export.json", b'\n{"id": ', False),
    ("csv", "/publications/export.csv", b"\r\n", False),
    ("bibtex-gzip", "/publications/export.bib", b"", True),
)
READ = 1 << 16


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (utime + stime), in seconds."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def download(*, port: int, path: str, marker: bytes, gzip: bool) -> dict:
    """GETs ``path`` and reads it to the end, counting ``marker`` (across reads too)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    headers = {"Host": HOST, **({"Accept-Encoding": "gzip"} if gzip else {})}
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first = time.perf_counter() - started
        size, found, tail = 0, 0, b"\n"  # a file's first record follows no newline
        status = response.status
        while True:
            try:
                block = response.read(READ)
            except http.client.IncompleteRead:
                status = 0  # the server closed the stream before its end
                break
            if not block:
                break
            size += len(block)
            if marker:
                found += (tail + block).count(marker)
                tail = block[-(len(marker) - 1) :] if len(marker) > 1 else b""
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    return {
        "status": status,
        "seconds": round(seconds, 2),
        "within_timeout": seconds < PRODUCTION_TIMEOUT_S,
        "first_byte_ms": round(first * 1000, 1),
        "mb": round(size / 1e6, 1),
        "records": found,
    }


def export_run(*, scale: Scale, log=print) -> dict:
    from publications.selectors import public_publications

    expected = public_publications().count()
    server = Gunicorn(workers=1)
    server.args.append("--timeout=600")
    server.start()
    try:
        results = {}
        for name, path, marker, gzip in DOWNLOADS:
            [worker] = server.worker_pids()
            cpu = cpu_seconds(worker)
            result = download(port=server.port, path=path, marker=marker, gzip=gzip)
            result["worker_cpu_s"] = round(cpu_seconds(worker) - cpu, 2)
            if name == "csv":
                result["records"] -= 1  # the header's line end
            results[name] = result
            log(
                f"  {name:<12} {result['seconds']:>6.1f} s  (worker CPU "
                f"{result['worker_cpu_s']:>5.1f} s)  first byte "
                f"{result['first_byte_ms']:>6.1f} ms  {result['mb']:>6.1f} MB  "
                f"{result['records']:>6} records"
            )
        rss = max((rss_peak_mb(pid) for pid in server.worker_pids()), default=0.0)
    finally:
        server.stop()
    whole = {
        name: r["status"] == 200 and r["records"] == expected
        for name, r in results.items()
        if name != "bibtex-gzip"
    }
    return {
        "export_100k_s": max(r["seconds"] for r in results.values()),
        "export_cpu_s": max(r["worker_cpu_s"] for r in results.values()),
        "export_rss_mb": round(rss, 1),
        "export_detail": {"publications": expected, "downloads": results, "whole": whole},
    }
