from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationKind(models.TextChoices):
    ANALYTICAL_REPORT = "analytical_report", _("Analytical report")
    FORECAST_REPORT = "forecast_report", _("Forecast report")
    SECURITY_OUTLOOK = "security_outlook", _("Security outlook")
    HANDBOOK = "handbook", _("Handbook / e-book")
    KEY_TAKEAWAYS = "key_takeaways", _("Key takeaways")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    BOOK = "book", _("Book")
    ARTICLE = "article", _("Article")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    OTHER = "other", _("Other")


class PublicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    KOREAN = "ko", _("Korean")
    CHINESE = "zh", _("Chinese")
    KAZAKH = "kk", _("Kazakh")
    KYRGYZ = "ky", _("Kyrgyz")
    TAJIK = "tg", _("Tajik")
    TURKMEN = "tk", _("Turkmen")
    UZBEK = "uz", _("Uzbek")
    OTHER = "other", _("Other")
