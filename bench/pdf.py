"""PDF rendering of the seeded joint statement and action plan: our whole path
(``document_pdf_bytes``: load, template, WeasyPrint with our URL fetcher) against
WeasyPrint alone on the same final HTML."""

import statistics
import time

import weasyprint

from bench import Scale


def _median_s(render, runs: int) -> float:
    render()  # fonts and stylesheets loaded once, as in a long-running worker
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pdf_run(*, scale: Scale, log=print) -> dict:
    from actionplans.models import ActionPlan, JointStatement
    from documents import rendering
    from documents.enums import DocumentType
    from documents.services import document_load, document_pdf_bytes
    from secretariat.seeding import seed_forums

    seed_forums()
    documents = {
        "statement": (DocumentType.STATEMENT, JointStatement.objects.order_by("pk").first()),
        "actionplan": (DocumentType.ACTION_PLAN, ActionPlan.objects.order_by("pk").first()),
    }
    results, ratios = {}, []
    for name, (document_type, document) in documents.items():
        ours = _median_s(
            lambda t=document_type, d=document: document_pdf_bytes(document_type=t, object_id=d.pk),
            scale.pdf_runs,
        )
        html = rendering.document_html(
            document_type=document_type,
            document=document_load(document_type=document_type, object_id=document.pk),
        )
        alone = _median_s(
            lambda h=html: weasyprint.HTML(string=h, base_url=rendering.base_url()).write_pdf(
                pdf_variant="pdf/ua-1"
            ),
            scale.pdf_runs,
        )
        pages = len(weasyprint.HTML(string=html, base_url=rendering.base_url()).render().pages)
        results[name] = {
            "ours_s": round(ours, 3),
            "weasyprint_s": round(alone, 3),
            "pages": pages,
        }
        ratios.append(ours / alone)
        log(f"  {name:<11} {ours:.3f} s (WeasyPrint alone {alone:.3f} s, {pages} pages)")
    return {
        "pdf_statement_s": results["statement"]["ours_s"],
        "pdf_actionplan_s": results["actionplan"]["ours_s"],
        "pdf_weasyprint_ratio": round(max(ratios), 2),
        "pdf_documents": results,
    }
