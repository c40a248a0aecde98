"""The table printed at the end and the JSON written to BENCH_OUT."""

import json
from pathlib import Path

# key, label, unit, target at full scale (comparison, value) or None
FIGURES = (
    ("catalogue_p95_ms", "catalogue p95 (worst case)", "ms", ("<=", 50)),
    ("catalogue_max_queries", "catalogue queries (most)", "", ("<=", 8)),
    ("catalogue_floor_ratio", "catalogue page / its SQL", "×", ("<=", 2)),
    ("load_rps", "load: pages served", "req/s", None),
    ("load_p95_ms", "load: p95 latency", "ms", None),
    ("load_errors", "load: errors", "", ("<=", 0)),
    ("load_ceiling_ratio", "load: pages / /healthz rate", "×", (">=", 0.25)),
    ("pdf_statement_s", "PDF joint statement", "s", ("<=", 1)),
    ("pdf_actionplan_s", "PDF action plan", "s", None),
    ("pdf_weasyprint_ratio", "PDF ours / WeasyPrint alone", "×", ("<=", 1.2)),
    ("circulation_1000_s", "1,000 e-mails delivered", "s", ("<=", 30)),
    ("circulation_10000_s", "10,000 e-mails delivered", "s", ("<=", 120)),
    ("web_rss_mb", "peak RSS, gunicorn worker", "MB", ("<=", 200)),
    ("worker_rss_mb", "peak RSS, Celery pool process", "MB", None),
    ("staff_p95_ms", "staff pages p95 (worst)", "ms", ("<=", 300)),
    ("staff_max_queries", "staff pages queries (most)", "", ("<=", 25)),
    ("staff_pages_missed", "staff section: pages missed", "", ("<=", 0)),
    ("sitemap_page_ms", "sitemap p95 (index, section)", "ms", ("<=", 300)),
    ("forum_page_ms", "forum page p95 (most meetings)", "ms", ("<=", 150)),
    ("meetings_ics_ms", "meetings.ics p95", "ms", ("<=", 150)),
    ("catalogue_cold_p95_ms", "catalogue after a staff save", "ms", ("<=", 300)),
    ("staff_rss_mb", "peak RSS, staff pages process", "MB", ("<=", 200)),
    ("oai_listrecords_page_ms", "OAI ListRecords page p95", "ms", ("<=", 150)),
    ("oai_deep_page_ratio", "OAI deepest / first pages", "×", ("<=", 2)),
    ("export_100k_s", "export of the catalogue (slowest)", "s", ("<=", 20)),
    ("export_cpu_s", "export: worker CPU (slowest)", "s", None),
    ("export_rss_mb", "peak RSS, web worker exporting", "MB", ("<=", 200)),
)


def _met(value: float, target) -> str:
    if target is None:
        return ""
    op, limit = target
    ok = value <= limit if op == "<=" else value >= limit
    return "ok" if ok else "MISSED"


def table(results: dict) -> str:
    lines = [f"{'figure':<32} {'value':>10}  {'unit':<6} {'target':<8} ", "-" * 66]
    for key, label, unit, target in FIGURES:
        if key not in results:
            continue
        value = results[key]
        goal = f"{target[0]} {target[1]}" if target else ""
        lines.append(f"{label:<32} {value:>10}  {unit:<6} {goal:<8} {_met(value, target)}".rstrip())
    return "\n".join(lines)


def write(results: dict, path: str) -> Path:
    out = Path(path)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return out
