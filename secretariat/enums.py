from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperKind(models.TextChoices):
    CONCEPT_PAPER = "concept_paper", _("Concept paper")
    ADMINISTRATIVE_NOTE = "administrative_note", _("Administrative note")


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready to circulate")
    CIRCULATED = "circulated", _("Circulated")
