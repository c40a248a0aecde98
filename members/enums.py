from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstituteKind(models.TextChoices):
    STRATEGIC_STUDIES = "strategic_studies", _("Strategic studies institute")
    RESEARCH_CENTRE = "research_centre", _("Research centre")
    FOUNDATION = "foundation", _("Foundation")
    UNIVERSITY = "university", _("University")
    EMBASSY = "embassy", _("Embassy")
    GOVERNMENT = "government", _("Government body")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class MembershipStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Declined")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("membership", "Withdrawn")


class HarvestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
