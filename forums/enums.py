from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    BIENNIAL = "biennial", _("Every two years")
    IRREGULAR = "irregular", _("Irregular")


class HostingPrinciple(models.TextChoices):
    RECIPROCITY = "reciprocity", _("The principle of reciprocity")
    SECRETARIAT = "secretariat", _("Hosted by the secretariat")
    DECIDED_EACH_TIME = "decided", _("Decided for each meeting")


class AdmissionRule(models.TextChoices):
    RECOMMENDATION = "recommendation", _("At the recommendation of an existing member")
    GOVERNING_BODY = "governing_body", _("By decision of the governing body")
    SECRETARIAT = "secretariat", _("By decision of the secretariat")
