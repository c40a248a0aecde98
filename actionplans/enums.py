from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    FORUM = "forum", _("Forum session")
    ROUNDTABLE = "roundtable", _("Roundtable")
    WORKSHOP = "workshop", _("Workshop")
    THEMATIC_DIALOGUE = "thematic_dialogue", _("Thematic dialogue")
    TRAINING = "training", _("Training")
    FRAMEWORK = "framework", _("Meeting of the framework")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class ActionPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class ActivityKind(models.TextChoices):
    FORUM_MEETING = "forum_meeting", _("Forum meeting")
    WORKSHOP_SERIES = "workshop_series", _("Workshop series")
    HANDBOOK = "handbook", _("Handbook / e-book")
    ANALYTICAL_REPORTS = "analytical_reports", _("Analytical reports")
    NETWORK = "network", _("Network building and catalogue")
    THEMATIC_DIALOGUE = "thematic_dialogue", _("Thematic dialogue")
    CIRCULATION = "circulation", _("Circulation of documents")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ModerationStatus(models.TextChoices):
    VOLUNTEERED = "volunteered", _("Volunteered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    PUBLISHED = "published", _("Published")
