"""Backups proven by restoring them (docs/adr/0029): both forums and demo publications, with
their PDFs in the public and the private storage, backed up with ``manage.py backup``,
restored with ``manage.py restore`` (its own process) into a database made for the test and
into new, empty storages, then every table compared row by row and every file by SHA-256;
on local folders and on the S3 server. And the refusals, which change nothing."""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from psycopg2 import sql

from core.backups import archive
from core.backups.database import DatabaseTarget, table_names
from core.backups.services import BackupRefused, backup_create, backup_prune, backup_restore
from core.backups.storage import file_names

ROOT = Path(__file__).resolve().parents[2]


# --- a database of the test's own ------------------------------------------------------------


@pytest.fixture
def new_database():
    """``new_database()`` creates an empty PostgreSQL database on the test server and returns
    its target; every one is dropped at the end."""
    server = DatabaseTarget.from_settings()
    made: list[str] = []

    def admin():
        connection = psycopg2.connect(
            dbname="postgres",
            user=server.user or None,
            password=server.password or None,
            host=server.host or None,
            port=server.port or None,
        )
        connection.autocommit = True
        return connection

    def make() -> DatabaseTarget:
        name = f"portal_restore_{uuid.uuid4().hex[:12]}"
        connection = admin()
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()
        made.append(name)
        return DatabaseTarget(
            name=name,
            user=server.user,
            password=server.password,
            host=server.host,
            port=server.port,
        )

    yield make
    connection = admin()
    with connection.cursor() as cursor:
        for name in made:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    connection.close()


def _url(target: DatabaseTarget) -> str:
    credentials = target.user + (f":{target.password}" if target.password else "")
    return (
        f"postgres://{credentials}@{target.host or '127.0.0.1'}:{target.port or 5432}/{target.name}"
    )


def _every_row(target: DatabaseTarget) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by primary key (by every column where a table has none),
    and every sequence's position."""
    connection = target.connect()
    rows: dict[str, list[tuple]] = {}
    try:
        with connection.cursor() as cursor:
            for table in table_names(connection):
                cursor.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                    [table],
                )
                keys = [row[0] for row in cursor.fetchall()]
                order = (
                    sql.SQL(", ").join(sql.Identifier(key) for key in keys)
                    if keys
                    else sql.SQL("1")
                )
                cursor.execute(
                    sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(table), order)
                )
                fetched = cursor.fetchall()
                rows[table] = fetched if keys else sorted(fetched, key=repr)
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY 1"
            )
            rows["(sequences)"] = cursor.fetchall()
    finally:
        connection.close()
    return rows


def _hashes(storage) -> dict[str, str]:
    hashes = {}
    for name in sorted(file_names(storage)):
        with storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def _restore_command(archive_path: Path, target: DatabaseTarget, **files: str):
    """``manage.py restore`` in its own process, configured as an operator would be."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": _url(target),
        **files,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive_path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _seed() -> None:
    """Both forums from their documents (their statement and plan rendered to PDF, a public
    copy of each) and five demo publications (PDF and public copy each)."""
    call_command("seed_forums", verbosity=0)
    call_command("seed_demo", publications=5, verbosity=0)


def _expected_names(year: int) -> list[str]:
    return [
        f"documents/{year}/joint-statement-launching-korea-central-asia-think-tank-forum-v2.pdf",
        f"documents/{year}/soc-2024-ii-dec-2-v2.pdf",
        f"publications/{year}/demo-1.pdf",
        f"publications/{year}/demo-2.pdf",
        f"publications/{year}/demo-3.pdf",
        f"publications/{year}/demo-4.pdf",
        f"publications/{year}/demo-5.pdf",
    ]


# --- the round trip ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_on_local_storage_restores_every_row_and_every_file(
    private_media, eager_celery, new_database, tmp_path
):
    _seed()
    source = DatabaseTarget.from_settings()
    sources = {alias: storages[alias] for alias in ("default", "private")}
    names = _expected_names(timezone.now().year)
    assert {alias: sorted(file_names(s)) for alias, s in sources.items()} == {
        "default": names,
        "private": names,
    }

    call_command("backup", destination=tmp_path / "backups", keep=3, verbosity=0)
    (archive_path,) = sorted((tmp_path / "backups").glob("portal-*.tar"))
    target = new_database()
    restored = _restore_command(
        archive_path,
        target,
        MEDIA_STORAGE="local",
        MEDIA_ROOT=str(tmp_path / "restored-public"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-private"),
    )

    assert (restored.returncode, restored.stderr) == (0, "")
    source_rows = _every_row(source)
    assert len(source_rows["publications_publication"]) == 5
    assert len(source_rows["forums_forum"]) == 2
    assert _every_row(target) == source_rows
    assert _hashes(FileSystemStorage(tmp_path / "restored-public")) == _hashes(sources["default"])
    assert _hashes(FileSystemStorage(tmp_path / "restored-private")) == _hashes(sources["private"])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_on_s3_restores_every_row_and_every_object(
    s3_storage, eager_celery, new_database, tmp_path
):
    _seed()
    source = DatabaseTarget.from_settings()
    server = s3_storage.server
    names = _expected_names(timezone.now().year)
    assert (server.keys(s3_storage.public), server.keys(s3_storage.private)) == (names, names)

    call_command("backup", destination=tmp_path / "backups", verbosity=0)
    (archive_path,) = sorted((tmp_path / "backups").glob("portal-*.tar"))
    public, private = server.new_buckets()
    target = new_database()
    restored = _restore_command(archive_path, target, **server.environment(public, private))

    assert (restored.returncode, restored.stderr) == (0, "")
    assert _every_row(target) == _every_row(source)

    def object_hashes(bucket: str) -> dict[str, str]:
        client = server.client()
        return {
            key: hashlib.sha256(
                client.get_object(Bucket=bucket, Key=key)["Body"].read()
            ).hexdigest()
            for key in server.keys(bucket)
        }

    assert object_hashes(public) == _hashes(storages["default"])
    assert object_hashes(private) == _hashes(storages["private"])
    # Written through the portal's own storage: a public copy keeps its headers.
    head = server.client().head_object(Bucket=public, Key=names[2])
    assert (head["CacheControl"], head["ContentDisposition"]) == (
        "public, max-age=300",
        "attachment",
    )


# --- a small archive, for the refusals ---------------------------------------------------


@pytest.fixture
def small_backup(new_database, tmp_path):
    """A database with one table of three rows and two storages with a file each, backed
    up; returns the archive, the source and a fresh empty target."""
    source = new_database()
    connection = source.connect()
    with connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id serial PRIMARY KEY, body text)")
        cursor.execute("INSERT INTO note (body) VALUES ('one'), ('two'), ('three')")
    connection.close()
    stores = {
        "default": FileSystemStorage(tmp_path / "public"),
        "private": FileSystemStorage(tmp_path / "private"),
    }
    stores["default"].save("a/public.pdf", ContentFile(b"%PDF public"))
    stores["private"].save("b/private.pdf", ContentFile(b"%PDF private" * 1000))
    report = backup_create(destination=tmp_path / "backups", target=source, storages=stores)
    empty = {
        "default": FileSystemStorage(tmp_path / "new-public"),
        "private": FileSystemStorage(tmp_path / "new-private"),
    }
    return report.path, source, new_database(), empty


def _untouched(target: DatabaseTarget, stores: dict) -> bool:
    connection = target.connect()
    try:
        tables = table_names(connection)
    finally:
        connection.close()
    return tables == [] and all(list(file_names(s)) == [] for s in stores.values())


def test_the_small_backup_restores_rows_and_files(small_backup):
    path, _source, target, empty = small_backup

    report = backup_restore(archive_path=path, target=target, storages=empty)

    assert (report.tables, report.rows, report.files) == (1, 3, {"default": 1, "private": 1})
    assert _every_row(target) == {
        "note": [(1, "one"), (2, "two"), (3, "three")],
        "(sequences)": [("note_id_seq", 3)],
    }
    assert empty["private"].open("b/private.pdf").read() == b"%PDF private" * 1000


def test_the_archive_lists_every_member_with_its_hash(small_backup):
    path = small_backup[0]

    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(archive.MANIFEST).read())

    assert names == [
        "database.dump",
        "files/default/a/public.pdf",
        "files/private/b/private.pdf",
        "manifest.json",
    ]
    assert manifest["members"]["files/default/a/public.pdf"] == {
        "sha256": hashlib.sha256(b"%PDF public").hexdigest(),
        "size": 11,
    }
    assert (manifest["format"], manifest["database"]["tables"], manifest["files"]) == (
        1,
        {"note": 3},
        {"default": 1, "private": 1},
    )


def test_a_file_a_row_names_but_storage_lacks_is_reported_missing(new_database, tmp_path):
    source = new_database()
    connection = source.connect()
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE publications_publication "
            "(id serial PRIMARY KEY, file varchar(100), public_file varchar(100))"
        )
        cursor.execute(
            "INSERT INTO publications_publication (file, public_file) VALUES "
            "('publications/2026/kept.pdf', ''), ('publications/2026/gone.pdf', '')"
        )
    connection.close()
    stores = {
        "default": FileSystemStorage(tmp_path / "public"),
        "private": FileSystemStorage(tmp_path / "private"),
    }
    stores["private"].save("publications/2026/kept.pdf", ContentFile(b"%PDF kept"))

    report = backup_create(destination=tmp_path / "backups", target=source, storages=stores)

    assert report.missing == {"private": ["publications/2026/gone.pdf"]}
    with tarfile.open(report.path) as tar:
        manifest = json.loads(tar.extractfile(archive.MANIFEST).read())
    assert manifest["missing"] == {"default": [], "private": ["publications/2026/gone.pdf"]}


def test_restore_refuses_a_database_with_tables_and_changes_nothing(small_backup):
    path, source, _target, empty = small_backup

    with pytest.raises(BackupRefused, match="has tables: a restore goes into an empty database"):
        backup_restore(archive_path=path, target=source, storages=empty)

    assert _every_row(source)["note"] == [(1, "one"), (2, "two"), (3, "three")]
    assert all(list(file_names(s)) == [] for s in empty.values())


def test_restore_refuses_storage_with_files_and_changes_nothing(small_backup, tmp_path):
    path, _source, target, empty = small_backup
    empty["private"].save("already-here.txt", ContentFile(b"x"))

    with pytest.raises(BackupRefused, match="The private storage holds files"):
        backup_restore(archive_path=path, target=target, storages=empty)

    assert list(file_names(empty["private"])) == ["already-here.txt"]
    assert list(file_names(empty["default"])) == []
    assert _untouched(target, {"default": empty["default"]})


def test_restore_refuses_an_archive_with_a_changed_byte(small_backup):
    path, _source, target, empty = small_backup
    data = bytearray(path.read_bytes())
    at = data.index(b"%PDF private") + 5
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(
        BackupRefused,
        match=r"damaged: files/private/b/private\.pdf does not match the SHA-256",
    ):
        backup_restore(archive_path=path, target=target, storages=empty)

    assert _untouched(target, empty)


def test_restore_refuses_an_archive_cut_short(small_backup):
    path, _source, target, empty = small_backup
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(BackupRefused, match=r"incomplete|cut short"):
        backup_restore(archive_path=path, target=target, storages=empty)

    assert _untouched(target, empty)


def test_restore_command_says_a_missing_archive_is_missing(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(tmp_path / "nothing.tar"))

    assert str(raised.value) == f"Nothing was restored: {tmp_path / 'nothing.tar'}: no such file."


def test_restore_command_refuses_a_file_that_is_not_an_archive(tmp_path):
    path = tmp_path / "notes.tar"
    path.write_text("not a tar file at all" * 100)

    with pytest.raises(CommandError, match="is not a backup archive"):
        call_command("restore", str(path))


def test_prune_keeps_the_newest_archives_and_nothing_else_is_touched(tmp_path):
    for stamp in ("20260101T010000Z", "20260102T010000Z", "20260103T010000Z"):
        (tmp_path / f"portal-{stamp}.tar").write_bytes(b"")
    (tmp_path / "portal-20260104T010000Z.tar.partial").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("mine")

    removed = backup_prune(destination=tmp_path, keep=2)

    assert [p.name for p in removed] == ["portal-20260101T010000Z.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "portal-20260102T010000Z.tar",
        "portal-20260103T010000Z.tar",
        "portal-20260104T010000Z.tar.partial",
    ]


@pytest.mark.django_db
def test_backup_copies_the_archive_to_the_off_site_bucket(
    settings, s3_server, private_media, tmp_path
):
    bucket = f"portal-backups-{uuid.uuid4().hex[:8]}"
    s3_server.client().create_bucket(Bucket=bucket)
    settings.BACKUP_S3_BUCKET = bucket
    settings.BACKUP_S3_PREFIX = "nightly/"
    settings.BACKUP_S3_ENDPOINT_URL = s3_server.url
    settings.BACKUP_S3_REGION = "us-east-1"
    settings.BACKUP_S3_ACCESS_KEY_ID = "portal-tests"
    settings.BACKUP_S3_SECRET_ACCESS_KEY = "portal-tests-secret"

    call_command("backup", destination=tmp_path, verbosity=0)

    (path,) = tmp_path.glob("portal-*.tar")
    assert s3_server.keys(bucket) == [f"nightly/{path.name}"]
    copy = s3_server.client().get_object(Bucket=bucket, Key=f"nightly/{path.name}")["Body"].read()
    assert copy == path.read_bytes()


# --- where it runs -----------------------------------------------------------------------


def test_compose_runs_backups_on_demand_into_their_own_volume():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    backup = compose["services"]["backup"]

    assert (backup["profiles"], backup["command"], backup["restart"]) == (
        ["backup"],
        ["python", "manage.py", "backup"],
        "no",
    )
    assert backup["volumes"] == ["backups:/backups"]
    assert backup["environment"]["BACKUP_DESTINATION"] == "/backups"
    assert "backups" in compose["volumes"]
    # pg_dump must be at least the server's version.
    assert compose["services"]["postgres"]["image"] == "postgres:15"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "apt-get install -y --no-install-recommends postgresql-client-15" in dockerfile
    assert "mkdir -p /app/media /app/media-private /backups" in dockerfile
