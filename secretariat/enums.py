from django.db import models
from django.utils.translation import gettext_lazy as _

from mail.enums import MailStatus


class PaperKind(models.TextChoices):
    CONCEPT_PAPER = "concept_paper", _("Concept paper")
    ADMINISTRATIVE_NOTE = "administrative_note", _("Administrative note")


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready to circulate")
    CIRCULATED = "circulated", _("Circulated")


class CirculationStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing the document")
    READY = "ready", _("Document ready")
    FAILED = "failed", _("The document could not be prepared")


# A delivery is a row of an outbox, as a notice is (mail.outbox): the same states.
DeliveryStatus = MailStatus


class Attendance(models.TextChoices):
    ATTENDING = "attending", _("Will attend")
    NOT_ATTENDING = "not_attending", _("Will not attend")
    UNDECIDED = "undecided", _("Not decided yet")


class AnswerChannel(models.TextChoices):
    PORTAL = "portal", _("Member portal")
    LINK = "link", _("Link in the e-mail")
