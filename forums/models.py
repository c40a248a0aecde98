"""Frameworks, forums, the secretariats that run them, and the shared vocabulary of themes.

``AuditedModel`` is the base of every domain model in the portal: it records who created
and last changed a row, and registers the ``<app>.manage_<model>`` object permission.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from rules.contrib.models import RulesModel
from simple_history.models import HistoricalRecords

from forums.enums import AdmissionRule, Cadence, HostingPrinciple, MailStatus
from forums.files import private_files
from forums.rules import can_manage
from forums.workflow import Workflow


class AuditedModel(RulesModel):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The ORM path from this model to its Forum; None for shared reference data.
    forum_scope: ClassVar[str | None] = None
    forum_scope_shows_unowned: ClassVar[bool] = False

    class Meta:
        abstract = True

    @classmethod
    def preprocess_rules_permissions(cls, perms):
        if not cls._meta.abstract:
            perms.setdefault("manage", can_manage)


class RenderedDocument(models.Model):
    """A document the portal renders to PDF. ``version`` is raised by the services that
    change its content; the PDF records the version it was rendered from, so a page links
    it only while it is current (docs/adr/0006).

    Every PDF is kept in the private storage (``pdf``); while the document is public
    (``is_public``: a published statement, an adopted plan) a copy of its current PDF is
    in the public storage (``public_pdf``), served by URL (docs/adr/0010). A draft is never
    written where the public can fetch it."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    pdf = models.FileField(
        _("PDF"), storage=private_files, upload_to="documents/%Y/", blank=True, editable=False
    )
    public_pdf = models.FileField(
        _("public copy of the PDF"), upload_to="documents/%Y/", blank=True, editable=False
    )
    pdf_version = models.PositiveIntegerField(_("PDF of version"), null=True, editable=False)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, editable=False)
    # A digest of the HTML the PDF was made from: what the PDF shows, whoever changed it
    # (an institute renamed, a command, the shell), is compared with it (docs/adr/0006).
    pdf_fingerprint = models.CharField(
        _("fingerprint of the PDF's content"), max_length=64, blank=True, editable=False
    )

    # Rendering is not a change of the document: its history leaves these out.
    UNTRACKED = ["pdf", "public_pdf", "pdf_version", "pdf_rendered_at", "pdf_fingerprint"]

    class Meta:
        abstract = True

    @property
    def has_current_pdf(self) -> bool:
        return bool(self.pdf) and self.pdf_version == self.version

    @property
    def is_public(self) -> bool:
        """Whether the public may read the document (and so download its PDF)."""
        return False

    @property
    def file_stem(self) -> str:
        """What its files are named after: its symbol or title, never an id."""
        return "document"


class Theme(AuditedModel):
    """One shared vocabulary of themes for activities, meetings and publications."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language, where there is one."""
        if self.name_ru and (get_language() or "").startswith("ru"):
            return self.name_ru
        return self.name


class Framework(AuditedModel):
    """The intergovernmental process a forum belongs to (CICA, the Korea–Central Asia
    Cooperation Forum)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    working_languages = models.CharField(
        _("working languages"), max_length=120, blank=True, help_text=_("e.g. English, Russian")
    )
    website = models.URLField(_("website"), blank=True)

    forum_scope = "forums"
    forum_scope_shows_unowned = True
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class FrameworkMemberState(AuditedModel):
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="member_states",
    )
    country = CountryField(_("country"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    forum_scope = "framework__forums"
    forum_scope_shows_unowned = True
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["framework", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "country"], name="framework_member_state_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.name} ({self.framework})"


class Secretariat(AuditedModel):
    """The body that runs one or more forums; its staff manage those forums' data."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    operator = models.ForeignKey(
        "members.Institute",
        verbose_name=_("operated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_secretariats",
        help_text=_("The institution that operates the secretariat, where there is one."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="secretariats",
    )

    forum_scope = "forums"
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Forum(AuditedModel):
    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="forums"
    )
    secretariat = models.ForeignKey(
        Secretariat,
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        related_name="forums",
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    founding_document = models.CharField(_("founding document"), max_length=255, blank=True)
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, blank=True)
    hosting_principle = models.CharField(
        _("hosting principle"), max_length=20, choices=HostingPrinciple.choices, blank=True
    )
    admission_rule = models.CharField(
        _("admission of new members"), max_length=20, choices=AdmissionRule.choices, blank=True
    )
    orientation = models.TextField(
        _("orientation"), blank=True, help_text=_("How the forum works, as its members agreed.")
    )
    website = models.URLField(_("website"), blank=True)

    forum_scope = "pk"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Every outbox row (a notice, a circulation's delivery): claimed for sending, then sent,
# failed with the server's reason, or queued again for a later attempt; a failed one may
# be queued again by staff. A sent one never moves again.
OUTBOX_WORKFLOW = Workflow(
    initial=[MailStatus.QUEUED],
    moves={
        MailStatus.QUEUED: [MailStatus.SENDING],
        MailStatus.SENDING: [MailStatus.SENT, MailStatus.FAILED, MailStatus.QUEUED],
        MailStatus.FAILED: [MailStatus.QUEUED],
    },
    transition_fields=("attempts", "last_error", "next_attempt_at", "claimed_at", "sent_at"),
)


class OutboundMail(models.Model):
    """A message the portal owes someone (a publication returned, a profile changed, an
    invitation), written in the same transaction as the change it reports and sent by a
    worker once that commits, never in a web request; one that could not be sent yet stays
    queued and is tried again, so nothing is lost to an SMTP server that is down
    (docs/adr/0005). An invitation's text holds a one-time token: such a row
    (``erase_body_when_done``) keeps its body only until it is sent or has failed."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    template = models.CharField(_("kind"), max_length=120)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # Who holds the row while it is "sending": only that sender may settle it (a sender
    # slower than the lease cannot settle the claim of the one that took over).
    claim_token = models.CharField(_("claim"), max_length=32, blank=True, editable=False)
    erase_body_when_done = models.BooleanField(_("erase the text once sent"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    workflow = OUTBOX_WORKFLOW

    class Meta:
        verbose_name = _("outgoing notice")
        verbose_name_plural = _("outgoing notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MailStatus.values), name="outbound_mail_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_mail_due"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Accepted by the mail server")
    TEMPORARY = "temporary", _("Not accepted yet (temporary)")
    REFUSED = "refused", _("Refused (permanent)")
    UNKNOWN = "unknown", _("Unknown: the connection ended before the server's answer")
    ERROR = "error", _("The message could not be made")


class OutboxAttempt(models.Model):
    """One attempt to send an outbox row: when, how it ended, the server's reply. Kept
    whatever happens next (a resend adds attempts, never wipes them). An attempt after one
    whose outcome is unknown may have delivered a second copy: it is marked so."""

    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=AttemptOutcome.choices,
        default=AttemptOutcome.SENDING,
    )
    reply = models.TextField(_("reply"), blank=True)
    duplicate_suspect = models.BooleanField(_("may be a second copy"), default=False)

    class Meta:
        abstract = True
        ordering = ["row", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


class OutboundMailAttempt(OutboxAttempt):
    row = models.ForeignKey(
        OutboundMail, on_delete=models.CASCADE, related_name="attempt_log", db_index=False
    )

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["row", "number"], name="outbound_mail_attempt_once"),
        ]


OutboundMail.attempt_model = OutboundMailAttempt
