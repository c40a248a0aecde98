"""The secretariat's and the members' pages at scale, in process (Django's test client,
signed in with ``force_login``): every admin list and the change page of its busiest row,
opened by the staff of one secretariat and by a superuser; searches, filters, sorting and
the last page of the publications list; the member workspace of an institute with many
publications; the sitemap, the feeds, the forum page with the most meetings and the
meetings calendar; and the catalogue's first answer after a staff member saves a
publication. Per page: the queries of one request, the median and p95 server time.

The measuring runs in a process of its own (``python -m bench.staff``), so that its peak
memory (``staff_rss_mb``) is that of serving these pages, not of building the data set
or of the other parts.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, SCALES, Scale, environment

PAGE_MS, PAGE_QUERIES = 300, 25  # every page's targets, unless PUBLIC_MS names it
PUBLIC_MS = {"forum page": 150, "meetings.ics": 150}
COLD_MS = 300
MISSED_KEYS = ("who", "page", "url", "status", "p95_ms", "queries", "target_ms")
ADMIN_WORD = "Asia"  # in most titles
NO_MATCH_WORD = "zzqxnomatch"
# Change pages that show child rows without an inline for them: the busiest row is the
# one with the most of these.
CHILDREN = {"secretariat.circulation": ["deliveries"]}


def staff_run(*, scale: Scale, log=print) -> dict:
    """Builds the staff data if needed, then measures in a process of its own."""
    from bench.staff_data import staff_dataset_ensure

    dataset = staff_dataset_ensure(scale=scale, log=log)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "staff.json"
        run = subprocess.run(
            [sys.executable, "-m", "bench.staff", "--scale", scale.name, "--out", str(out)],
            cwd=ROOT,
            env={**os.environ, **environment()},
            check=False,
        )
        if run.returncode != 0 or not out.exists():
            raise RuntimeError(f"the staff measurements failed (exit code {run.returncode})")
        results = json.loads(out.read_text())
    results["staff_dataset"] = dataset
    return results


def page_measure(*, client, url: str, runs: int, warmups: int = 1) -> dict:
    """``warmups`` requests, then ``runs`` timed; the queries of the first timed one are
    counted (recording them costs microseconds a query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.catalogue import percentile

    started = time.perf_counter()
    for _ in range(warmups):
        client.get(url)
    first = time.perf_counter() - started
    times = []
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    queries = len(captured.captured_queries)  # the next request clears the log
    if response.status_code != 200:
        return {"url": url, "status": response.status_code}
    for _ in range(runs - 1):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "url": url,
        "status": response.status_code,
        "queries": queries,
        "first_ms": round((first if warmups else times[0]) * 1000, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "kb": round(len(body) / 1024, 1),
    }


def _busiest(model_admin, request) -> int | None:
    """The pk of the row of the user's admin list with the most inline (or child) rows;
    the newest row where the change page has none."""
    from django.db.models import Count, F
    from django.forms.models import _get_foreign_key

    from bench.staff_data import CIRCULATION_SUBJECT

    model = model_admin.model
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    rows = model._default_manager.filter(pk__in=model_admin.get_queryset(request).values("pk"))
    if label == "secretariat.circulation":
        # The circulation part of the bench adds one of 10,000 on every run; the staff
        # data's are the same size on every run.
        rows = rows.filter(subject__startswith=CIRCULATION_SUBJECT)
    relations = list(CHILDREN.get(label, []))
    for inline in model_admin.inlines:
        try:
            fk = _get_foreign_key(model, inline.model, fk_name=getattr(inline, "fk_name", None))
        except ValueError:
            continue
        relations.append(fk.related_query_name())
    if not relations:
        return rows.order_by("-pk").values_list("pk", flat=True).first()
    counts = {f"n{i}": Count(name, distinct=True) for i, name in enumerate(relations)}
    total = sum((F(name) for name in counts), start=0)
    ordered = rows.annotate(**counts).annotate(children=total).order_by("-children", "-pk")
    return ordered.values_list("pk", flat=True).first()


def admin_pages(*, user) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, url) of the admin's index, every registered model's list and the change
    page of its busiest row, for the models the user may see; and the names of the lists
    the user may not open."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/admin/")
    request.user = user
    pages, forbidden = [("admin index", reverse("admin:index"))], []
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower
    ):
        opts = model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        if not model_admin.has_view_or_change_permission(request):
            forbidden.append(f"{opts.label_lower} list")
            continue
        pages.append((f"{opts.label_lower} list", reverse(f"admin:{name}_changelist")))
        pk = _busiest(model_admin, request)
        if pk is not None:
            pages.append((f"{opts.label_lower} change", reverse(f"admin:{name}_change", args=[pk])))
    return pages, forbidden


def publication_list_pages(*, user) -> list[tuple[str, str]]:
    """The admin's publications list: as it opens, searched, filtered, sorted, last page."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    from publications.models import Publication

    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[Publication]
    count = model_admin.get_queryset(request).count()
    last = max(1, -(-count // model_admin.list_per_page))
    base = reverse("admin:publications_publication_changelist")
    return [
        ("publications list", base),
        (f"publications searched {ADMIN_WORD!r}", f"{base}?q={ADMIN_WORD}"),
        ("publications searched, no match", f"{base}?q={NO_MATCH_WORD}"),
        ("publications, two filters", f"{base}?kind__exact=article&language__exact=ru"),
        ("publications by title", f"{base}?o=1"),
        (f"publications last page ({last})", f"{base}?p={last}"),
    ]


def _most_logged_publication() -> int | None:
    """The publication with the most rows in the admin's history (LogEntry)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from publications.models import Publication

    most = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Publication))
        .values("object_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "object_id")
        .first()
    )
    return int(most["object_id"]) if most else None


def _peak_rss_mb() -> float:
    """This process's own peak (VmHWM). Not ``getrusage``'s ``ru_maxrss``: Linux carries
    that over from the process that started this one (the bench's, after it built the
    data set), so it reported the parent's 268 MB before a page was served."""
    from bench import rss_peak_mb

    return round(rss_peak_mb(os.getpid()), 1)


def _forum_and_institute():
    from bench.staff_data import INSTITUTE_SLUG
    from members.models import Institute
    from publications.demo.services import CICA_FORUM, demo_forums

    return demo_forums()[CICA_FORUM], Institute.objects.get(slug=INSTITUTE_SLUG)


def catalogue_after_save(*, client, runs: int, log) -> dict:
    """A staff member saves a publication through the admin's form, then the catalogue is
    searched for a common word by an anonymous visitor: the first request after a change,
    with nothing of the catalogue's in the cache for the new generation."""
    from urllib.parse import urlencode

    from django.test import Client
    from django.urls import reverse

    from bench.catalogue import COMMON_WORD, percentile
    from publications.enums import PublicationStatus
    from publications.models import Publication
    from tests.html import form_data, page

    forum, _ = _forum_and_institute()
    publication = (
        Publication.objects.filter(forum=forum, status=PublicationStatus.APPROVED)
        .order_by("pk")
        .first()
    )
    change = reverse("admin:publications_publication_change", args=[publication.pk])
    catalogue = f"{reverse('publications:catalogue')}?{urlencode({'q': COMMON_WORD})}"
    visitor = Client(HTTP_HOST="127.0.0.1")
    original = publication.title
    saves, colds = [], []
    for n in range(runs + 1):
        data = form_data(page(client.get(change)), "#publication_form")
        data["title"] = [original if n % 2 else f"{original} (revised)"]
        started = time.perf_counter()
        response = client.post(change, data)
        saved = time.perf_counter() - started
        if response.status_code != 302:
            log(f"  the admin did not save the publication: {response.status_code}")
            return {"status": response.status_code}
        started = time.perf_counter()
        response = visitor.get(catalogue)
        cold = time.perf_counter() - started
        assert response.status_code == 200, (catalogue, response.status_code)
        if n:  # the first pair loads what any first save and search need
            saves.append(saved)
            colds.append(cold)
    if runs % 2 == 0:
        Publication.objects.filter(pk=publication.pk).update(title=original)
    return {
        "status": 200,
        "url": catalogue,
        "save_p50_ms": round(statistics.median(saves) * 1000, 1),
        "save_p95_ms": round(percentile(saves, 0.95) * 1000, 1),
        "p50_ms": round(statistics.median(colds) * 1000, 1),
        "p95_ms": round(percentile(colds, 0.95) * 1000, 1),
    }


def staff_measure(*, scale: Scale, log=print) -> dict:
    from django.test import Client
    from django.urls import reverse

    from bench.staff_data import staff_scale, users_ensure

    runs, warmups = staff_scale(scale).runs, staff_scale(scale).warmups
    users = users_ensure()
    forum, _ = _forum_and_institute()

    def client_for(user=None) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.force_login(user)
        return client

    plan: list[tuple[str, str, str]] = []  # (who, page, url)
    not_allowed = []
    logged = _most_logged_publication()
    for who in ("staff", "superuser"):
        pages, forbidden = admin_pages(user=users[who])
        pages += publication_list_pages(user=users[who])
        plan += [(who, name, url) for name, url in pages]
        not_allowed += [{"who": who, "page": name, "status": 403} for name in forbidden]
        plan.append(
            (
                who,
                "circulations searched by address",
                reverse("admin:secretariat_circulation_changelist") + "?q=@bench-institute-7.",
            )
        )
        if logged is not None:
            history = reverse("admin:publications_publication_history", args=[logged])
            plan.append((who, "publication history (most edited)", history))
    plan += [
        ("member", "member dashboard", reverse("workspace:dashboard")),
        ("member", "member submissions", reverse("workspace:publication_list")),
        ("anonymous", "sitemap index", reverse("sitemap")),
        ("anonymous", "sitemap section", reverse("sitemap") + "?section=publications"),
        ("anonymous", "catalogue feed", reverse("publications:feed")),
        ("anonymous", "forum feed", reverse("publications:forum_feed", args=[forum.slug])),
        ("anonymous", "forum page", reverse("forums:detail", args=[forum.slug])),
        ("anonymous", "meetings.ics", reverse("actionplans:meetings_ics")),
    ]
    clients = {
        "staff": client_for(users["staff"]),
        "superuser": client_for(users["superuser"]),
        "member": client_for(users["member"]),
        "anonymous": client_for(),
    }
    clients["anonymous"].get(reverse("home"))  # import and compile, then freeze it
    gc.collect()
    gc.freeze()  # as portal/wsgi.py does in the web server
    pages = []
    for who, name, url in plan:
        figures = {
            "who": who,
            "page": name,
            **page_measure(client=clients[who], url=url, runs=runs, warmups=warmups),
        }
        figures["target_ms"] = PUBLIC_MS.get(name, PAGE_MS)
        figures["peak_rss_mb"] = _peak_rss_mb()  # so far: which page raised it
        if figures["status"] == 200:
            figures["ok"] = (
                figures["p95_ms"] <= figures["target_ms"] and figures["queries"] <= PAGE_QUERIES
            )
            log(
                f"  {who:<9} {name:<44} p95 {figures['p95_ms']:>7.1f} ms  "
                f"{figures['queries']:>3} queries{'' if figures['ok'] else '  MISSED'}"
            )
        pages.append(figures)
    cold = catalogue_after_save(client=clients["staff"], runs=runs, log=log)
    if cold["status"] == 200:
        log(
            f"  catalogue after a staff save: p95 {cold['p95_ms']:.1f} ms "
            f"(the save itself p95 {cold['save_p95_ms']:.1f} ms)"
        )
    return summary(pages=pages, cold=cold, not_allowed=not_allowed)


def summary(*, pages: list[dict], cold: dict, not_allowed: list[dict]) -> dict:
    measured = [p for p in pages if p["status"] == 200]
    signed_in = [p for p in measured if p["who"] != "anonymous"]
    errors = [p for p in pages if p["status"] >= 500]
    missed = [p for p in measured if not p["ok"]] + errors
    if cold["status"] == 200 and cold["p95_ms"] > COLD_MS:
        missed.append({"who": "anonymous", "page": "catalogue after a staff save", **cold})

    def p95_of(*names: str) -> float:
        return max((p["p95_ms"] for p in measured if p["page"] in names), default=-1.0)

    return {
        "staff_p95_ms": max(p["p95_ms"] for p in signed_in),
        "staff_max_queries": max(p["queries"] for p in signed_in),
        "staff_pages_missed": len(missed),
        "sitemap_page_ms": p95_of("sitemap index", "sitemap section"),
        "forum_page_ms": p95_of("forum page"),
        "meetings_ics_ms": p95_of("meetings.ics"),
        "catalogue_cold_p95_ms": cold.get("p95_ms", -1.0),
        "staff_rss_mb": _peak_rss_mb(),
        "staff_missed": [
            {
                k: p.get(k)
                for k in ("who", "page", "url", "status", "p95_ms", "queries", "target_ms")
            }
            for p in missed
        ],
        "staff_errors": errors,
        "staff_not_allowed": not_allowed
        + [
            {"who": p["who"], "page": p["page"], "status": p["status"]}
            for p in pages
            if p["status"] != 200 and p["status"] < 500
        ],
        "staff_pages": pages,
        "staff_catalogue_after_save": cold,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.staff")
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import bench

    bench.configure()
    results = staff_measure(scale=SCALES[args.scale], log=lambda line: print(line, flush=True))
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
