"""Frameworks, forums, the secretariats that run them, and the shared vocabulary of themes."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import AuditedModel, name_in_language, name_language
from forums.enums import AdmissionRule, Cadence, HostingPrinciple


def validate_document_languages(value: str) -> None:
    known = {code for code, _name in settings.DOCUMENT_LANGUAGES}
    unknown = [c.strip() for c in value.split(",") if c.strip() and c.strip() not in known]
    if unknown:
        raise ValidationError(
            _("Unknown language code %(codes)s: use %(known)s."),
            params={"codes": ", ".join(unknown), "known": ", ".join(sorted(known))},
        )


def _language_codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def validate_language_codes(value: str) -> None:
    """Codes of languages Django knows (``en``, ``ru``, ``zh-hans``, …), comma-separated."""
    unknown = [code for code in _language_codes(value) if code.lower() not in LANG_INFO]
    if unknown:
        raise ValidationError(
            _("Unknown language code %(codes)s: use codes such as en, ru, zh-hans."),
            params={"codes": ", ".join(unknown)},
        )


class NamedInLanguages:
    """The name (and short name, where the model has one) a page shows: the Russian one on
    Russian pages where there is one, else the English (``core.models.name_in_language``)."""

    name: str
    name_ru: str

    @property
    def label(self) -> str:
        return name_in_language(self.name, self.name_ru)

    @property
    def label_language(self) -> str:
        """The language of ``label``: English on a Russian page without a Russian name."""
        return name_language(self.name_ru)

    @property
    def short_label(self) -> str:
        """The short name in the page's language, else the name."""
        short = name_in_language(
            getattr(self, "short_name", ""), getattr(self, "short_name_ru", "")
        )
        return short or self.label


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
        return name_in_language(self.name, self.name_ru)

    @property
    def label_language(self) -> str:
        return name_language(self.name_ru)


class Framework(NamedInLanguages, AuditedModel):
    """The intergovernmental process a forum belongs to (CICA, the Korea–Central Asia
    Cooperation Forum)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    working_languages = models.CharField(
        _("working languages"),
        max_length=120,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Codes, e.g. en, ru: pages name them in their own language."),
    )
    document_languages = models.CharField(
        _("languages of its documents"),
        max_length=60,
        blank=True,
        validators=[validate_document_languages],
        help_text=_(
            "Codes of the languages its documents are kept in, e.g. en, ru. Empty: every "
            "language the portal keeps documents in."
        ),
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

    @property
    def working_language_names(self) -> list[str]:
        """The working languages' names in the page's language ("English, Russian";
        "английский, русский": Russian writes them in lower case)."""
        lower = (get_language() or "").startswith("ru")
        names = [
            str(get_language_info(code.lower())["name_translated"])
            for code in _language_codes(self.working_languages)
            if code.lower() in LANG_INFO
        ]
        return [name.lower() for name in names] if lower else names

    @property
    def language_codes(self) -> list[str]:
        """The languages its documents may have versions in, in the portal's order."""
        chosen = {code.strip() for code in self.document_languages.split(",") if code.strip()}
        return [code for code, _name in settings.DOCUMENT_LANGUAGES if not chosen or code in chosen]


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
        # django-stubs types a CountryField as str; django-countries reads it as a Country.
        return f"{self.country.name} ({self.framework})"  # type: ignore[attr-defined]


class Secretariat(NamedInLanguages, AuditedModel):
    """The body that runs one or more forums; its staff manage those forums' data."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
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


class Forum(NamedInLanguages, AuditedModel):
    name = models.CharField(_("name"), max_length=255, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=60, blank=True)
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
    description_source = models.CharField(
        _("source of the description"),
        max_length=255,
        blank=True,
        help_text=_("The document the description quotes, shown under it."),
    )
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

    @property
    def is_hosted_by_reciprocity(self) -> bool:
        """Whether its hosts take turns (``HostRotationCountry`` says in what order)."""
        return self.hosting_principle == HostingPrinciple.RECIPROCITY


class HostRotationCountry(AuditedModel):
    """One country of a forum's host rotation: the secretariat's own rule for how hosts
    follow from a hosting principle of reciprocity (no founding document words it). Hosting
    alternates between the groups in their order and, within a group, goes through its
    countries in turn (``forums.rotation``)."""

    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="host_rotation",
    )
    group = models.PositiveSmallIntegerField(
        _("group"), help_text=_("Hosting alternates between the groups in order: 1, 2, …")
    )
    turn = models.PositiveSmallIntegerField(
        _("turn in the group"),
        help_text=_("The order in which the group's countries take their turns: 1, 2, …"),
    )
    country = CountryField(_("country"))

    forum_scope = "forum"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country in the host rotation")
        verbose_name_plural = _("host rotation (the secretariat's rule)")
        ordering = ["forum", "group", "turn"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "country"], name="host_rotation_country_once"),
            models.UniqueConstraint(
                fields=["forum", "group", "turn"], name="host_rotation_turn_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(group__gte=1) & models.Q(turn__gte=1),
                name="host_rotation_positions_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}.{self.turn} {self.country.name}"  # type: ignore[attr-defined]
