"""Staff edit their forums' host rotation (forums.HostRotationCountry): the one table
(secretariat.permissions) gained its row; this applies it."""

from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0017_seeded_values_without_a_source"),
        ("forums", "0008_host_rotation"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
