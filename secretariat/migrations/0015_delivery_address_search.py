"""Staff find a circulation by a fragment of a recipient's address (``CirculationAdmin``
and the deliveries' own list search ``email`` with ``icontains``): a trigram index on the
upper-cased address lets PostgreSQL answer ``UPPER(email) LIKE UPPER('%fragment%')``
without reading every delivery. On SQLite (``make run``) there is nothing to do; the index
is not in the model's state, so SQLite's table rebuilds never try to make it."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "delivery_email_trgm"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON secretariat_delivery "
            "USING gin ((UPPER(email::text)) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("secretariat", "0014_attachment_pdf_pages_and_preview")]

    operations = [TrigramExtension(), migrations.RunPython(forward, backward)]
