from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    """Staff keep the language versions of their forums' joint statements."""

    dependencies = [
        ("secretariat", "0019_annual_report"),
        ("actionplans", "0010_statement_language_versions"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
