"""Model permissions of the "Secretariat staff" group for members' recommendations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {"members": {"recommendation": ("change", "view")}}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat staff")
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_recommendations"),
        ("secretariat", "0004_staff_permissions_for_circulation"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
