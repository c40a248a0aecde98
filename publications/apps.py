from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        # The catalogue's country trigger on SQLite (publications.triggers).
        pre_migrate.connect(_drop_sqlite_trigger, sender=self)
        post_migrate.connect(_make_sqlite_trigger, sender=self)


def _drop_sqlite_trigger(*, using, **kwargs) -> None:
    from django.db import connections

    from publications import triggers as trigger

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(trigger.SQLITE_BACKWARD)


def _make_sqlite_trigger(*, using, **kwargs) -> None:
    from django.db import connections

    from publications import triggers as trigger

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    needed = {"members_institute", "publications_publication", "publications_cataloguefacet"}
    if needed <= tables:
        with connection.cursor() as cursor:
            cursor.execute(trigger.SQLITE_BACKWARD)
            cursor.execute(trigger.SQLITE)
