"""The "Secretariat staff" group and its model permissions.

Object-level scoping (staff reach only their secretariat's forums) is enforced on top of
these by ``<app>.manage_<model>`` rules; see docs/adr/0002.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Secretariat staff"
ALL = ("add", "change", "delete", "view")
PERMISSIONS = {
    "forums": {
        "framework": ("view",),
        "frameworkmemberstate": ("view",),
        "forum": ("change", "view"),
        "secretariat": ("view",),
        "theme": ("add", "change", "view"),
    },
    "members": {
        "institute": ("add", "change", "view"),
        "contact": ALL,
        "membership": ("add", "change", "view"),
        "membershipstatuschange": ("add", "view"),
        "focalpoint": ALL,
    },
    "actionplans": {
        "actionplan": ALL,
        "activity": ALL,
        "activitymoderator": ALL,
        "meeting": ALL,
        "jointstatement": ALL,
        "signatory": ALL,
    },
    "publications": {"publication": ALL},
    "secretariat": {"conceptpaper": ALL, "conceptpaperattachment": ALL},
}


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forums", "0002_initial"),
        ("members", "0001_initial"),
        ("actionplans", "0002_initial"),
        ("publications", "0001_initial"),
        ("secretariat", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
