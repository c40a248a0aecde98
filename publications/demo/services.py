"""Writes of the demo data: synthetic institutes, their memberships and publications; reset."""

import datetime
import random
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from forums.models import Forum, Theme
from members.enums import MembershipStatus
from members.models import Institute, Membership, MembershipStatusChange
from publications.demo.documents import Draft, PdfWriter, draft_build, pdf_writer
from publications.demo.vocabulary import INSTITUTE_NAMES
from publications.models import Publication
from publications.services import catalogue_index, pdf_text

# The slugs seed_forums gives the two real forums (secretariat.seeding.data; not imported,
# since imports go from secretariat to publications, never back).
KCA_FORUM = "korea-central-asia-think-tank-forum"
CICA_FORUM = "cica-think-tank-forum"
KCA_COUNTRIES = frozenset({"KR", "KZ", "KG", "TJ", "TM", "UZ"})
COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ", "KR", "MN", "AZ", "CN", "IN")
INSTITUTE_SLUG = "demo-institute-{}"
DECIDED_ON = datetime.date(2024, 1, 15)
CHUNK = 500
# What the history of each row the demo makes says of its creation.
DEMO_REASON = "Synthetic demo data (seed_demo)"


class DemoForumsMissing(LookupError):
    """The real forums (or the themes) are not loaded yet."""


@dataclass
class DemoReport:
    institutes: int = 0
    memberships: int = 0
    publications: int = 0
    files: int = 0
    facets: int = 0

    def summary(self) -> str:
        return (
            f"Synthetic demo data: {self.publications} publications ({self.files} PDF files, "
            f"{self.facets} catalogue facet rows), {self.institutes} new institutes, "
            f"{self.memberships} new memberships."
        )


@dataclass
class DemoResetReport:
    publications: int = 0
    files: int = 0
    institutes: int = 0
    memberships: int = 0

    def summary(self) -> str:
        return (
            f"Removed synthetic demo data: {self.publications} publications, {self.files} "
            f"files, {self.institutes} institutes, {self.memberships} memberships."
        )


def demo_forums() -> dict[str, Forum]:
    """The two real forums by slug; DemoForumsMissing if seed_forums has not run."""
    forums = {forum.slug: forum for forum in Forum.objects.filter(slug__in=[KCA_FORUM, CICA_FORUM])}
    if len(forums) != 2 or not Theme.objects.exists():
        raise DemoForumsMissing(
            "The forums are missing: run `python manage.py seed_forums` first; seed_demo "
            "adds synthetic data to them."
        )
    return forums


def _institutes_ensure(
    *, wanted: int, forums: dict[str, Forum], report: DemoReport
) -> dict[int, list[Institute]]:
    """Synthetic institutes 1…wanted (existing ones are kept), each admitted to the CICA
    forum and, when it is in Korea or Central Asia, to the Korea–Central Asia one too.
    Returns each forum's synthetic members, in a fixed order."""
    slugs = [INSTITUTE_SLUG.format(n) for n in range(1, wanted + 1)]
    existing = {i.slug: i for i in Institute.objects.filter(is_synthetic=True, slug__in=slugs)}
    new = []
    for n, slug in enumerate(slugs, start=1):
        if slug not in existing:
            name, kind = INSTITUTE_NAMES[(n - 1) % len(INSTITUTE_NAMES)]
            new.append(
                Institute(
                    name=f"{name} {n} (synthetic)",
                    slug=slug,
                    country=COUNTRIES[(n - 1) % len(COUNTRIES)],
                    kind=kind,
                    description="Synthetic demo data made by seed_demo; not a real institution.",
                    is_synthetic=True,
                )
            )
    bulk_create_with_history(new, Institute, default_change_reason=DEMO_REASON)
    report.institutes += len(new)
    by_slug = existing | {i.slug: i for i in new}
    institutes = [by_slug[slug] for slug in slugs]

    kca, cica = forums[KCA_FORUM], forums[CICA_FORUM]
    members: dict[int, list[Institute]] = {
        # django-stubs types a CountryField as str; django-countries reads it as a Country.
        kca.pk: [i for i in institutes if i.country.code in KCA_COUNTRIES],  # type: ignore[attr-defined]
        cica.pk: institutes,
    }
    present = set(
        Membership.objects.filter(institute__in=institutes).values_list("institute_id", "forum_id")
    )
    memberships = bulk_create_with_history(
        [
            Membership(
                institute=institute,
                forum_id=forum_id,
                status=MembershipStatus.ADMITTED,
                decided_on=DECIDED_ON,
                decision="Synthetic demo data (seed_demo)",
            )
            for forum_id, forum_members in members.items()
            for institute in forum_members
            if (institute.pk, forum_id) not in present
        ],
        Membership,
        default_change_reason=DEMO_REASON,
    )
    bulk_create_with_history(
        [
            MembershipStatusChange(
                membership=m, status=m.status, changed_on=DECIDED_ON, note="Synthetic demo data"
            )
            for m in memberships
        ],
        MembershipStatusChange,
        default_change_reason=DEMO_REASON,
    )
    report.memberships += len(memberships)
    return members


def _chunk_write(
    *,
    drafts: list[Draft],
    writer: PdfWriter | None,
    storage: Storage,
    written: list[tuple[Storage, str]],
    report: DemoReport,
) -> None:
    """Writes the drafts' PDFs (adding their names to ``written``), then their rows, links
    and facets, in bulk. Being approved, each PDF also gets its public copy at once (the
    data is synthetic and public from the start: nothing is published before its time)."""
    file_field = Publication._meta.get_field("file")
    copy_field = Publication._meta.get_field("public_file")
    for draft in drafts:
        publication = draft.publication
        if writer is None:
            publication.extracted_text = draft.text
            continue
        data = writer.render(draft)
        filename = f"demo-{draft.number}.pdf"
        name = storage.save(file_field.generate_filename(publication, filename), ContentFile(data))
        written.append((storage, name))
        copy = copy_field.storage.save(
            copy_field.generate_filename(publication, filename), ContentFile(data)
        )
        written.append((copy_field.storage, copy))
        publication.file = name
        publication.public_file = copy
        publication.extracted_text = pdf_text(data)
        report.files += 1
    created = bulk_create_with_history(
        [d.publication for d in drafts], Publication, default_change_reason=DEMO_REASON
    )
    Publication.institutes.through.objects.bulk_create(
        Publication.institutes.through(publication_id=d.publication.pk, institute_id=i.pk)
        for d in drafts
        for i in d.institutes
    )
    Publication.themes.through.objects.bulk_create(
        Publication.themes.through(publication_id=d.publication.pk, theme_id=theme_id)
        for d in drafts
        for theme_id in d.theme_ids
    )
    report.facets += catalogue_index(publications=created)
    report.publications += len(created)


def _create(
    *, count: int, seed: int, writer: PdfWriter | None, forums: dict[str, Forum]
) -> DemoReport:
    """Everything in one transaction; if it fails, the files written so far are removed."""
    report = DemoReport()
    storage = Publication._meta.get_field("file").storage
    themes = list(Theme.objects.order_by("slug"))
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            members = _institutes_ensure(
                wanted=max(12, min(300, count // 25)), forums=forums, report=report
            )
            existing = Publication.objects.filter(is_synthetic=True).count()
            last = Publication.objects.aggregate(last=Max("pk"))["last"] or 0
            text = random.Random(f"demo:{seed}:{existing}:text")
            links = random.Random(f"demo:{seed}:{existing}:links")
            ordered = [forums[KCA_FORUM], forums[CICA_FORUM]]
            for start in range(0, count, CHUNK):
                drafts = [
                    draft_build(
                        text=text,
                        links=links,
                        number=last + n,
                        forums=ordered,
                        members=members,
                        themes=themes,
                    )
                    for n in range(start + 1, min(count, start + CHUNK) + 1)
                ]
                _chunk_write(
                    drafts=drafts, writer=writer, storage=storage, written=written, report=report
                )
    except BaseException:
        _files_delete(written)
        raise
    return report


def demo_publications_create(*, count: int, seed: int = 1, with_pdf: bool = True) -> DemoReport:
    """Adds ``count`` approved synthetic publications, spread over the two real forums and
    1–3 synthetic institutes each (made and admitted once, 12 to 300 of them as ``count``
    grows). Each gets a generated PDF in the private storage whose text layer, read back
    with ``pdf_text``, becomes ``extracted_text``; ``with_pdf=False`` puts the same text
    there and writes no file. Rows, links and facets are written in bulk, CHUNK at a time,
    so the number of queries does not grow with ``count`` below CHUNK. The same seed on the
    same data gives the same titles; a second run adds more, numbered on from the highest
    publication id. Raises DemoForumsMissing, having written nothing, before seed_forums."""
    if count < 0:
        raise ValueError("count must not be negative")
    forums = demo_forums()
    if not count:
        return DemoReport()
    if not with_pdf:
        return _create(count=count, seed=seed, writer=None, forums=forums)
    with pdf_writer() as writer:
        return _create(count=count, seed=seed, writer=writer, forums=forums)


def _files_delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def demo_reset() -> DemoResetReport:
    """Deletes every synthetic publication (its facets and links cascade), every synthetic
    institute with its memberships, and the history rows of all of them, in one
    transaction; the files go once it commits. Real rows stay: a synthetic institute that
    real data has come to depend on (a contact, a secretariat) stops the reset with
    ProtectedError, and a real publication someone linked to one loses only that link (its
    facets are rewritten)."""
    publications = Publication.objects.filter(is_synthetic=True)
    private = Publication._meta.get_field("file").storage
    public = Publication._meta.get_field("public_file").storage
    pdfs = list(publications.exclude(file="").values_list("file", flat=True))
    copies = list(publications.exclude(public_file="").values_list("public_file", flat=True))
    files = [*((private, name) for name in pdfs), *((public, name) for name in copies)]
    ids = list(publications.values_list("pk", flat=True))
    institute_ids = list(Institute.objects.filter(is_synthetic=True).values_list("pk", flat=True))
    membership_ids = list(
        Membership.objects.filter(institute_id__in=institute_ids).values_list("pk", flat=True)
    )
    relinked = list(
        Publication.objects.filter(is_synthetic=False, institutes__in=institute_ids).distinct()
    )
    with transaction.atomic():
        for start in range(0, len(ids), 1000):
            Publication.objects.filter(pk__in=ids[start : start + 1000]).delete()
        Membership.objects.filter(pk__in=membership_ids).delete()
        Institute.objects.filter(pk__in=institute_ids).delete()
        Publication.history.filter(is_synthetic=True).delete()
        Institute.history.filter(is_synthetic=True).delete()
        Membership.history.filter(institute_id__in=institute_ids).delete()
        MembershipStatusChange.history.filter(membership_id__in=membership_ids).delete()
        catalogue_index(publications=relinked)
        transaction.on_commit(partial(_files_delete, files))
    return DemoResetReport(
        publications=len(ids),
        files=len(pdfs),
        institutes=len(institute_ids),
        memberships=len(membership_ids),
    )
