"""The database half of a backup: ``pg_dump``/``pg_restore`` in PostgreSQL's custom format,
run against the connection settings of ``settings.DATABASES`` (or any other target).

The dump is taken from a snapshot this module exports and holds open, so that the row
counts and the list of files the rows name, read in that same snapshot, describe exactly
what the dump contains."""

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.apps import apps
from django.conf import settings
from django.db import models
from psycopg2 import sql
from psycopg2.extensions import make_dsn

# The OPTIONS of a Django database that are libpq's own and so apply to pg_dump too.
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "target_session_attrs",
    "options",
}


class DatabaseError(Exception):
    """The database cannot be dumped or restored; the message says why."""


@dataclass(frozen=True)
class DatabaseTarget:
    """Where to connect: a PostgreSQL database by its connection settings."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    # libpq connection parameters from OPTIONS (sslmode, sslrootcert, ...).
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, alias: str = "default") -> "DatabaseTarget":
        database = settings.DATABASES[alias]
        if "postgresql" not in database["ENGINE"]:
            raise DatabaseError(
                f"Backups need PostgreSQL; the {alias!r} database is {database['ENGINE']}."
            )
        return cls(
            name=database["NAME"],
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
            options=tuple(
                (key, str(value))
                for key, value in sorted(database.get("OPTIONS", {}).items())
                if key in LIBPQ_OPTIONS
            ),
        )

    def conninfo(self) -> str:
        """The libpq connection string, without the password."""
        parameters = {"dbname": self.name, "host": self.host, "port": self.port}
        parameters |= {"user": self.user, **dict(self.options)}
        return make_dsn(**{key: value for key, value in parameters.items() if value})

    def connect(self):
        return psycopg2.connect(self.conninfo(), password=self.password or None)

    def command(self, program: str) -> tuple[list[str], dict[str, str]]:
        """The arguments and environment that point ``program`` at this database (the
        password goes in the environment, never on a command line)."""
        path = shutil.which(program)
        if path is None:
            raise DatabaseError(
                f"{program} is not installed: install PostgreSQL's client programs "
                "(Debian: postgresql-client; scripts/system-deps does it)."
            )
        arguments = [path, "--dbname", self.conninfo(), "--no-password"]
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return arguments, environment


def table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def row_counts(connection) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in table_names(connection):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def server_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def counted(target: DatabaseTarget) -> dict[str, int]:
    """Every table's row count in ``target``, as the manifest records them."""
    connection = target.connect()
    try:
        return row_counts(connection)
    finally:
        connection.close()


def _storage_alias(field: models.FileField) -> str:
    from django.core.files.storage import default_storage

    from core.files import private_storage

    if field.storage is default_storage:
        return "default"
    if field.storage is private_storage:
        return "private"
    raise DatabaseError(f"{field.model.__name__}.{field.name} uses a storage backups miss.")


def referenced_files(connection) -> dict[str, set[str]]:
    """Every file name a row names, by storage alias ("default", "private")."""
    named: dict[str, set[str]] = {"default": set(), "private": set()}
    present = set(table_names(connection))
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.db_table not in present:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.FileField):
                    continue
                cursor.execute(
                    sql.SQL("SELECT DISTINCT {col} FROM {table} WHERE {col} <> ''").format(
                        col=sql.Identifier(field.column),
                        table=sql.Identifier(model._meta.db_table),
                    )
                )
                named[_storage_alias(field)].update(row[0] for row in cursor.fetchall())
    return named


@contextlib.contextmanager
def snapshot(target: DatabaseTarget) -> Iterator[tuple[object, str]]:
    """A read-only repeatable-read transaction and the id of its exported snapshot, which
    ``pg_dump --snapshot`` shares while the transaction stays open."""
    connection = target.connect()
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        yield connection, snapshot_id
    finally:
        connection.rollback()
        connection.close()


def dump(*, target: DatabaseTarget, path: Path, snapshot_id: str | None = None) -> None:
    """Writes the whole database to ``path`` in pg_dump's custom format, without owners or
    grants (a restore belongs to whoever restores it)."""
    arguments, environment = target.command("pg_dump")
    arguments += ["--format", "custom", "--no-owner", "--no-privileges", "--file", str(path)]
    if snapshot_id:
        arguments += ["--snapshot", snapshot_id]
    _run(arguments, environment, "pg_dump")


def is_empty(target: DatabaseTarget) -> bool:
    """Whether the database has no table (a fresh ``CREATE DATABASE``)."""
    connection = target.connect()
    try:
        return not table_names(connection)
    finally:
        connection.close()


def restore(*, target: DatabaseTarget, path: Path) -> None:
    """Loads a dump into ``target`` in one transaction: on any error nothing is left."""
    arguments, environment = target.command("pg_restore")
    arguments += [
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(path),
    ]
    _run(arguments, environment, "pg_restore")


def _run(arguments: list[str], environment: dict[str, str], program: str) -> None:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise DatabaseError(f"{program} failed: {result.stderr.strip()}")
