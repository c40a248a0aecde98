"""The secretariat's volume on top of the catalogue's data set, for the staff figures
(``bench.staff``): contacts and focal points, member-state contacts, circulations with
their deliveries and answers, the admin's history, one institute with many publications
and a member login, one forum with many meetings, and long extracted texts on a share of
the publications.

Built once, in one transaction, next to the catalogue's rows (which it does not count
among them: its institute, meetings and publications have slugs of their own, and its
publications are not approved synthetic ones), and kept while its counts are those the
scale asks for; otherwise what it built is deleted and built again. Rows are written
with ``bulk_create``: no service, no history rows, no e-mail.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.functions import Length

from bench import Scale

BATCH = 5_000
DOMAIN = "bench.example.org"  # every address here ends with it
PAPER_TITLE = "Bench staff concept paper"
CIRCULATION_SUBJECT = "Bench staff circulation"
INSTITUTE_SLUG = "bench-staff-institute"
MEETING_SLUG = "bench-staff-meeting-"
SUBMISSION_SLUG = "bench-staff-submission-"
STAFF_USER, SUPERUSER, MEMBER_USER = "bench-staff-cica", "bench-root", "bench-member"
# The admin's history is dated before this; the bench's own saves come after it.
HISTORY_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
LONG_TEXT = (30_000, 100_000)  # characters of the long extracted texts


@dataclass(frozen=True)
class StaffScale:
    contacts: int
    state_contacts: int  # a circulation goes to every contact and state contact
    focal_points: int
    circulations: int
    answers: int
    log_entries: int
    institute_publications: int
    forum_meetings: int
    long_text_share: float
    runs: int  # requests timed per page
    warmups: int  # requests per page before those


STAFF_SCALES = {
    "full": StaffScale(900, 100, 480, 50, 12_000, 5_000, 1_000, 2_000, 0.05, 20, 1),
    "small": StaffScale(90, 10, 48, 50, 1_200, 500, 100, 200, 0.05, 10, 1),
    "tiny": StaffScale(9, 1, 5, 5, 12, 50, 10, 20, 0.05, 1, 0),
}


def staff_scale(scale: Scale) -> StaffScale:
    return STAFF_SCALES[scale.name]


def _forums():
    from publications.demo.services import CICA_FORUM, KCA_FORUM, demo_forums

    forums = demo_forums()
    return forums[CICA_FORUM], forums[KCA_FORUM]


def _counts() -> dict[str, int]:
    from django.contrib.admin.models import LogEntry

    from members.models import Contact, FocalPoint, StateContact
    from publications.models import Publication
    from secretariat.models import Answer, Circulation, Delivery

    circulations = Circulation.objects.filter(subject__startswith=CIRCULATION_SUBJECT)
    return {
        "contacts": Contact.objects.filter(email__endswith=DOMAIN).count(),
        "state_contacts": StateContact.objects.filter(email__endswith=DOMAIN).count(),
        "focal_points": FocalPoint.objects.filter(contact__email__endswith=DOMAIN).count(),
        "circulations": circulations.count(),
        "deliveries": Delivery.objects.filter(circulation__in=circulations).count(),
        "answers": Answer.objects.filter(delivery__circulation__in=circulations).count(),
        "log_entries": LogEntry.objects.filter(
            user__username__in=[STAFF_USER, SUPERUSER], action_time__lt=HISTORY_BEFORE
        ).count(),
        "institute_publications": Publication.objects.filter(
            institutes__slug=INSTITUTE_SLUG
        ).count(),
    }


def _wanted(staff: StaffScale) -> dict[str, int]:
    return {
        "contacts": staff.contacts,
        "state_contacts": staff.state_contacts,
        "focal_points": staff.focal_points,
        "circulations": staff.circulations,
        "deliveries": staff.circulations * (staff.contacts + staff.state_contacts),
        "answers": staff.answers,
        "log_entries": staff.log_entries,
        "institute_publications": staff.institute_publications,
    }


def staff_dataset_ensure(*, scale: Scale, log=print) -> dict:
    """The staff data of this scale, built if missing (after ``data.dataset_ensure``).
    Returns the counts and how long building took (0 when reused)."""
    staff = staff_scale(scale)
    started = time.perf_counter()
    users_ensure()
    built = False
    if _counts() != _wanted(staff):
        with transaction.atomic():
            _clear()
            _build(staff=staff, log=log)
        built = True
    built = _meetings_ensure(staff=staff) or built
    built = _long_texts_ensure(staff=staff, log=log) or built
    if built:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    took = time.perf_counter() - started
    log(f"staff data set: {'built' if built else 'reusing'} ({took:.0f} s)")
    cica, _ = _forums()
    from actionplans.models import Meeting
    from members.models import Membership

    return {
        **_counts(),
        "forum_memberships": Membership.objects.filter(forum=cica).count(),
        "forum_meetings": Meeting.objects.filter(forum=cica).count(),
        "long_texts": _long_text_count(),
        "build_s": round(took, 1) if built else 0.0,
        "reused": not built,
    }


def users_ensure() -> dict:
    """The three logins the pages are opened as: staff of the CICA secretariat only, a
    superuser, and a member (a contact of the staff institute, bound once it exists)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from secretariat.permissions import STAFF_GROUP

    User = get_user_model()
    cica, _ = _forums()
    staff, _ = User.objects.get_or_create(username=STAFF_USER, defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    cica.secretariat.staff.add(staff)
    root, _ = User.objects.get_or_create(
        username=SUPERUSER, defaults={"is_staff": True, "is_superuser": True}
    )
    member, _ = User.objects.get_or_create(username=MEMBER_USER)
    return {"staff": staff, "superuser": root, "member": member}


def _clear() -> None:
    """Deletes what an earlier build of the staff data made (none of the catalogue's)."""
    from django.contrib.admin.models import LogEntry

    from members.models import Contact, Institute, Membership, StateContact
    from publications.models import Publication
    from secretariat.models import Answer, Circulation, ConceptPaper, Delivery

    circulations = Circulation.objects.filter(subject__startswith=CIRCULATION_SUBJECT)
    Answer.objects.filter(delivery__circulation__in=circulations).delete()
    Delivery.objects.filter(circulation__in=circulations).delete()
    circulations.delete()
    ConceptPaper.objects.filter(title__startswith=PAPER_TITLE).delete()
    Contact.objects.filter(email__endswith=DOMAIN).delete()  # focal points with them
    StateContact.objects.filter(email__endswith=DOMAIN).delete()
    LogEntry.objects.filter(
        user__username__in=[STAFF_USER, SUPERUSER], action_time__lt=HISTORY_BEFORE
    ).delete()
    Publication.objects.filter(slug__startswith=SUBMISSION_SLUG).delete()
    Publication.institutes.through.objects.filter(institute__slug=INSTITUTE_SLUG).delete()
    Membership.objects.filter(institute__slug=INSTITUTE_SLUG).delete()
    Institute.objects.filter(slug=INSTITUTE_SLUG).delete()


def _build(*, staff: StaffScale, log) -> None:
    rng = random.Random("bench:staff")
    cica, kca = _forums()
    institute = _institute(cica=cica, kca=kca)
    contacts = _contacts(staff=staff, institute=institute, rng=rng)
    _focal_points(staff=staff, contacts=contacts, cica=cica, kca=kca)
    state_contacts = _state_contacts(staff=staff, cica=cica, rng=rng)
    _institute_publications(staff=staff, institute=institute, cica=cica, rng=rng)
    log(f"  {len(contacts)} contacts, {staff.institute_publications} publications of one institute")
    _circulations(staff=staff, cica=cica, contacts=contacts, state=state_contacts, rng=rng)
    log(f"  {staff.circulations} circulations, {staff.answers} answers")
    _log_entries(staff=staff, cica=cica, rng=rng)
    log(f"  {staff.log_entries} entries of the admin's history")


def _institute(*, cica, kca):
    from members.enums import InstituteKind, MembershipStatus
    from members.models import Institute, Membership

    institute = Institute.objects.create(
        name="Bench Staff Institute of Strategic Studies (synthetic)",
        short_name="BSISS",
        slug=INSTITUTE_SLUG,
        country="KZ",
        kind=InstituteKind.values[0],
        description="Synthetic benchmark data; not a real institution.",
        is_synthetic=True,
    )
    Membership.objects.bulk_create(
        Membership(
            institute=institute,
            forum=forum,
            status=MembershipStatus.ADMITTED,
            decided_on=datetime.date(2024, 1, 15),
            decision="Synthetic benchmark data",
        )
        for forum in (cica, kca)
    )
    return institute


PEOPLE = ("Aliyev", "Kim", "Petrova", "Nurlanov", "Park", "Ivanov", "Saidova", "Tokayeva")
GIVEN = ("Aigerim", "Min-jun", "Elena", "Timur", "Ji-woo", "Sergei", "Dilnoza", "Bakyt")
POSITIONS = ("Director", "Deputy director", "Senior research fellow", "Head of department")


def _contacts(*, staff: StaffScale, institute, rng: random.Random) -> list:
    """A few contacts of the staff institute (the first is the member login), the rest
    spread over the synthetic institutes; the staff institute has the most."""
    from django.contrib.auth import get_user_model

    from members.models import Contact, Institute

    others = list(Institute.objects.filter(slug__startswith="bench-institute-").order_by("pk"))
    own = max(2, staff.contacts // 30)
    places = [institute] * own + [others[n % len(others)] for n in range(staff.contacts - own)]
    member = get_user_model().objects.get(username=MEMBER_USER)
    contacts = []
    for n, place in enumerate(places):
        given, family = rng.choice(GIVEN), rng.choice(PEOPLE)
        contacts.append(
            Contact(
                institute=place,
                full_name=f"{given} {family}",
                position=rng.choice(POSITIONS),
                email=f"{given.lower()}.{family.lower()}.{n}@{place.slug}.{DOMAIN}",
                phone=f"+7 700 {n:07d}",
                user=member if n == 0 else None,
            )
        )
    return Contact.objects.bulk_create(contacts, batch_size=BATCH)


def _focal_points(*, staff: StaffScale, contacts: list, cica, kca) -> None:
    from members.models import FocalPoint, Membership

    in_kca = set(Membership.objects.filter(forum=kca).values_list("institute_id", flat=True))
    FocalPoint.objects.bulk_create(
        FocalPoint(
            contact=contact,
            forum=kca if n % 2 and contact.institute_id in in_kca else cica,
            since=datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 2000),
        )
        for n, contact in enumerate(contacts[: staff.focal_points])
    )


def _state_contacts(*, staff: StaffScale, cica, rng: random.Random) -> list:
    from bench.data import COUNTRIES
    from members.models import StateContact

    return StateContact.objects.bulk_create(
        StateContact(
            forum=cica,
            country=COUNTRIES[n % len(COUNTRIES)],
            organisation=f"Ministry of Foreign Affairs, desk {n}",
            full_name=f"{rng.choice(GIVEN)} {rng.choice(PEOPLE)}",
            position="Desk officer",
            email=f"desk{n}@mfa.{DOMAIN}",
        )
        for n in range(staff.state_contacts)
    )


def _institute_publications(*, staff: StaffScale, institute, cica, rng: random.Random) -> None:
    """Nine in ten are approved catalogue publications the institute co-authored; the rest
    its submissions still under review, returned or withdrawn (not in the catalogue)."""
    from django.contrib.auth import get_user_model

    from publications.enums import PublicationStatus
    from publications.models import Publication
    from publications.services import catalogue_index

    through = Publication.institutes.through
    submissions = staff.institute_publications // 10
    approved = list(
        Publication.objects.filter(
            forum=cica, is_synthetic=True, status=PublicationStatus.APPROVED
        ).order_by("-published_on", "pk")[: staff.institute_publications - submissions]
    )
    member = get_user_model().objects.get(username=MEMBER_USER)
    statuses = [
        PublicationStatus.SUBMITTED,
        PublicationStatus.RETURNED,
        PublicationStatus.WITHDRAWN,
    ]
    drafts = []
    for n in range(submissions):
        model = approved[n % len(approved)]
        status = statuses[n % len(statuses)]
        drafts.append(
            Publication(
                title=f"{model.title} (revised draft {n})",
                slug=f"{SUBMISSION_SLUG}{n}",
                authors=model.authors,
                forum=cica,
                kind=model.kind,
                language=model.language,
                published_on=model.published_on,
                abstract=model.abstract,
                keywords=model.keywords,
                status=status,
                return_reason="Please add the sources of the figures."
                if status == PublicationStatus.RETURNED
                else "",
                submitted_by=member,
                extracted_text=model.extracted_text,
                is_synthetic=True,
            )
        )
    created = Publication.objects.bulk_create(drafts)
    through.objects.bulk_create(
        (through(publication_id=p.pk, institute_id=institute.pk) for p in [*approved, *created]),
        batch_size=BATCH,
    )
    catalogue_index(publications=approved)


def _circulations(*, staff: StaffScale, cica, contacts: list, state: list, rng) -> None:
    """Each circulation sent to every contact and member-state contact: nearly all sent,
    a few failed; answers from contacts, spread over the circulations."""
    from actionplans.models import Meeting
    from secretariat.enums import (
        AnswerChannel,
        Attendance,
        CirculationStatus,
        DeliveryStatus,
        PaperStatus,
    )
    from secretariat.models import Answer, Circulation, ConceptPaper, Delivery

    meetings = list(Meeting.objects.filter(forum=cica).order_by("-starts_on", "pk")[:50])
    papers = ConceptPaper.objects.bulk_create(
        ConceptPaper(
            forum=cica,
            title=f"{PAPER_TITLE} {n}",
            reference=f"CICA-TTF/{2020 + n % 5}/{n}",
            meeting=meetings[n % len(meetings)],
            body="Synthetic benchmark data. " * 40,
            status=PaperStatus.CIRCULATED,
        )
        for n in range(staff.circulations)
    )
    day0 = datetime.datetime(2023, 1, 9, 9, tzinfo=datetime.UTC)
    circulations = Circulation.objects.bulk_create(
        Circulation(
            paper=paper,
            subject=f"{CIRCULATION_SUBJECT} {n}: {paper.title}",
            message="Dear colleagues, please find the concept paper attached.",
            started_at=day0 + datetime.timedelta(days=14 * n),
            status=CirculationStatus.READY,
        )
        for n, paper in enumerate(papers)
    )
    recipients = [(c, c.institute_id, c.full_name, c.institute.name, c.email) for c in contacts] + [
        (None, None, s.full_name, s.organisation, s.email) for s in state
    ]
    deliveries = []
    for circulation in circulations:
        sent_at = circulation.started_at + datetime.timedelta(minutes=5)
        for contact, institute_id, name, organisation, email in recipients:
            failed = rng.random() < 0.02
            deliveries.append(
                Delivery(
                    circulation=circulation,
                    contact=contact,
                    institute_id=institute_id,
                    name=name,
                    organisation=organisation,
                    email=email,
                    status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENT,
                    attempts=3 if failed else 1,
                    last_error="550 5.1.1 mailbox unavailable" if failed else "",
                    sent_at=None if failed else sent_at,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
    answerable = [
        d for d in deliveries if d.contact is not None and d.status == DeliveryStatus.SENT
    ]
    Answer.objects.bulk_create(
        (
            Answer(
                delivery=delivery,
                attendance=rng.choice(Attendance.values),
                attendees=f"{delivery.name}, {rng.choice(POSITIONS)}",
                remarks=rng.choice(("", "We would be glad to present our recent report.")),
                channel=rng.choice(AnswerChannel.values),
            )
            for delivery in rng.sample(answerable, k=staff.answers)
        ),
        batch_size=BATCH,
    )


def _log_entries(*, staff: StaffScale, cica, rng: random.Random) -> None:
    """The admin's history as two years of staff edits would leave it: mostly changes of
    publications, contacts, memberships and meetings; one publication edited often."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from actionplans.models import Meeting
    from members.models import Contact, Membership
    from publications.models import Publication

    users = dict(
        get_user_model()
        .objects.filter(username__in=[STAFF_USER, SUPERUSER])
        .values_list("username", "pk")
    )
    rows = {
        model: list(
            model.objects.filter(**{path: cica}).distinct().order_by("pk").values_list("pk")[:2000]
        )
        for model, path in (
            (Publication, "forum"),
            (Contact, "institute__memberships__forum"),
            (Membership, "forum"),
            (Meeting, "forum"),
        )
    }
    weights = {Publication: 6, Contact: 2, Membership: 1, Meeting: 1}
    types = ContentType.objects.get_for_models(*rows)
    often = rows[Publication][0][0]
    span = int(
        (HISTORY_BEFORE - datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)).total_seconds()
    )
    entries = []
    for n in range(staff.log_entries):
        if n < staff.log_entries // 50:
            model, pk = Publication, often
        else:
            model = rng.choices(list(weights), weights=list(weights.values()))[0]
            pk = rng.choice(rows[model])[0]
        fields = rng.sample(["Title", "Abstract", "Keywords", "Status", "Themes"], k=2)
        entries.append(
            LogEntry(
                action_time=HISTORY_BEFORE - datetime.timedelta(seconds=rng.randrange(span)),
                user_id=users[STAFF_USER] if rng.random() < 0.7 else users[SUPERUSER],
                content_type=types[model],
                object_id=str(pk),
                object_repr=f"{model._meta.verbose_name} {pk}",
                action_flag=ADDITION if rng.random() < 0.1 else CHANGE,
                change_message=f'[{{"changed": {{"fields": ["{fields[0]}", "{fields[1]}"]}}}}]',
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)


def _meetings_ensure(*, staff: StaffScale) -> bool:
    """Meetings added to the CICA forum until it has ``forum_meetings``."""
    from actionplans.enums import MeetingKind, MeetingStatus
    from actionplans.models import Meeting

    cica, _ = _forums()
    missing = staff.forum_meetings - Meeting.objects.filter(forum=cica).count()
    if missing <= 0:
        return False
    rng = random.Random("bench:staff-meetings")
    start = Meeting.objects.filter(slug__startswith=MEETING_SLUG).count()
    day0 = datetime.date(2005, 1, 1)
    meetings = []
    for n in range(start, start + missing):
        starts = day0 + datetime.timedelta(days=rng.randrange(8000))
        meetings.append(
            Meeting(
                forum=cica,
                kind=rng.choice(MeetingKind.values),
                title=f"Synthetic working meeting {n}",
                slug=f"{MEETING_SLUG}{n}",
                status=MeetingStatus.HELD,
                host_country="KZ",
                place="Synthetic city",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=1),
                description="Synthetic benchmark data.",
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    return True


def _long_text_count() -> int:
    from publications.models import Publication

    return (
        Publication.objects.annotate(n=Length("extracted_text")).filter(n__gte=LONG_TEXT[0]).count()
    )


def _long_text(rng: random.Random, words: list[str]) -> str:
    """30–100 kB of prose-like text: the demo's sentences with varied figures and made-up
    terms, so that it neither compresses nor indexes like one sentence repeated."""
    from publications.demo.vocabulary import SYLLABLES

    size = rng.randint(*LONG_TEXT)
    parts, length = [], 0
    while length < size:
        sentence = " ".join(rng.choices(words, k=rng.randint(8, 20)))
        term = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        part = f"{sentence.capitalize()} {term} ({rng.randint(1990, 2025)}: {rng.random():.1%})."
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)


def _long_texts_ensure(*, staff: StaffScale, log) -> bool:
    """Every twentieth approved synthetic publication (by id) gets a long extracted text,
    as a PDF of 10–40 pages would give; the search trigger indexes it on update."""
    from publications.demo.vocabulary import BODY
    from publications.enums import PublicationStatus
    from publications.models import Publication

    approved = Publication.objects.filter(is_synthetic=True, status=PublicationStatus.APPROVED)
    step = round(1 / staff.long_text_share)
    chosen = list(approved.order_by("pk").values_list("pk", flat=True))[::step]
    done = set(
        approved.annotate(n=Length("extracted_text"))
        .filter(n__gte=LONG_TEXT[0])
        .values_list("pk", flat=True)
    )
    todo = [pk for pk in chosen if pk not in done]
    if not todo:
        return False
    rng = random.Random("bench:long-texts")
    words = sorted(
        {w.strip(".,;:()").lower() for s in BODY["en"] for w in s.split() if "{" not in w}
    )
    started = time.perf_counter()
    for start in range(0, len(todo), 50):
        batch = [
            Publication(pk=pk, extracted_text=_long_text(rng, words))
            for pk in todo[start : start + 50]
        ]
        Publication.objects.bulk_update(batch, ["extracted_text"])
    log(f"  {len(todo)} long extracted texts, {time.perf_counter() - started:.0f} s")
    return True
