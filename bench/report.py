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
