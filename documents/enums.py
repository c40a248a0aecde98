from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DocumentType(models.TextChoices):
    """The kinds of rendered document; the app that owns each registers it
    (``documents.registry``)."""

    STATEMENT = "statement", _("Joint statement")
    ACTION_PLAN = "actionplan", _("Action plan")
    CONCEPT_PAPER = "conceptpaper", _("Concept paper or note")
    ANNUAL_REPORT = "annualreport", _("Annual report")
