"""The benchmarks (``bench/``) end to end at the tiny scale: every part runs against real
PostgreSQL, Redis, gunicorn, a Celery worker and the SMTP sink, and reports every figure
the README lists. Not a measurement: it keeps ``make bench`` from rotting."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
FIGURES = (
    "catalogue_p95_ms",
    "catalogue_max_queries",
    "catalogue_floor_ratio",
    "load_rps",
    "load_p95_ms",
    "load_errors",
    "load_ceiling_ratio",
    "pdf_statement_s",
    "pdf_actionplan_s",
    "pdf_weasyprint_ratio",
    "circulation_1000_s",
    "circulation_10000_s",
    "web_rss_mb",
    "worker_rss_mb",
    "staff_p95_ms",
    "staff_max_queries",
    "staff_pages_missed",
    "sitemap_page_ms",
    "forum_page_ms",
    "meetings_ics_ms",
    "catalogue_cold_p95_ms",
    "staff_rss_mb",
    "oai_listrecords_page_ms",
    "oai_deep_page_ratio",
    "export_100k_s",
    "export_cpu_s",
    "export_rss_mb",
)


def _bench_database_url() -> str:
    db = settings.DATABASES["default"]
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/portal_bench_smoke"


@pytest.mark.slow
@pytest.mark.worker
def test_every_benchmark_runs_and_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "CACHE_URL", "DATABASE_URL")
    }
    env.update(BENCH_DATABASE_URL=_bench_database_url(), BENCH_OUT=str(out))

    run = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "tiny"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(out.read_text())
    assert {key: type(results.get(key)) in (int, float) for key in FIGURES} == dict.fromkeys(
        FIGURES, True
    )
    assert results["scale"] == "tiny"
    assert results["dataset"]["publications"] == 300
    assert results["load_errors"] == 0, results["load_detail"]
    assert results["catalogue_max_queries"] <= 8
    assert set(results["catalogue_cases"]) == {
        "first_page",
        "three_facets",
        "search_common",
        "search_rare",
        "deep_page",
    }
    assert results["catalogue_cases"]["search_rare"]["results"] == 1
    assert (results["oai_detail"]["records"], results["oai_detail"]["pages"]) == (300, 3)
    detail = results["circulation_detail"]
    assert (detail["sent"], detail["accepted_by_sink"], detail["failed"]) == (150, 150, 0)
    assert [run["emails"] for run in detail["runs"]] == [50, 100]
    assert "catalogue p95 (worst case)" in run.stdout
    assert "staff pages p95 (worst)" in run.stdout
    assert results["staff_errors"] == []
    assert results["staff_pages_missed"] == len(results["staff_missed"])
    measured = {(p["who"], p["page"]) for p in results["staff_pages"] if p["status"] == 200}
    assert {
        ("staff", "publications.publication list"),
        ("staff", "secretariat.circulation change"),
        ("superuser", "forums.forum change"),
        ("superuser", "members.institute change"),
        ("superuser", "auth.user list"),
        ("staff", "circulations searched by address"),
        ("member", "member submissions"),
        ("anonymous", "meetings.ics"),
    } <= measured
    forbidden = {(p["who"], p["page"]) for p in results["staff_not_allowed"]}
    assert ("staff", "auth.user list") in forbidden
    assert results["staff_catalogue_after_save"]["status"] == 200
    assert results["export_detail"]["whole"] == {
        "bibtex": True,
        "ris": True,
        "csl-json": True,
        "csv": True,
    }
    dataset = results["staff_dataset"]
    assert (dataset["deliveries"], dataset["answers"], dataset["institute_publications"]) == (
        50,
        12,
        10,
    )
