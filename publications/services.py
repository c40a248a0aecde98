"""Writes to the catalogue: review decisions, the facet index, text extraction."""

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.files import public_copy_on_commit, save_with_file
from core.jobs import enqueue_on_commit
from core.pdf import pdf_read
from core.slugs import unique_slug
from core.urls import absolute_url
from core.workflow import TransitionNotAllowed, transition
from forums.models import Forum
from members.models import Institute
from members.notices import member_notice_queue
from members.rules import admitted_member_check
from publications.enums import PublicationStatus
from publications.models import CatalogueFacet, Publication
from publications.rules import is_open_to_its_members

logger = logging.getLogger(__name__)


def catalogue_index(*, publications: Iterable[Publication]) -> int:
    """Rewrites the facet rows of these publications: one row per facet value for each
    approved one, none for the others. A fixed number of queries whatever the count.
    Returns the number of rows written."""
    ids = [p.pk for p in publications]
    if not ids:
        return 0
    rows: list[CatalogueFacet] = []
    approved = (
        Publication.objects.filter(pk__in=ids, status=PublicationStatus.APPROVED)
        .only("pk", "forum_id", "kind", "language", "published_on")
        .prefetch_related("institutes", "themes")
    )
    for publication in approved:
        values = {
            ("forum", str(publication.forum_id)),
            ("kind", publication.kind),
            ("language", publication.language),
            ("year", str(publication.published_on.year)),
        }
        for institute in publication.institutes.all():
            values.add(("institute", str(institute.pk)))
            # django-stubs types a CountryField as str; django-countries reads it as a Country.
            values.add(("country", institute.country.code))  # type: ignore[attr-defined]
        values.update(("theme", str(theme.pk)) for theme in publication.themes.all())
        rows.extend(
            CatalogueFacet(publication_id=publication.pk, name=name, value=value)
            for name, value in values
        )
    with transaction.atomic():
        CatalogueFacet.objects.filter(publication_id__in=ids).delete()
        CatalogueFacet.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def publication_approve(*, publication: Publication, by: User | None) -> Publication:
    """Makes a submitted publication public: approved, reviewer recorded (None: approved
    as it was harvested, by the institute's registration), entered in the catalogue.
    Raises ``TransitionNotAllowed`` for any other status (one the member withdrew, one
    returned and not yet submitted again, one already approved)."""
    with transaction.atomic():
        publication = transition(
            publication,
            to=PublicationStatus.APPROVED,
            by=by,
            return_reason="",
            reviewed_by=by,
            reviewed_at=timezone.now(),
        )
        catalogue_index(publications=[publication])
        publication_public_copy(publication=publication)
        member_notice_queue(
            user=publication.submitted_by,
            template="publications/email/approved",
            context={
                "publication": publication,
                "link": absolute_url(
                    reverse("publications:detail", kwargs={"slug": publication.slug})
                ),
            },
        )
    return publication


def publication_public_copy(*, publication: Publication) -> None:
    """After commit, the approved publication's PDF gets its public copy (served by URL),
    and one no longer approved loses it (docs/adr/0010)."""
    public_copy_on_commit(
        Publication,
        pk=publication.pk,
        source="file",
        copy="public_file",
        public=lambda row: row.status == PublicationStatus.APPROVED,
    )


def pdf_text(data: bytes, *, max_pages: int | None = None) -> str:
    """The text layer of a PDF (``pdf_read``)."""
    return pdf_read(data, max_pages=max_pages)[0]


def publication_extract_text(*, publication: Publication) -> Publication:
    """Reads the attached PDF's text into ``extracted_text`` (the search trigger then
    indexes it) and its number of pages into ``page_count``. A publication without a
    file, or whose file cannot be read, gets empty text and no count."""
    text, pages = "", None
    if publication.file:
        with publication.file.open("rb") as handle:
            data = handle.read()
        try:
            text, pages = pdf_read(data)
        except ValueError:
            # Unreadable within the limits: the publication simply is not found by the
            # words of its file (uploads are checked first; this is the worker's guard).
            logger.warning("publication %s: no text from its PDF", publication.pk, exc_info=True)
    publication.extracted_text = text
    publication.page_count = pages
    publication.save(update_fields=["extracted_text", "page_count", "updated_at"])
    return publication


def publication_file_changed(*, publication: Publication) -> None:
    """A new PDF was attached: its text is extracted by a worker once this commits, and
    an approved publication's public copy follows it."""
    enqueue_on_commit("publications.extract_text", publication.pk)
    publication_public_copy(publication=publication)


# --- Member submissions ------------------------------------------------------------------

SUBMISSION_FIELDS = (
    "title",
    "subtitle",
    "authors",
    "forum",
    "kind",
    "language",
    "published_on",
    "abstract",
    "keywords",
    "url",
    "doi",
    "isbn",
)


class PublicationLocked(TransitionNotAllowed):
    """A member tried to change a publication that is approved or withdrawn."""


def _check_forum(institute: Institute, forum: Forum) -> None:
    admitted_member_check(institute, forum, field="forum")


def _unique_slug(title: str) -> str:
    return unique_slug(Publication, title, max_length=140, fallback="publication")


def _apply(publication: Publication, data: dict[str, Any]) -> None:
    for name in SUBMISSION_FIELDS:
        if name in data:
            setattr(publication, name, data[name])


def _save_with_file(publication: Publication, pdf: bytes | None, old_name: str = "") -> None:
    """Stores the PDF (private storage) and saves the row; a failed save leaves no file,
    and the PDF it replaced is deleted once the transaction commits."""
    content = None if pdf is None else ContentFile(pdf, name=f"{publication.slug}.pdf")
    save_with_file(publication, "file", content, old_name=old_name)


def publication_submit(
    *, institute: Institute, data: dict[str, Any], pdf: bytes | None, by: User
) -> Publication:
    """A member institute's new submission: status submitted, ``submitted_by`` set, the
    institute as its only institute, the PDF (already validated by content) in the private
    storage, and its text extracted by a worker after commit."""
    with transaction.atomic():
        publication = Publication(
            status=PublicationStatus.SUBMITTED,
            submitted_by=by,
            created_by=by,
            updated_by=by,
        )
        _create_for(publication, institute=institute, data=data, pdf=pdf)
        publication.themes.set(data.get("themes", []))
    return publication


def _create_for(
    publication: Publication, *, institute: Institute, data: dict[str, Any], pdf: bytes | None
) -> None:
    """Saves a new ``publication`` of ``institute`` (a submission, a harvested record):
    ``data`` applied and checked, a slug of its own, the PDF stored and sent for text
    extraction after commit."""
    _apply(publication, data)
    _check_forum(institute, publication.forum)
    publication.slug = _unique_slug(publication.title)
    publication.full_clean(exclude=["file"])
    _save_with_file(publication, pdf)
    publication.institutes.set([institute])
    if pdf is not None:
        publication_file_changed(publication=publication)


def publication_update(
    *,
    publication: Publication,
    institute: Institute,
    data: dict[str, Any],
    pdf: bytes | None,
    by: User | None,
) -> Publication:
    """A member's change to their institute's submission (``by`` None: the harvest of its
    record), allowed until it is approved (or withdrawn); a returned one is submitted
    again. Raises ``PublicationLocked`` otherwise."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if not is_open_to_its_members(publication):
            raise PublicationLocked(publication.get_status_display(), code="locked")
        old_name = publication.file.name or ""
        _apply(publication, data)
        _check_forum(institute, publication.forum)
        publication.status = PublicationStatus.SUBMITTED
        publication.return_reason = ""
        publication.updated_by = by
        publication.full_clean(exclude=["file"])
        _save_with_file(publication, pdf, old_name=old_name)
        if "themes" in data:
            publication.themes.set(data["themes"])
        if pdf is not None:
            publication_file_changed(publication=publication)
    return publication


def publication_harvest_create(
    *,
    institute: Institute,
    forum: Forum,
    data: dict[str, Any],
    oai_identifier: str,
    pdf: bytes | None,
    approve: bool,
) -> Publication:
    """A publication harvested from ``institute``'s repository: as a member's submission
    (``data`` as ``SUBMISSION_FIELDS``, ``forum`` one the institute is an admitted member
    of, the PDF already checked as an upload is), with no submitter, remembered by its
    record's ``oai_identifier``; approved at once through ``publication_approve`` when the
    institute's registration says so."""
    with transaction.atomic():
        publication = Publication(
            status=PublicationStatus.SUBMITTED,
            forum=forum,
            harvested_from=institute,
            oai_identifier=oai_identifier,
        )
        _create_for(publication, institute=institute, data=data, pdf=pdf)
        if approve:
            publication = publication_approve(publication=publication, by=None)
    return publication


def publication_withdraw(*, publication: Publication, by: User | None) -> Publication:
    """The member takes back a submission that is not approved (``by`` None: its record
    was deleted from the repository it was harvested from): status withdrawn. Raises
    ``PublicationLocked`` for an approved or already withdrawn one."""
    try:
        publication = transition(publication, to=PublicationStatus.WITHDRAWN, by=by)
    except TransitionNotAllowed as exc:
        raise PublicationLocked(exc.message, code="locked") from exc
    publication_public_copy(publication=publication)
    return publication


def publication_return(*, publication: Publication, by: User, reason: str) -> Publication:
    """The secretariat sends a submitted (or approved) publication back to its submitter:
    status returned with the reason, out of the catalogue, and the reason e-mailed to the
    submitter after commit. Raises ``TransitionNotAllowed`` for a withdrawn or already
    returned one, ValueError without a reason."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a returned publication needs a reason")
    with transaction.atomic():
        publication = transition(
            publication,
            to=PublicationStatus.RETURNED,
            by=by,
            return_reason=reason,
            reviewed_by=by,
            reviewed_at=timezone.now(),
        )
        catalogue_index(publications=[publication])
        publication_public_copy(publication=publication)
        publication_return_mail_queue(publication=publication)
    return publication


def publication_return_mail_queue(*, publication: Publication) -> bool:
    """Queues the return reason for the submitter, in their language (kept in the caller's
    transaction, sent after commit, retried while the SMTP server is unavailable); False
    when there is nobody to tell."""
    context = {
        "publication": publication,
        "link": absolute_url(reverse("workspace:publication_edit", kwargs={"pk": publication.pk})),
    }
    mail = member_notice_queue(
        user=publication.submitted_by, template="publications/email/returned", context=context
    )
    return mail is not None
