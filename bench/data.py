"""The synthetic data set: institutes, approved publications (abstracts and body text in
English and Russian, some Korean, as the demo generator writes them) and meetings.

Built once per database and scale and reused: ``dataset_ensure`` compares what is there
with what the scale asks for, and rebuilds the database from scratch only if they differ.
Rows are written with ``bulk_create`` in big batches (the search vector is filled by the
PostgreSQL trigger on insert) and the catalogue's facet rows by ``catalogue_index``, the
same service the application uses.
"""

import datetime
import random
import time

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from bench import Scale

BATCH = 2_000
DECIDED_ON = datetime.date(2024, 1, 15)
COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ", "KR", "MN", "AZ", "CN", "IN")
KCA_COUNTRIES = frozenset({"KR", "KZ", "KG", "TJ", "TM", "UZ"})


def database_ensure() -> bool:
    """Creates the bench database if it is missing; returns whether it did."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmarks need PostgreSQL (DATABASE_URL=postgres://…).")
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
            return True
    finally:
        admin.close()


def database_drop_and_create() -> None:
    connection.close()
    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    finally:
        admin.close()


def _present() -> dict[str, int]:
    from actionplans.models import Meeting
    from members.models import Institute
    from publications.enums import PublicationStatus
    from publications.models import Publication

    return {
        "institutes": Institute.objects.filter(slug__startswith="bench-institute-").count(),
        "publications": Publication.objects.filter(
            is_synthetic=True, status=PublicationStatus.APPROVED
        ).count(),
        "meetings": Meeting.objects.filter(slug__startswith="bench-meeting-").count(),
    }


def _wanted(scale: Scale) -> dict[str, int]:
    return {
        "institutes": scale.institutes,
        "publications": scale.publications,
        "meetings": scale.meetings,
    }


def dataset_ensure(*, scale: Scale, log=print) -> dict:
    """The data set of this scale in the bench database, built if it is not there yet.
    Returns what was found or built and how long building took (0 when reused)."""
    database_ensure()
    call_command("migrate", verbosity=0, interactive=False)
    if _present() == _wanted(scale):
        log(f"data set: reusing {scale.publications} publications ({scale.name})")
        _vacuum()  # after a migration rewrote rows: fresh statistics and visibility map
        return {**_wanted(scale), "build_s": 0.0, "reused": True}
    if any(_present().values()):
        log("data set: another scale is there; recreating the database")
        database_drop_and_create()
        call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    _build(scale=scale, log=log)
    _vacuum()
    built = time.perf_counter() - started
    log(f"data set: built in {built:.0f} s")
    return {**_present(), "build_s": round(built, 1), "reused": False}


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _institutes(scale: Scale):
    from members.models import Institute
    from publications.demo.vocabulary import INSTITUTE_NAMES

    return Institute.objects.bulk_create(
        Institute(
            name=f"{INSTITUTE_NAMES[(n - 1) % len(INSTITUTE_NAMES)][0]} {n} (synthetic)",
            slug=f"bench-institute-{n}",
            country=COUNTRIES[(n - 1) % len(COUNTRIES)],
            kind=INSTITUTE_NAMES[(n - 1) % len(INSTITUTE_NAMES)][1],
            description="Synthetic benchmark data; not a real institution.",
            is_synthetic=True,
        )
        for n in range(1, scale.institutes + 1)
    )


def _build(*, scale: Scale, log) -> None:
    from actionplans.enums import MeetingKind, MeetingStatus
    from actionplans.models import Meeting
    from forums.models import Theme
    from members.enums import MembershipStatus
    from members.models import Membership
    from publications.demo.documents import draft_build
    from publications.demo.services import CICA_FORUM, KCA_FORUM, demo_forums
    from publications.models import Publication
    from publications.services import catalogue_index
    from secretariat.seeding import seed_forums

    seed_forums()
    forums = demo_forums()
    kca, cica = forums[KCA_FORUM], forums[CICA_FORUM]
    themes = list(Theme.objects.order_by("slug"))
    institutes = _institutes(scale)
    members = {
        kca.pk: [i for i in institutes if i.country.code in KCA_COUNTRIES],
        cica.pk: institutes,
    }
    Membership.objects.bulk_create(
        Membership(
            institute=institute,
            forum_id=forum_id,
            status=MembershipStatus.ADMITTED,
            decided_on=DECIDED_ON,
            decision="Synthetic benchmark data",
        )
        for forum_id, forum_members in members.items()
        for institute in forum_members
    )

    text, links = random.Random("bench:text"), random.Random("bench:links")
    started = time.perf_counter()
    for start in range(0, scale.publications, BATCH):
        drafts = [
            draft_build(
                text=text, links=links, number=n, forums=[kca, cica], members=members, themes=themes
            )
            for n in range(start + 1, min(scale.publications, start + BATCH) + 1)
        ]
        for draft in drafts:
            draft.publication.extracted_text = draft.text
        with transaction.atomic():
            created = Publication.objects.bulk_create([d.publication for d in drafts])
            Publication.institutes.through.objects.bulk_create(
                Publication.institutes.through(publication_id=d.publication.pk, institute_id=i.pk)
                for d in drafts
                for i in d.institutes
            )
            Publication.themes.through.objects.bulk_create(
                Publication.themes.through(publication_id=d.publication.pk, theme_id=t)
                for d in drafts
                for t in d.theme_ids
            )
            catalogue_index(publications=created)
        done = start + len(drafts)
        if done % (BATCH * 5) == 0 or done == scale.publications:
            log(f"  {done} publications, {time.perf_counter() - started:.0f} s")

    rng = random.Random("bench:meetings")
    kinds, day0 = list(MeetingKind.values), datetime.date(2010, 1, 1)
    meetings = []
    for n in range(1, scale.meetings + 1):
        forum = kca if n % 3 == 0 else cica
        starts = day0 + datetime.timedelta(days=rng.randrange(6000))
        meetings.append(
            Meeting(
                forum=forum,
                kind=rng.choice(kinds),
                title=f"Synthetic meeting {n}",
                slug=f"bench-meeting-{n}",
                status=MeetingStatus.HELD,
                host_country=rng.choice(COUNTRIES),
                host_institute=rng.choice(members[forum.pk]),
                place="Synthetic city",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=rng.randint(0, 2)),
                description="Synthetic benchmark data.",
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    Meeting.participants.through.objects.bulk_create(
        (
            Meeting.participants.through(meeting_id=m.pk, institute_id=i.pk)
            for m in meetings
            for i in rng.sample(members[m.forum_id], k=min(5, len(members[m.forum_id])))
        ),
        batch_size=5_000,
    )
    log(f"  {len(meetings)} meetings")
