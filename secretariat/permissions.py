"""What the "Secretariat staff" group may do, in one table; ``staff_group_sync`` makes the
group hold exactly these model permissions. Migrations call it (with their historical
apps) whenever the table changes, and the tests call it to put the group back after a
transactional test emptied the tables. Which rows staff reach is a separate rule (their
secretariat's forums: ``core.scoping``, ``core.rules``)."""

ALL = ("add", "change", "delete", "view")
STAFF_GROUP = "Secretariat staff"

STAFF_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "forums": {
        "framework": ("view",),
        "frameworkmemberstate": ("view",),
        "forum": ("change", "view"),
        "hostrotationcountry": ALL,
        "secretariat": ("view",),
        "theme": ("add", "change", "view"),
    },
    "members": {
        "institute": ("add", "change", "view"),
        "contact": ALL,
        "membership": ("add", "change", "view"),
        "membershipstatuschange": ("add", "view"),
        "focalpoint": ALL,
        "statecontact": ALL,
        "recommendation": ("change", "view"),
        "memberchange": ("change", "view"),
        "harvestsource": ("add", "change", "view"),
        "harvestrun": ("view",),
    },
    "actionplans": {
        "actionplan": ALL,
        "activity": ALL,
        "activitymoderator": ALL,
        "meeting": ALL,
        "jointstatement": ALL,
        "signatory": ALL,
        "meetingspeaker": ALL,
        "actionplantranslation": ALL,
        "activitytranslation": ALL,
        "jointstatementtranslation": ALL,
    },
    "documents": {"documentcategory": ("add", "change", "view")},
    "publications": {"publication": ALL},
    "secretariat": {
        "conceptpaper": ALL,
        "conceptpaperattachment": ALL,
        "circulation": ("add", "change", "view"),
        "delivery": ("change", "view"),
        "answer": ("add", "change", "view"),
        "annualreport": ALL,
    },
}


def staff_group_sync(apps=None):
    """Creates any missing model permission, then gives the staff group exactly the ones of
    ``STAFF_PERMISSIONS`` (adding what is new, removing what was dropped). ``apps`` is a
    migration's historical registry, or the project's when called from code."""
    from django.apps import apps as project_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or project_apps
    for app_config in registry.get_app_configs():
        if apps is not None:  # historical app configs have no models module of their own
            app_config.models_module = True
        create_permissions(app_config, apps=registry, verbosity=0)
        if apps is not None:
            app_config.models_module = None
    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    wanted = [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in STAFF_PERMISSIONS.items()
        for model, actions in models.items()
        # An older migration's registry may not have a model the table names yet: the
        # migration that adds the model calls this again.
        if _has_model(registry, app_label, model)
        for action in actions
    ]
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(wanted)
    return group


def _has_model(registry, app_label: str, model: str) -> bool:
    try:
        registry.get_model(app_label, model)
    except LookupError:
        return False
    return True
