"""The outbox: every e-mail the portal owes someone, kept in PostgreSQL and sent by a
worker (docs/adr/0005). ``OutboundMail`` holds notices and invitations; a circulation's
deliveries (``secretariat.Delivery``) are an outbox of the same kind, built on
``OutboxAttempt`` and the functions of ``mail.outbox``.

The tables keep the names they had when this lived in the ``forums`` app."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Workflow
from mail.enums import MailStatus

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
    attempt_model: ClassVar[type["OutboundMailAttempt"]]  # set below, once it is defined

    class Meta:
        db_table = "forums_outboundmail"
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
        db_table = "forums_outboundmailattempt"
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["row", "number"], name="outbound_mail_attempt_once"),
        ]


OutboundMail.attempt_model = OutboundMailAttempt
