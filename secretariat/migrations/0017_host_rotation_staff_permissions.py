"""Staff edit their forums' host rotation (forums.HostRotationCountry): the one table
(secretariat.permissions) gained its row; this applies it."""

from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0016_delivery_of_institute"),
        ("forums", "0007_host_rotation"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
