from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    """Staff register institutes' repositories to harvest and see the harvest runs."""

    dependencies = [
        ("secretariat", "0021_member_changes_staff_permissions"),
        ("members", "0012_harvest_sources_and_runs"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
