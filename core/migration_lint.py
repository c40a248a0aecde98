"""The migration linter: every project migration's PostgreSQL SQL, checked by squawk.

Each migration is turned into the SQL `manage.py sqlmigrate` prints (BEGIN/COMMIT around
an atomic one), against an empty scratch database this module creates and drops, so the
result does not depend on the state of any real database. squawk (a PostgreSQL migration
linter, `squawk-cli`) reads that SQL and names what would lock a busy table, rewrite it,
build an index without CONCURRENTLY or break the running release. A finding fails the
run unless `migration-lint.toml` accepts that rule for that very migration, with a
reason; an acceptance that no longer matches a finding fails too, so the baseline stays
exactly the list of old migrations' accepted findings (docs/adr/0030-migration-linter.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.state import ProjectState
from django.db.utils import load_backend

CONFIG_PATH = Path(settings.BASE_DIR) / "migration-lint.toml"
SCRATCH_ALIAS = "migration_lint"


class MigrationLintError(Exception):
    """The linter could not run (no PostgreSQL, no squawk, a broken configuration)."""


@dataclass(frozen=True)
class Acceptance:
    """Findings of these rules in this one migration are accepted, for this reason."""

    migration: str
    rules: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class LintConfig:
    pg_version: str
    excluded_rules: dict[str, str]
    accepted: tuple[Acceptance, ...]

    def accepts(self, *, migration: str, rule: str) -> bool:
        return any(a.migration == migration and rule in a.rules for a in self.accepted)


@dataclass(frozen=True)
class Finding:
    migration: str
    rule: str
    line: int
    message: str
    help: str
    statement: str

    def describe(self) -> str:
        text = f"{self.migration}: {self.rule} (line {self.line}): {self.message}"
        if self.help:
            text += f" {self.help}"
        return f"{text}\n    {self.statement}"


@dataclass
class LintResult:
    migrations: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sql: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f not in self.accepted]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems

    def summary(self, *, config_name: str = "migration-lint.toml") -> str:
        text = (
            f"{len(self.migrations)} migrations checked, "
            f"{len(self.accepted)} findings accepted by {config_name}, "
            f"{len(self.failures)} new"
        )
        if self.problems:
            text += f", {len(self.problems)} baseline problems"
        return text


def load_config(path: Path = CONFIG_PATH) -> LintConfig:
    """Read migration-lint.toml; every exclusion and acceptance must give its reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MigrationLintError(f"cannot read {path}: {exc}") from exc
    excluded = data.get("excluded_rules", {})
    for rule, reason in excluded.items():
        if not isinstance(reason, str) or not reason.strip():
            raise MigrationLintError(f"{path}: excluded rule {rule!r} has no reason")
    accepted = []
    for entry in data.get("accepted", []):
        migration = entry.get("migration", "")
        rules = entry.get("rules", [])
        reason = entry.get("reason", "")
        if not migration or not rules or not isinstance(reason, str) or not reason.strip():
            raise MigrationLintError(
                f"{path}: every [[accepted]] entry needs migration, rules and a reason: {entry!r}"
            )
        accepted.append(Acceptance(migration=migration, rules=tuple(rules), reason=reason))
    return LintConfig(
        pg_version=str(data.get("pg_version", "15")),
        excluded_rules=dict(excluded),
        accepted=tuple(accepted),
    )


def project_app_labels() -> set[str]:
    """The apps whose code lives in this repository (not Django's, not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(site_packages):
            labels.add(config.label)
    return labels


def squawk_binary() -> str:
    """squawk from the virtualenv this Python runs in, else from PATH."""
    candidate = Path(sys.executable).parent / "squawk"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("squawk")
    if found is None:
        raise MigrationLintError("squawk is not installed (pip install squawk-cli)")
    return found


@contextmanager
def scratch_connection(*, alias: str = "default") -> Iterator[BaseDatabaseWrapper]:
    """A connection to a new, empty PostgreSQL database on the server `alias` uses.

    Nothing is applied to it: it only answers the schema editor's introspection, the same
    for every run. It is dropped on the way out.
    """
    base = connections[alias]
    if base.vendor != "postgresql":
        raise MigrationLintError(
            f"the migration linter needs PostgreSQL; DATABASE_URL points to {base.vendor}"
        )
    name = f"{base.settings_dict['NAME'] or 'portal'}_miglint_{os.getpid()}"[:63]
    quoted = base.ops.quote_name(name)
    with base._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    settings_dict = {**base.settings_dict, "NAME": name}
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, alias=SCRATCH_ALIAS
    )
    # Operations look their connection up by alias (routers, Meta.required_db_vendor).
    connections[SCRATCH_ALIAS] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[SCRATCH_ALIAS]
        with base._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


def _migration_sql(
    *, connection: BaseDatabaseWrapper, migration: Migration, state: ProjectState
) -> tuple[str, ProjectState]:
    """The SQL `sqlmigrate` prints for this migration, and the project state after it.

    The editor opens no transaction (nothing runs): an operation that refuses to run inside
    one, such as AddIndexConcurrently in an atomic migration, is then written out between
    BEGIN and COMMIT for squawk to name, rather than raising here.
    """
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        state = migration.apply(state, editor, collect_sql=True)
    statements = list(editor.collected_sql)
    if migration.atomic and connection.features.can_rollback_ddl:
        statements = ["BEGIN;", *statements, "COMMIT;"]
    return "\n".join(statements) + "\n", state


def collect_migration_sql(*, connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Every project migration's SQL, keyed "app.name", in the order migrate applies them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = project_app_labels()
    plan = []
    seen: set[tuple[str, str]] = set()
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(loader.graph.nodes[key])
    state = ProjectState(real_apps=loader.unmigrated_apps)
    sql: dict[str, str] = {}
    for migration in plan:
        if migration.app_label not in ours:
            # Other apps' migrations only move the state along: their SQL is not ours to
            # lint, and some cannot be written out against an empty database at all.
            state = migration.mutate_state(state, preserve=False)
            continue
        text, state = _migration_sql(connection=connection, migration=migration, state=state)
        sql[f"{migration.app_label}.{migration.name}"] = text
    return sql


def run_squawk(*, sql: dict[str, str], config: LintConfig) -> list[Finding]:
    """squawk's findings over each migration's SQL, with the configured rules left out."""
    if not sql:
        return []
    with tempfile.TemporaryDirectory(prefix="migration-lint-") as folder:
        files: dict[str, str] = {}
        statements: dict[str, list[str]] = {}
        for key, text in sql.items():
            path = Path(folder) / f"{key}.sql"
            path.write_text(text, encoding="utf-8")
            files[str(path)] = key
            statements[key] = text.splitlines()
        command = [squawk_binary(), "--reporter", "json", f"--pg-version={config.pg_version}"]
        if config.excluded_rules:
            command.append("--exclude=" + ",".join(sorted(config.excluded_rules)))
        completed = subprocess.run(
            [*command, *files], capture_output=True, text=True, check=False, timeout=300
        )
        try:
            reported = json.loads(completed.stdout or "[]")
        except json.JSONDecodeError as exc:
            raise MigrationLintError(
                f"squawk failed ({completed.returncode}): {completed.stderr.strip()}"
            ) from exc
    findings = []
    for item in reported:
        key = files.get(item["file"], item["file"])
        lines = statements.get(key, [])
        index = int(item.get("line", 0))  # squawk counts lines from 0
        findings.append(
            Finding(
                migration=key,
                rule=item["rule_name"],
                line=index + 1,
                message=item.get("message") or "",
                help=item.get("help") or "",
                statement=lines[index] if 0 <= index < len(lines) else "",
            )
        )
    return findings


# squawk has no rule for an explicit LOCK (RunSQL): it holds its lock, often ACCESS
# EXCLUSIVE, until the migration's transaction ends, so the linter adds this one rule.
LOCK_STATEMENT = re.compile(r"^[ \t]*LOCK\b", re.IGNORECASE | re.MULTILINE)
LOCK_RULE = "ban-lock-table"


def find_explicit_locks(*, sql: dict[str, str]) -> list[Finding]:
    """An explicit LOCK statement (a RunSQL's), which no squawk rule reports."""
    findings = []
    for key, text in sql.items():
        for match in LOCK_STATEMENT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            findings.append(
                Finding(
                    migration=key,
                    rule=LOCK_RULE,
                    line=line,
                    message="An explicit LOCK is held until the migration's transaction ends, "
                    "blocking the running release for that long.",
                    help="Leave locking to the statements that need it, in small migrations.",
                    statement=text.splitlines()[line - 1],
                )
            )
    return findings


def lint_migrations(*, config: LintConfig, alias: str = "default") -> LintResult:
    """Lint every project migration; the result says what fails and what the baseline took."""
    with scratch_connection(alias=alias) as connection:
        sql = collect_migration_sql(connection=connection)
    findings = run_squawk(sql=sql, config=config)
    if LOCK_RULE not in config.excluded_rules:
        findings += find_explicit_locks(sql=sql)
    return check_findings(migrations=list(sql), findings=findings, config=config, sql=sql)


def check_findings(
    *,
    migrations: list[str],
    findings: list[Finding],
    config: LintConfig,
    sql: dict[str, str] | None = None,
) -> LintResult:
    """Split findings into accepted and failing, and name acceptances that match nothing."""
    result = LintResult(migrations=migrations, findings=findings, sql=sql or {})
    result.accepted = [f for f in findings if config.accepts(migration=f.migration, rule=f.rule)]
    found = {(f.migration, f.rule) for f in findings}
    for acceptance in config.accepted:
        if acceptance.migration not in migrations:
            result.problems.append(
                f"migration-lint.toml accepts findings of {acceptance.migration}, "
                "which is not a migration of this project"
            )
            continue
        for rule in acceptance.rules:
            if (acceptance.migration, rule) not in found:
                result.problems.append(
                    f"migration-lint.toml accepts {rule} in {acceptance.migration}, "
                    "which squawk no longer reports there: remove it"
                )
    return result
