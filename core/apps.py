from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel (base models, scoping, the admin's base, files, workflows, jobs):
    no tables of its own."""

    name = "core"
