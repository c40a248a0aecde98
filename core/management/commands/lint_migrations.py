"""`manage.py lint_migrations`: squawk over every project migration's PostgreSQL SQL."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.migration_lint import CONFIG_PATH, MigrationLintError, lint_migrations, load_config


class Command(BaseCommand):
    help = (
        "Check every migration's PostgreSQL SQL with squawk (locks, table rewrites, "
        "non-concurrent index builds, changes the running release cannot take); findings "
        "not accepted in migration-lint.toml fail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--config", default=str(CONFIG_PATH), help="the baseline file")
        parser.add_argument(
            "--database", default="default", help="the PostgreSQL server to use (an alias)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = load_config(Path(options["config"]))
            result = lint_migrations(config=config, alias=options["database"])
        except MigrationLintError as exc:
            raise CommandError(str(exc)) from exc
        for finding in result.failures:
            self.stderr.write(finding.describe())
        for problem in result.problems:
            self.stderr.write(problem)
        summary = result.summary(config_name=Path(options["config"]).name)
        if not result.ok:
            raise CommandError(
                f"{summary}. Make the migration safe (README, Upgrades), or accept the "
                "finding in the baseline with a reason."
            )
        self.stdout.write(summary)
