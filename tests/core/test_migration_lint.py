"""The migration linter (core.migration_lint, `manage.py lint_migrations`): squawk over each
migration's real PostgreSQL SQL, with old migrations' findings accepted one by one.

New migrations are written as files into a copy of the publications app's migrations
(MIGRATION_MODULES points to it), on top of its latest real migration, so the linter reads
them exactly as it would read a developer's next migration. The repository's own
migrations are linted by `make lint-migrations`, which `make test` runs before the suite
(not again here: a run takes about a minute).
"""

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from core.migration_lint import (
    Acceptance,
    Finding,
    LintConfig,
    LintResult,
    MigrationLintError,
    check_findings,
    lint_migrations,
    load_config,
)

LATEST = "0014_feeds_by_approval"
HEADER = "from django.contrib.postgres.operations import AddIndexConcurrently\n"
HEADER += "from django.db import migrations, models\n"

# name → (atomic, operations): each depends on the one before it.
NEW_MIGRATIONS = {
    "0015_plain_index_on_publications": (
        True,
        """
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["keywords"], name="lint_plain_keywords_idx"),
        ),
        """,
    ),
    "0016_page_count_to_bigint": (
        True,
        """
        migrations.AlterField(
            model_name="publication",
            name="page_count",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        """,
    ),
    "0017_explicit_lock": (
        True,
        """
        migrations.RunSQL(
            sql='LOCK TABLE "publications_publication" IN ACCESS EXCLUSIVE MODE;\\n'
            "UPDATE publications_publication SET keywords = lower(keywords);",
            reverse_sql=migrations.RunSQL.noop,
        ),
        """,
    ),
    "0018_concurrent_index_in_a_transaction": (
        True,
        """
        AddIndexConcurrently(
            model_name="publication",
            index=models.Index(fields=["doi"], name="lint_doi_in_transaction_idx"),
        ),
        """,
    ),
    "0019_required_field_with_a_default": (
        True,
        """
        migrations.AddField(
            model_name="publication",
            name="is_lint_probe",
            field=models.BooleanField(default=False),
        ),
        """,
    ),
    "0020_safe_changes": (
        False,
        """
        AddIndexConcurrently(
            model_name="publication",
            index=models.Index(fields=["isbn"], name="lint_isbn_concurrent_idx"),
        ),
        migrations.AddField(
            model_name="publication",
            name="lint_note",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="publication",
            name="is_lint_checked",
            field=models.BooleanField(db_default=False, default=False),
        ),
        """,
    ),
    "0021_new_table": (
        True,
        """
        migrations.CreateModel(
            name="LintProbe",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("is_checked", models.BooleanField(default=False)),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=models.deletion.PROTECT, to="publications.publication"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["name"], name="lint_probe_name_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=["publication", "name"], name="lint_probe_unique_name"
                    )
                ],
            },
        ),
        """,
    ),
}


def _write_migrations(folder: Path) -> None:
    shutil.copytree(Path(settings.BASE_DIR) / "publications" / "migrations", folder)
    previous = LATEST
    for name, (atomic, operations) in NEW_MIGRATIONS.items():
        body = textwrap.indent(textwrap.dedent(operations).strip(), " " * 8)
        (folder / f"{name}.py").write_text(
            f"{HEADER}\n\nclass Migration(migrations.Migration):\n"
            f"    atomic = {atomic}\n"
            f'    dependencies = [("publications", "{previous}")]\n'
            f"    operations = [\n{body}\n    ]\n",
            encoding="utf-8",
        )
        previous = name


@pytest.fixture(scope="module")
def linted(tmp_path_factory, django_db_setup, django_db_blocker) -> LintResult:
    """One linter run over the project with the new migrations above (about a minute)."""
    root = tmp_path_factory.mktemp("lintcase")
    package = "lintcase_publications_migrations"
    _write_migrations(root / package)
    sys.path.insert(0, str(root))
    try:
        with (
            override_settings(MIGRATION_MODULES={"publications": package}),
            django_db_blocker.unblock(),
        ):
            return lint_migrations(config=load_config())
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[module]


def _failing_rules(result: LintResult, name: str) -> list[str]:
    return sorted({f.rule for f in result.failures if f.migration == f"publications.{name}"})


@pytest.mark.slow
def test_plain_index_on_an_existing_table_fails(linted):
    assert _failing_rules(linted, "0015_plain_index_on_publications") == [
        "require-concurrent-index-creation"
    ]
    key = "publications.0015_plain_index_on_publications"
    [finding] = [f for f in linted.failures if f.migration == key]
    assert finding.statement == (
        'CREATE INDEX "lint_plain_keywords_idx" ON "publications_publication" ("keywords");'
    )


@pytest.mark.slow
def test_column_type_change_that_rewrites_the_table_fails(linted):
    assert _failing_rules(linted, "0016_page_count_to_bigint") == ["changing-column-type"]


@pytest.mark.slow
def test_explicit_lock_in_run_sql_fails(linted):
    assert _failing_rules(linted, "0017_explicit_lock") == ["ban-lock-table"]


@pytest.mark.slow
def test_concurrent_index_inside_the_migrations_transaction_fails(linted):
    assert _failing_rules(linted, "0018_concurrent_index_in_a_transaction") == [
        "ban-concurrent-index-creation-in-transaction"
    ]


@pytest.mark.slow
def test_required_field_whose_default_django_drops_fails(linted):
    """The previous release, still running, inserts without the new column: without a
    database default that insert fails."""
    assert _failing_rules(linted, "0019_required_field_with_a_default") == ["ban-drop-default"]


@pytest.mark.slow
def test_safe_migration_passes(linted):
    key = "publications.0020_safe_changes"
    assert [f for f in linted.findings if f.migration == key] == []
    assert linted.sql[key].splitlines()[0] == "--"
    assert "BEGIN;" not in linted.sql[key]
    assert 'CREATE INDEX CONCURRENTLY "lint_isbn_concurrent_idx"' in linted.sql[key]


@pytest.mark.slow
def test_new_table_passes_without_baseline_entries(linted):
    key = "publications.0021_new_table"
    assert [f for f in linted.findings if f.migration == key] == []
    assert 'CREATE TABLE "publications_lintprobe"' in linted.sql[key]
    assert [a for a in load_config().accepted if a.migration == key] == []


@pytest.mark.slow
def test_only_the_new_migrations_fail_and_the_baseline_matches_exactly(linted):
    assert sorted({f.migration for f in linted.failures}) == [
        "publications.0015_plain_index_on_publications",
        "publications.0016_page_count_to_bigint",
        "publications.0017_explicit_lock",
        "publications.0018_concurrent_index_in_a_transaction",
        "publications.0019_required_field_with_a_default",
    ]
    assert linted.problems == []
    assert not linted.ok
    assert linted.summary() == (
        f"{len(linted.migrations)} migrations checked, {len(linted.accepted)} findings "
        "accepted by migration-lint.toml, 5 new"
    )
    assert "publications.0021_new_table" in linted.migrations


@pytest.mark.slow
def test_baseline_of_an_old_migration_does_not_accept_the_same_rule_in_a_new_one(linted):
    config = load_config()
    old = "publications.0008_admin_list_indexes"
    assert config.accepts(migration=old, rule="require-concurrent-index-creation")
    new = [f for f in linted.findings if f.migration.endswith("0015_plain_index_on_publications")]
    result = check_findings(migrations=linted.migrations, findings=new, config=config)
    assert result.failures == new


def _finding(migration: str, rule: str) -> Finding:
    return Finding(migration=migration, rule=rule, line=2, message="m", help="", statement="s")


def test_baseline_entry_for_the_new_migration_accepts_only_its_named_rule():
    findings = [_finding("a.0002_x", "ban-drop-column"), _finding("a.0002_x", "renaming-column")]
    config = LintConfig(
        pg_version="15",
        excluded_rules={},
        accepted=(Acceptance("a.0002_x", ("ban-drop-column",), "column unused since 0001"),),
    )
    result = check_findings(migrations=["a.0001_y", "a.0002_x"], findings=findings, config=config)
    assert result.failures == [_finding("a.0002_x", "renaming-column")]
    assert result.accepted == [_finding("a.0002_x", "ban-drop-column")]


def test_acceptance_that_matches_no_finding_fails():
    config = LintConfig(
        pg_version="15",
        excluded_rules={},
        accepted=(
            Acceptance("a.0001_y", ("ban-drop-column",), "old"),
            Acceptance("a.0009_gone", ("ban-drop-column",), "old"),
        ),
    )
    result = check_findings(migrations=["a.0001_y"], findings=[], config=config)
    assert result.problems == [
        "migration-lint.toml accepts ban-drop-column in a.0001_y, which squawk no longer "
        "reports there: remove it",
        "migration-lint.toml accepts findings of a.0009_gone, which is not a migration of "
        "this project",
    ]
    assert not result.ok


@pytest.mark.parametrize(
    "entry",
    [
        'migration = "a.0001_y"\nrules = ["ban-drop-column"]\nreason = ""',
        'migration = "a.0001_y"\nrules = ["ban-drop-column"]',
        'migration = "a.0001_y"\nrules = []\nreason = "why"',
    ],
)
def test_acceptance_without_a_reason_or_rule_is_refused(tmp_path, entry):
    path = tmp_path / "migration-lint.toml"
    path.write_text(f"[[accepted]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(MigrationLintError, match="needs migration, rules and a reason"):
        load_config(path)


def test_excluded_rule_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "migration-lint.toml"
    path.write_text('[excluded_rules]\nban-drop-column = ""\n', encoding="utf-8")
    with pytest.raises(MigrationLintError, match="excluded rule 'ban-drop-column' has no reason"):
        load_config(path)
