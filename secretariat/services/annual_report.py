"""Making the rows of the forums' annual reports, whose PDFs the workers render
(docs/adr/0016). Nothing here renders: a new row asks for its render after commit, and
``documents_refresh`` keeps every row's PDF in step with the data from then on."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from documents.services import document_render_enqueue
from forums.models import Forum
from secretariat.annual_report import annual_report_years
from secretariat.models import AnnualReport


def annual_reports_prepare(*, forum: Forum, by: User | None = None) -> list[AnnualReport]:
    """Makes the forum's missing annual reports: one row per year it has a report for
    (``annual_report_years``) and per language of the portal, each rendered by a worker
    once the transaction commits. Rows already there are left as they are. Safe to run
    twice (the rows are unique per forum, year and language); returns the rows it made."""
    made = []
    with transaction.atomic():
        for year in annual_report_years(forum=forum):
            for language, _name in settings.LANGUAGES:
                document, created = AnnualReport.objects.get_or_create(
                    forum=forum,
                    year=year,
                    language=language,
                    defaults={"created_by": by, "updated_by": by},
                )
                if created:
                    document_render_enqueue(document=document)
                    made.append(document)
    return made


def annual_reports_prepare_all() -> int:
    """``annual_reports_prepare`` for every forum (a new year, or a forum's first data,
    adds rows); returns how many rows it made."""
    return sum(len(annual_reports_prepare(forum=forum)) for forum in Forum.objects.order_by("pk"))
