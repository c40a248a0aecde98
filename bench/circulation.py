"""Circulating a concept paper to 1,000 addresses, then to 10,000: a real Celery worker (2
pool processes) on Redis sends through the outbox to the loopback SMTP sink the tests use
(``tests.smtp.SmtpSink``); each figure is the time from ``circulation_start`` until the
last delivery is recorded as sent, preparing the document included."""

import time

from bench import Scale, environment, rss_peak_mb
from tests.celery_worker import WorkerProcess

PDF = b"%PDF-1.4\n% benchmark concept paper\n%%EOF\n"
TIMEOUT_S = 300


TITLE = "Benchmark concept paper"


def _forget_earlier_runs() -> None:
    """Each run measures on its own: the circulations of earlier runs (and what a timed-out
    run left queued) are deleted, so the staff pages that list circulations and deliveries
    measure the staff data set, not how often the benchmark ran."""
    from secretariat.models import Circulation, ConceptPaper

    papers = ConceptPaper.objects.filter(title=TITLE)
    Circulation.objects.filter(paper__in=papers).delete()  # their deliveries with them
    papers.delete()


def _paper():
    from django.core.files.base import ContentFile

    from actionplans.models import Meeting
    from publications.demo.services import CICA_FORUM
    from secretariat.models import ConceptPaper

    meeting = Meeting.objects.filter(forum__slug=CICA_FORUM).order_by("pk").first()
    paper = ConceptPaper.objects.create(forum_id=meeting.forum_id, meeting=meeting, title=TITLE)
    paper.pdf.save("bench-concept-paper.pdf", ContentFile(PDF), save=False)
    paper.pdf_version = paper.version
    paper.save()
    return paper


def _circulate(*, emails: int, by, log) -> dict:
    """One circulation to ``emails`` addresses; the time until the last is recorded."""
    from secretariat.enums import DeliveryStatus
    from secretariat.recipients import Recipient
    from secretariat.services.circulation import circulation_progress, circulation_start

    paper = _paper()
    recipients = [
        Recipient(email=f"bench{n}@example.org", name=f"Recipient {n}", organisation="Bench")
        for n in range(emails)
    ]
    started = time.perf_counter()
    circulation = circulation_start(
        paper=paper, recipients=recipients, subject="Benchmark circulation", by=by
    )
    progress = circulation_progress(circulation=circulation)
    while progress[DeliveryStatus.SENT] + progress[DeliveryStatus.FAILED] < emails:
        if time.perf_counter() - started > TIMEOUT_S:
            break
        time.sleep(0.2)
        progress = circulation_progress(circulation=circulation)
    elapsed = time.perf_counter() - started
    log(f"  {emails} e-mails in {elapsed:.1f} s ({progress[DeliveryStatus.SENT]} sent)")
    return {
        "emails": emails,
        "seconds": round(elapsed, 2),
        "sent": progress[DeliveryStatus.SENT],
        "failed": progress[DeliveryStatus.FAILED],
        "timed_out": elapsed > TIMEOUT_S,
    }


def circulation_run(*, scale: Scale, log=print) -> dict:
    """A circulation of ``scale.emails`` addresses, then one of ``scale.big_emails``, on the
    same worker (2 pool processes); the peak memory of its processes over both."""
    from django.contrib.auth import get_user_model

    from portal.celery import app as celery_app
    from tests.smtp import SmtpSink

    _forget_earlier_runs()
    sink = SmtpSink().start()
    celery_app.control.purge()
    worker = WorkerProcess(
        name="bench", env={"EMAIL_URL": sink.url}, settings_env=environment()
    ).start()
    try:
        by, _ = get_user_model().objects.get_or_create(username="bench")
        runs = [_circulate(emails=n, by=by, log=log) for n in (scale.emails, scale.big_emails)]
        pool = worker.pids()[1:]
        worker_rss = max((rss_peak_mb(pid) for pid in pool), default=0.0)
        main_rss = rss_peak_mb(worker.process.pid)
    finally:
        worker.stop()
        sink.stop()
        celery_app.control.purge()
    accepted = len(sink.accepted)
    log(f"  {accepted} e-mails accepted by the sink in all")
    first, big = runs
    return {
        "circulation_1000_s": first["seconds"],
        "circulation_10000_s": big["seconds"],
        "worker_rss_mb": round(worker_rss, 1),
        "circulation_detail": {
            "runs": runs,
            "sent": first["sent"] + big["sent"],
            "failed": first["failed"] + big["failed"],
            "accepted_by_sink": accepted,
            "worker_main_rss_mb": round(main_rss, 1),
        },
    }
