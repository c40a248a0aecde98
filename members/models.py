"""Institutes, the people at them, and their memberships in forums."""

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.files import private_files
from core.models import AuditedModel, ForumStaffManaged
from core.workflow import Workflow
from forums.models import Forum
from members.enums import HarvestStatus, InstituteKind, MembershipStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Institute(AuditedModel):
    """Any participating institution: an institute, a foundation, a university, or an
    embassy standing in for its country."""

    name = models.CharField(_("full name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = CountryField(_("country"))
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=InstituteKind.choices,
        blank=True,
        help_text=_("Leave empty where no source says what kind of institution it is."),
    )
    parent_authority = models.CharField(
        _("parent authority"),
        max_length=255,
        blank=True,
        help_text=_("e.g. the President of the Republic of Kazakhstan"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    # Like every file, kept privately first; while the institute is public (an admitted
    # member of a forum) a copy is in the public storage, which its public page shows.
    logo = models.ImageField(
        _("logo"), storage=private_files, upload_to="institutes/logos/", blank=True
    )
    public_logo = models.ImageField(
        _("public copy of the logo"), upload_to="institutes/logos/", blank=True, editable=False
    )
    is_synthetic = models.BooleanField(
        _("synthetic demo data"),
        default=False,
        help_text=_("Generated for trying the portal; not a real institution."),
    )

    forum_scope = "memberships__forum"
    forum_scope_shows_unowned = True
    history = HistoricalRecords(excluded_fields=["public_logo"])

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "name"], name="institute_country_name")]

    def __str__(self) -> str:
        return self.name


class Contact(AuditedModel):
    """A person at an institute. A contact may have a login (``user``)."""

    institute = models.ForeignKey(
        Institute, verbose_name=_("institute"), on_delete=models.PROTECT, related_name="contacts"
    )
    honorific = models.CharField(_("honorific"), max_length=30, blank=True)
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    # The language of the portal's e-mails to this person (invitation, notices, circulated
    # documents); blank: the portal's default. Set by staff, by the member, and at sign-up
    # from the language the invitation was accepted in.
    language = models.CharField(
        _("language for e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Blank: the portal's default language."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
    )
    is_active = models.BooleanField(_("active"), default=True)

    forum_scope = "institute__memberships__forum"
    forum_scope_shows_unowned = True
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["institute", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institute", "email"],
                condition=~Q(email=""),
                name="contact_email_unique_per_institute",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class MembershipQuerySet(models.QuerySet):
    def admitted(self) -> Self:
        """The memberships that make an institute a member of a forum now."""
        return self.filter(status=MembershipStatus.ADMITTED)


class Membership(AuditedModel):
    """An institute in a forum. Its status changes are kept in ``MembershipStatusChange``."""

    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.RECOMMENDED,
    )
    is_founding_member = models.BooleanField(_("founding member"), default=False)
    recommended_by = models.ForeignKey(
        Institute,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended_memberships",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"),
        max_length=255,
        blank=True,
        help_text=_("The document or meeting that decided, e.g. a joint statement."),
    )
    notes = models.TextField(_("notes"), blank=True)

    forum_scope = "forum"
    # Recommended, then admitted or declined; an admitted member may be suspended (and
    # reinstated) or withdraw; a declined or withdrawn institution may be recommended again.
    # A founding member starts admitted. Each move is a step of ``status_changes``.
    workflow = Workflow(
        initial=[MembershipStatus.RECOMMENDED, MembershipStatus.ADMITTED],
        moves={
            MembershipStatus.RECOMMENDED: [MembershipStatus.ADMITTED, MembershipStatus.DECLINED],
            MembershipStatus.ADMITTED: [MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN],
            MembershipStatus.SUSPENDED: [MembershipStatus.ADMITTED, MembershipStatus.WITHDRAWN],
            MembershipStatus.DECLINED: [MembershipStatus.RECOMMENDED],
            MembershipStatus.WITHDRAWN: [MembershipStatus.RECOMMENDED],
        },
        transition_fields=("decided_on", "decision"),
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["forum", "institute__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institute", "forum"], name="membership_one_per_institute_and_forum"
            ),
            models.CheckConstraint(
                condition=~Q(recommended_by=F("institute")),
                name="membership_not_recommended_by_itself",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                name="membership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=False)
                | Q(status=MembershipStatus.RECOMMENDED)
                | Q(is_founding_member=True),
                name="membership_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institute} — {self.forum}"


class MembershipStatusChange(AuditedModel):
    """One step of a membership's status history: what it became, when, and why."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=20, choices=MembershipStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    forum_scope = "membership__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["membership", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_on:%Y-%m-%d})"


class FocalPoint(AuditedModel):
    """A contact who is their institute's focal point for a forum."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="focal_points"
    )
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="focal_points"
    )
    since = models.DateField(_("since"), null=True, blank=True)

    forum_scope = "forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["forum", "contact__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "forum"], name="focal_point_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact.full_name} — {self.forum}"


class StateContact(AuditedModel):
    """An official of a member state whom the forum keeps informed (a ministry's desk
    officer, an embassy): concept papers are circulated to them as well as to members."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="state_contacts"
    )
    country = CountryField(_("country"))
    organisation = models.CharField(_("organisation"), max_length=255)
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)

    forum_scope = "forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member-state contact")
        verbose_name_plural = _("member-state contacts")
        ordering = ["forum", "country", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "email"], name="state_contact_email_unique"),
        ]

    def __str__(self) -> str:
        # django-stubs types a CountryField as str; django-countries reads it as a Country.
        return f"{self.organisation} ({self.country.code})"  # type: ignore[attr-defined]


class InvitationQuerySet(models.QuerySet):
    def open(self, *, now: datetime | None = None) -> Self:
        """Invitations that can still be accepted: not accepted, not revoked, not expired."""
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )


class Invitation(AuditedModel):
    """An invitation to a contact to create their login: a single-use link that expires.

    Only a hash of the link's random token is kept, so the table cannot be used to open an
    account; accepting binds the new login to ``contact`` (members.services)."""

    OPEN, ACCEPTED, REVOKED, EXPIRED = "open", "accepted", "revoked", "expired"
    STATE_LABELS = {
        OPEN: pgettext_lazy("invitation", "open"),
        ACCEPTED: pgettext_lazy("invitation", "accepted"),
        REVOKED: pgettext_lazy("invitation", "revoked"),
        EXPIRED: pgettext_lazy("invitation", "expired"),
    }

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # The e-mail carrying the link: an outbox row a worker sends, which keeps the text
    # (and so the token) only until it is sent or has failed.
    mail = models.OneToOneField(
        "mail.OutboundMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
        editable=False,
    )

    forum_scope = "contact__institute__memberships__forum"
    forum_scope_shows_unowned = True
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})" if self.created_at else self.email

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.ACCEPTED
        if self.revoked_at is not None:
            return self.REVOKED
        if self.expires_at <= timezone.now():
            return self.EXPIRED
        return self.OPEN

    @property
    def state_label(self) -> "StrOrPromise":
        return self.STATE_LABELS[self.state]

    @property
    def sent_at(self) -> datetime | None:
        """When the e-mail with the link was accepted by the mail server, if it was."""
        return self.mail.sent_at if self.mail is not None else None

    @property
    def send_error(self) -> str:
        """Why the e-mail has not gone out (yet), if it has not."""
        return self.mail.last_error if self.mail is not None else ""


class Recommendation(AuditedModel):
    """A member institute's recommendation of a new institution for a forum it belongs to.

    The secretariat decides; admitting creates the institute (``institute``) with a
    Membership whose ``recommended_by`` is the recommending institute (members.services)."""

    PENDING, ADMITTED, DECLINED = "pending", "admitted", "declined"
    STATUS_CHOICES = [
        (PENDING, pgettext_lazy("recommendation", "pending")),
        (ADMITTED, pgettext_lazy("recommendation", "admitted")),
        (DECLINED, pgettext_lazy("recommendation", "declined")),
    ]

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="recommendations"
    )
    recommended_by = models.ForeignKey(
        Institute,
        verbose_name=_("recommended by"),
        on_delete=models.PROTECT,
        related_name="recommendations_made",
    )
    name = models.CharField(_("name of the institution"), max_length=255)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact's e-mail"))
    reasons = models.TextField(_("reasons"))
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=255, blank=True)
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    forum_scope = "forum"
    workflow = Workflow(
        initial=[PENDING],
        moves={PENDING: [ADMITTED, DECLINED]},
        transition_fields=("decided_on", "institute"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_on__isnull=False),
                name="recommendation_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.forum}" if self.forum_id else self.name


class MemberChange(ForumStaffManaged):
    """What a member changed in their institute's profile, contacts or focal points, kept
    for the secretariat of each forum the institute belongs to: the admin's list of member
    changes and the staff home's count hold it whether or not the secretariat has an e-mail
    address (one is also e-mailed when it has). Staff mark a change as seen."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="+"
    )
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.CASCADE,
        related_name="member_changes",
    )
    summary = models.TextField(_("what changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    forum_scope = "forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member change")
        verbose_name_plural = _("member changes")
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(
                fields=["forum"], condition=Q(seen_at__isnull=True), name="member_change_unseen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institute} — {self.changed_at:%Y-%m-%d %H:%M}"


# A set spec as OAI-PMH defines it: unreserved URI characters, levels separated by ":".
SET_SPEC_VALIDATOR = RegexValidator(
    r"\A[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z",
    _("A set spec is letters, digits and - _ . ! ~ * ' ( ), its levels separated by “:”."),
)


class HarvestSource(AuditedModel):
    """An institute's own repository, harvested over OAI-PMH into the catalogue: where it
    is, which set, which forum the harvested publications go to (one the institute is an
    admitted member of: ``members.harvesting``), and whether they arrive approved.

    ``harvested_until`` is the newest datestamp of a run that succeeded: the next run asks
    only for records changed since (written by ``harvest_run_finish`` alone)."""

    institute = models.OneToOneField(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        related_name="harvest_source",
    )
    base_url = models.URLField(
        _("OAI-PMH base URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The repository's OAI-PMH address, e.g. https://repository.example.org/oai"),
    )
    set_spec = models.CharField(
        _("set"),
        max_length=200,
        blank=True,
        validators=[SET_SPEC_VALIDATOR],
        help_text=_("Only this set of the repository (its setSpec); empty: every record."),
    )
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(
        _("harvest regularly"),
        default=True,
        help_text=_("Off: no harvest is started, neither on schedule nor by hand."),
    )
    arrives_approved = models.BooleanField(
        _("publish without review"),
        default=False,
        help_text=_(
            "Off: harvested publications wait for the secretariat's review like any "
            "submission. On: they are approved as they arrive. Only the secretariat sets this."
        ),
    )
    harvested_until = models.CharField(
        _("harvested up to"), max_length=40, blank=True, editable=False
    )

    forum_scope = "forum"
    history = HistoricalRecords(excluded_fields=["harvested_until"])

    class Meta:
        verbose_name = _("repository to harvest")
        verbose_name_plural = _("repositories to harvest")
        ordering = ["institute__name"]

    def __str__(self) -> str:
        return f"{self.institute} — {self.base_url}" if self.institute_id else self.base_url


ACTIVE_HARVEST_STATUSES = (HarvestStatus.QUEUED, HarvestStatus.RUNNING)


class HarvestRun(ForumStaffManaged):
    """One harvest of an institute's repository: a job row, written by the harvester
    (``members.harvesting`` services), never by a form. At most one run of an institute is
    queued or running at a time (``harvest_run_one_active_per_institute``)."""

    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        related_name="harvest_runs",
    )
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="+"
    )
    base_url = models.CharField(_("OAI-PMH base URL"), max_length=500)
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HarvestStatus.choices,
        default=HarvestStatus.QUEUED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: started on schedule."),
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    from_datestamp = models.CharField(_("from datestamp"), max_length=40, blank=True)
    until_datestamp = models.CharField(_("newest datestamp seen"), max_length=40, blank=True)
    records_seen = models.PositiveIntegerField(_("records seen"), default=0)
    records_new = models.PositiveIntegerField(_("new"), default=0)
    records_updated = models.PositiveIntegerField(_("updated"), default=0)
    records_withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    records_failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    # [{"identifier": ..., "reason": ...}, ...]: why a record failed, or what a record
    # imported all the same did not bring (its PDF), at most HARVEST_NOTES_KEPT of them.
    notes = models.JSONField(_("notes on records"), default=list, blank=True)

    forum_scope = "forum"

    class Meta:
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institute"],
                condition=Q(status__in=ACTIVE_HARVEST_STATUSES),
                name="harvest_run_one_active_per_institute",
            ),
            models.CheckConstraint(
                condition=Q(status__in=HarvestStatus.values),
                name="harvest_run_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["institute", "-created_at"], name="harvest_run_institute"),
            models.Index(fields=["forum", "-created_at"], name="harvest_run_forum"),
        ]

    def __str__(self) -> str:
        return f"{self.institute} — {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""


class ContactErasure(ForumStaffManaged):
    """The record that a contact's personal data was erased (secretariat.personal_data):
    who did it, when, why, and how many rows each step touched. It holds no personal data
    itself; the contact row it points to is the anonymised one. One per contact: a second
    request finds the contact already erased."""

    contact = models.OneToOneField(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="erasure",
    )
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(
        _("reason"), help_text=_("Why the data was erased; name no person here.")
    )
    # {"contact_history": 3, "deliveries_scrubbed": 2, ...}: what each step touched.
    counts = models.JSONField(_("rows touched"), default=dict)

    forum_scope = "contact__institute__memberships__forum"
    forum_scope_shows_unowned = True

    class Meta:
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.contact_id} — {self.erased_at:%Y-%m-%d %H:%M}" if self.erased_at else ""
