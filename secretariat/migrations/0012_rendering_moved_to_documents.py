"""Rendering is filed under the documents app now (documents 0001); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0011_staff_permissions_from_one_table"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RenderJob")],
            database_operations=[],
        ),
    ]
