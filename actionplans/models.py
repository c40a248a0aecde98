"""What a forum does in a year: its action plans and their activities, the meetings that
carry them out, and the joint statements those meetings adopt."""

import calendar
import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from actionplans.enums import (
    ActionPlanStatus,
    ActivityKind,
    ActivityStatus,
    MeetingKind,
    MeetingStatus,
    ModerationStatus,
    StatementStatus,
)
from core.models import AuditedModel, RenderedDocument
from core.workflow import Workflow
from documents.models import DocumentCategory
from forums.models import Forum, Theme
from members.models import Institute

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MIN_YEAR = 1990
MAX_YEAR = 2100


def _language_field(verbose_name: "StrOrPromise | None" = None, **kwargs) -> models.CharField:
    return models.CharField(
        verbose_name or _("language"),
        max_length=10,
        choices=settings.DOCUMENT_LANGUAGES,
        **kwargs,
    )


def _category_field(help_text: str = "") -> models.ForeignKey:
    return models.ForeignKey(
        DocumentCategory,
        verbose_name=_("kind of document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=help_text,
    )


class RegisteredDocument(models.Model):
    """What the register of official documents shows of a document: its kind, symbol,
    original language and where its text comes from. The symbol is its address
    (``/documents/<symbol>/``) and is unique across every kind of document."""

    category = _category_field()
    document_symbol = models.CharField(
        _("document symbol"), max_length=60, blank=True, help_text=_("e.g. SOC/2024-II/DEC/2")
    )
    source = models.TextField(
        _("source of the text"),
        blank=True,
        help_text=_("Where this text comes from: who published it, where and when."),
    )

    # The kind a document without one is listed under (a ``DocumentCategory`` slug).
    default_category_slug: ClassVar[str] = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """Its address in the register: by its symbol (``/documents/SOC/2024-II/DEC/2/``)
        or, without one, by its forum, kind and date. Reads ``forum`` and ``category``."""
        if self.document_symbol:
            return reverse("documents:by_symbol", kwargs={"symbol": self.document_symbol})
        day = self.register_date
        return reverse(
            "forums:document",
            kwargs={
                "slug": self.forum.slug,  # type: ignore[attr-defined]
                "category": self.category_slug,
                "day": day.isoformat() if day else "undated",
            },
        )

    @property
    def category_slug(self) -> str:
        return self.category.slug if self.category is not None else self.default_category_slug

    @property
    def register_date(self) -> datetime.date | None:
        return getattr(self, "adopted_on", None)

    def clean(self) -> None:
        super().clean()
        symbol = self.document_symbol
        if not symbol:
            return
        if self.category is not None and not self.category.symbol_matches(symbol):
            raise ValidationError(
                {
                    "document_symbol": _("A %(kind)s's symbol follows the pattern %(pattern)s.")
                    % {"kind": self.category.label, "pattern": self.category.symbol_pattern}
                }
            )
        for model in (ActionPlan, JointStatement):
            others = model._default_manager.filter(document_symbol=symbol)
            if isinstance(self, model) and self.pk:
                others = others.exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {
                        "document_symbol": _("Another document has the symbol %(symbol)s.")
                        % {"symbol": symbol}
                    }
                )


def _dates_in_order(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
    )


class ActionPlan(RegisteredDocument, RenderedDocument, AuditedModel):
    """The annual action plan a governing body adopts for a forum."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    language = _language_field(_("original language"), default="en")
    adopting_body = models.CharField(_("adopting body"), max_length=200, blank=True)
    adopted_at = models.CharField(_("place of adoption"), max_length=120, blank=True)
    adopted_on = models.DateField(_("date of adoption"), null=True, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=255, blank=True)
    heading_ru = models.CharField(_("heading (Russian)"), max_length=255, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionPlanStatus.choices,
        default=ActionPlanStatus.DRAFT,
    )

    forum_scope = "forum"
    default_category_slug = "action-plan"
    # Adopted by its governing body on ``adopted_on``; reopened as a draft to correct it.
    workflow = Workflow(
        initial=[ActionPlanStatus.DRAFT],
        moves={
            ActionPlanStatus.DRAFT: [ActionPlanStatus.ADOPTED],
            ActionPlanStatus.ADOPTED: [ActionPlanStatus.DRAFT],
        },
    )
    history = HistoricalRecords(excluded_fields=RenderedDocument.UNTRACKED)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-year", "forum"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "year"], name="action_plan_one_per_year"),
            models.UniqueConstraint(
                fields=["document_symbol"],
                condition=~Q(document_symbol=""),
                name="action_plan_symbol_unique",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="action_plan_year_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionPlanStatus.ADOPTED) | Q(adopted_on__isnull=False),
                name="action_plan_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == ActionPlanStatus.ADOPTED

    @property
    def languages(self) -> list[str]:
        """Its original language, then those of its other versions (reads
        ``translation_list``, which the register's selectors prefetch)."""
        return [self.language, *(t.language for t in getattr(self, "translation_list", []))]

    @property
    def file_stem(self) -> str:
        return (
            slugify(self.document_symbol.replace("/", " "))
            or slugify(self.title)[:80]
            or "action-plan"
        )


class Activity(AuditedModel):
    """A numbered activity of an action plan."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Only a title the plan itself gives (most paragraphs have none)."),
    )
    short_title = models.CharField(
        _("short title (the secretariat's)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Not part of the document: a short name for lists, shown labelled as the "
            "secretariat's own."
        ),
    )
    text = models.TextField(_("text"), help_text=_("The activity as the plan words it."))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    moderators = models.ManyToManyField(
        Institute,
        verbose_name=_("moderating institutes"),
        through="ActivityModerator",
        blank=True,
        related_name="moderated_activities",
    )
    starts_on = models.DateField(_("time frame from"), null=True, blank=True)
    ends_on = models.DateField(_("time frame to"), null=True, blank=True)
    time_frame = models.CharField(
        _("time frame as worded"),
        max_length=120,
        blank=True,
        help_text=_("e.g. September or October 2024"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    outputs = models.TextField(
        _("other outputs"),
        blank=True,
        help_text=_("Outputs that are neither meetings nor catalogue publications."),
    )

    forum_scope = "plan__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="activity_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="activity_number_positive"),
            _dates_in_order("starts_on", "ends_on", "activity_time_frame_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        """What a list calls it: the plan's own title, else the secretariat's short title,
        else its number."""
        return (
            self.title
            or self.short_title
            or pgettext("activity", "Activity %(number)s") % {"number": self.number}
        )


class ActivityModerator(AuditedModel):
    """An institute that moderates (or volunteered to moderate) an activity's theme."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="moderations"
    )
    institute = models.ForeignKey(
        Institute, verbose_name=_("institute"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ModerationStatus.choices,
        default=ModerationStatus.VOLUNTEERED,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    forum_scope = "activity__plan__forum"
    # The secretariat confirms or declines a volunteer, and may change its mind.
    workflow = Workflow(
        initial=[ModerationStatus.VOLUNTEERED],
        moves={
            ModerationStatus.VOLUNTEERED: [ModerationStatus.CONFIRMED, ModerationStatus.DECLINED],
            ModerationStatus.CONFIRMED: [ModerationStatus.DECLINED],
            ModerationStatus.DECLINED: [ModerationStatus.CONFIRMED],
        },
        transition_fields=("decided_on",),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("moderator")
        verbose_name_plural = _("moderators")
        ordering = ["activity", "theme"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "institute", "theme"], name="activity_moderator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institute_id} — {self.theme_id}"


class Meeting(AuditedModel):
    """A forum session, roundtable, workshop, thematic dialogue or training.

    Dates are either confirmed (``starts_on``/``ends_on``) or, until then, a tentative
    window (``window_start``/``window_end``, e.g. September–October 2024)."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("The action plan activity this meeting carries out."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), null=True, blank=True, help_text=_("12 for the Twelfth Forum.")
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    theme = models.TextField(_("theme"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    host_country = CountryField(_("host country"), blank=True)
    host_institute = models.ForeignKey(
        Institute,
        verbose_name=_("host institute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    host_rotation_override_reason = models.TextField(
        _("reason for departing from the host rotation"),
        blank=True,
        help_text=_(
            "Required when the host is not the one the forum's host rotation (the "
            "secretariat's rule) proposes for this meeting."
        ),
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    window_start = models.DateField(
        _("tentative from"), null=True, blank=True, help_text=_("First day of the window.")
    )
    window_end = models.DateField(
        _("tentative to"), null=True, blank=True, help_text=_("Last day of the window.")
    )
    participants = models.ManyToManyField(
        Institute, verbose_name=_("participants"), blank=True, related_name="meetings_attended"
    )
    description = models.TextField(_("description"), blank=True)

    forum_scope = "forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_on", "-window_start", "title"]
        constraints = [
            _dates_in_order("starts_on", "ends_on", "meeting_dates_in_order"),
            _dates_in_order("window_start", "window_end", "meeting_window_in_order"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False),
                name="meeting_end_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True, window_end__isnull=True)
                | Q(window_start__isnull=False, window_end__isnull=False),
                name="meeting_window_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD) | Q(starts_on__isnull=False),
                name="meeting_held_has_date",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | Q(ordinal__gte=1),
                name="meeting_ordinal_positive",
            ),
        ]
        indexes = [models.Index(fields=["forum", "starts_on"], name="meeting_forum_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_tentative(self) -> bool:
        return self.starts_on is None and self.window_start is not None

    @property
    def last_day(self) -> datetime.date | None:
        """The meeting's last possible day: its end, its one day, or its window's end."""
        return self.ends_on or self.starts_on or self.window_end

    @property
    def is_date_passed(self) -> bool:
        """``date_passed`` today (in the portal's time zone)."""
        return self.date_passed(timezone.localdate())

    def date_passed(self, today: datetime.date) -> bool:
        """Still "planned" though its dates (or its whole window) are over: nobody
        recorded it as held, postponed or cancelled. ``date_passed_q`` says the same in SQL."""
        last = self.last_day
        return self.status == MeetingStatus.PLANNED and last is not None and last < today

    @property
    def when(self) -> str:
        """The dates as a reader should see them: confirmed dates, or the tentative window
        ("September–October 2024", "2024"), or an empty string."""
        if self.starts_on:
            if not self.ends_on or self.ends_on == self.starts_on:
                return date_format(self.starts_on, "DATE_FORMAT")
            return f"{date_format(self.starts_on, 'DATE_FORMAT')} – " + date_format(
                self.ends_on, "DATE_FORMAT"
            )
        # A window has both ends or neither (meeting_window_complete).
        if not self.window_start or not self.window_end:
            return ""
        return format_window(self.window_start, self.window_end)


class MeetingSpeaker(AuditedModel):
    """A person a source names as speaking at a meeting, with the role it gives them."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=255, blank=True, help_text=_("e.g. Ambassador of Kazakhstan")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    forum_scope = "meeting__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["meeting", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="meeting_speaker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


def date_passed_q(today: datetime.date) -> Q:
    """The meetings ``Meeting.date_passed`` is true of."""
    return Q(status=MeetingStatus.PLANNED) & (
        Q(ends_on__lt=today)
        | Q(ends_on__isnull=True, starts_on__lt=today)
        | Q(starts_on__isnull=True, window_end__lt=today)
    )


def _month(day: datetime.date) -> str:
    """The month's name as it stands inside a phrase: Russian months are common nouns
    ("сентябрь–октябрь 2024 г."), English ones proper nouns ("September–October 2024")."""
    name = date_format(day, "F")
    return name.lower() if get_language().startswith("ru") else name


def _month_year(day: datetime.date) -> str:
    return f"{_month(day)} {_year(day.year)}"


def _year(year: int) -> str:
    # Translators: a year in a date range; Russian writes "2024 г."
    return pgettext("year in a date", "%(year)s") % {"year": year}


def format_window(start: datetime.date, end: datetime.date) -> str:
    """A tentative window in words: whole years as "2024", whole months as
    "September–October 2024" ("сентябрь–октябрь 2024 г."), anything else as two dates."""
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if not whole_months:
        return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    if start.month == 1 and end.month == 12:
        if start.year == end.year:
            return _year(start.year)
        # Translators: a span of whole years; Russian writes "2024–2025 гг."
        return pgettext("years in a date", "%(first)s–%(last)s") % {
            "first": start.year,
            "last": end.year,
        }
    if start.year != end.year:
        return f"{_month_year(start)} – {_month_year(end)}"
    if start.month == end.month:
        return _month_year(start)
    return f"{_month(start)}–{_month(end)} {_year(start.year)}"


class JointStatement(RegisteredDocument, RenderedDocument, AuditedModel):
    """The outcome document of a meeting, signed by the participating institutions."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="joint_statements"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_statements",
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    adopted_on = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    text = models.TextField(_("text"))
    signatories = models.ManyToManyField(
        Institute,
        verbose_name=_("participating institutions"),
        through="Signatory",
        blank=True,
        related_name="joint_statements",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    forum_scope = "forum"
    default_category_slug = "joint-statement"
    # Drafted, adopted at its meeting, then published on the public site; a published one
    # can be taken off it again, an adopted one reopened as a draft.
    workflow = Workflow(
        initial=[StatementStatus.DRAFT],
        moves={
            StatementStatus.DRAFT: [StatementStatus.ADOPTED],
            StatementStatus.ADOPTED: [StatementStatus.PUBLISHED, StatementStatus.DRAFT],
            StatementStatus.PUBLISHED: [StatementStatus.ADOPTED],
        },
    )
    history = HistoricalRecords(excluded_fields=RenderedDocument.UNTRACKED)

    class Meta:
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")
        ordering = ["-adopted_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=StatementStatus.DRAFT) | Q(adopted_on__isnull=False),
                name="joint_statement_adopted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.PUBLISHED) | Q(published_on__isnull=False),
                name="joint_statement_published_has_date",
            ),
            _dates_in_order("adopted_on", "published_on", "joint_statement_published_after"),
            models.UniqueConstraint(
                fields=["document_symbol"],
                condition=~Q(document_symbol=""),
                name="joint_statement_symbol_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == StatementStatus.PUBLISHED

    @property
    def languages(self) -> list[str]:
        """Its original language, then those of its other versions (reads
        ``translation_list``, which the selectors prefetch)."""
        return [self.language, *(t.language for t in getattr(self, "translation_list", []))]

    @property
    def file_stem(self) -> str:
        return self.slug


class Signatory(AuditedModel):
    """An institution that took part in adopting a statement. The statement's page calls
    them "participating institutions": signatories only where it has a signature block."""

    statement = models.ForeignKey(
        JointStatement,
        verbose_name=_("joint statement"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    institute = models.ForeignKey(
        Institute, verbose_name=_("institute"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    forum_scope = "statement__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating institution")
        verbose_name_plural = _("participating institutions")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "institute"], name="signatory_once_per_statement"
            ),
        ]

    def __str__(self) -> str:
        """Its place and who signs (a bare number would say nothing in a list or a log)."""
        return f"{self.position}. {self.institute}"


class LanguageVersion(AuditedModel):
    """A document in a language other than its original's: an official version (adopted
    in that language too) or the secretariat's translation, said so on its page and in
    its PDF."""

    language = _language_field()
    title = models.CharField(_("title"), max_length=255)
    is_official = models.BooleanField(
        _("official version"),
        default=False,
        help_text=_("Part of the document as adopted; otherwise the secretariat's translation."),
    )
    source = models.TextField(_("source of the text"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ActionPlanTranslation(LanguageVersion):
    """The plan's title and preamble in another language."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    preamble = models.TextField(_("preamble"), blank=True)

    forum_scope = "plan__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["plan", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "language"], name="action_plan_translation_once"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.plan_id and self.language == self.plan.language:
            raise ValidationError(
                {"language": _("This is the plan's original language; edit the plan itself.")}
            )


class ActivityTranslation(AuditedModel):
    """An activity's paragraph in another language of its plan."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = _language_field()
    text = models.TextField(_("text"))

    forum_scope = "activity__plan__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity in another language")
        verbose_name_plural = _("activities in other languages")
        ordering = ["activity", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "language"], name="activity_translation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} ({self.language})"


class JointStatementTranslation(LanguageVersion):
    """A statement's title and text in another language."""

    statement = models.ForeignKey(
        JointStatement,
        verbose_name=_("joint statement"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    text = models.TextField(_("text"))

    forum_scope = "statement__forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="joint_statement_translation_once"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.statement_id and self.language == self.statement.language:
            raise ValidationError(
                {"language": _("This is the statement's original language; edit it there.")}
            )
