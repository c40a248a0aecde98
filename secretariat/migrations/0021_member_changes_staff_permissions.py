from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    """Staff see their forums' member changes and mark them seen."""

    dependencies = [
        ("secretariat", "0020_statement_versions_staff_permissions"),
        ("members", "0011_member_change"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
