"""The staff group's permissions come from one table in code (secretariat.permissions):
this applies it; a later change of the table comes with a migration calling it again."""

from django.db import migrations


def sync(apps, schema_editor):
    from secretariat.permissions import staff_group_sync

    staff_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0010_circulation_request_token"),
        ("forums", "0005_outbox_moved_to_mail"),
        ("mail", "0001_initial"),
        ("members", "0008_invitation_mail_in_mail_app"),
        ("actionplans", "0005_pdfs_private_public_copies"),
        ("publications", "0007_page_count"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
