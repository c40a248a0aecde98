"""The catalogue's parameters, validated by a django-filter FilterSet.

Every state of the catalogue page is a URL: ``q``, the facet parameters (repeatable:
``theme=3&theme=7``, ``year=2023&year=2024``), ``year_min``/``year_max``, ``sort`` and
``page``. Facets filter through the narrow ``CatalogueFacet`` index; ``q`` uses PostgreSQL
full-text search (or a plain substring match elsewhere, see ``publications.search``).
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from publications.enums import Language, PublicationKind
from publications.models import CatalogueFacet
from publications.search import match_query

MAX_VALUES = 20
MAX_QUERY_LENGTH = 200


class IdListField(forms.MultipleChoiceField):
    """Repeated integer ids; anything else is a validation error, not a crash."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit() and len(str(value)) <= 12

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(_("Choose at most %(n)d values."), params={"n": MAX_VALUES})


class Codes(frozenset):
    """A fixed set of allowed values, shared rather than copied with every form."""

    def __deepcopy__(self, memo):
        return self


NO_CODES = Codes()


class CodeListField(forms.MultipleChoiceField):
    """Repeated values from a fixed set, checked against the set: the form carries no list
    of choices (the country list alone is 250 entries) to copy on every request."""

    def __init__(self, *, codes: Codes = NO_CODES, **kwargs):
        self.codes = codes
        super().__init__(**kwargs)

    def valid_value(self, value) -> bool:
        return str(value) in self.codes


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Keeps the publications that have any of the chosen values of one facet."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        rows = CatalogueFacet.objects.filter(name=self.facet, value__in=[str(v) for v in value])
        return qs.filter(pk__in=rows.values("publication_id"))


class IdFacetFilter(FacetFilter):
    field_class = IdListField


class YearListField(forms.MultipleChoiceField):
    """Repeated years (``year=2023&year=2024``) as the Year facet offers them."""

    def valid_value(self, value) -> bool:
        text = str(value)
        return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(_("Choose at most %(n)d values."), params={"n": MAX_VALUES})


class YearFacetFilter(FacetFilter):
    field_class = YearListField


class CodeFacetFilter(FacetFilter):
    field_class = CodeListField


class SearchField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if "\x00" in value:
            raise forms.ValidationError(_("The search contains a character that is not allowed."))
        return value


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class YearFilter(django_filters.NumberFilter):
    """A whole year; compares dates (``published_on >= 1 January``) so the index serves it."""

    field_class = forms.IntegerField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs.setdefault("validators", [MinValueValidator(1900), MaxValueValidator(2100)])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.bound == "min":
            return qs.filter(published_on__gte=datetime.date(value, 1, 1))
        return qs.filter(published_on__lte=datetime.date(value, 12, 31))


class CatalogueForm(forms.Form):
    def clean(self):
        super().clean()
        data = self.cleaned_data
        low, high = data.get("year_min"), data.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_max", _("The last year is before the first."))
        return data


class CatalogueFilter(django_filters.FilterSet):
    q = SearchFilter(method="search", label=_("Search"), max_length=MAX_QUERY_LENGTH)
    forum = IdFacetFilter(facet="forum", label=_("Forum"))
    institute = IdFacetFilter(facet="institute", label=_("Institute"))
    country = CodeFacetFilter(
        facet="country", label=_("Country"), codes=Codes(code for code, _name in countries)
    )
    kind = CodeFacetFilter(facet="kind", label=_("Kind"), codes=Codes(PublicationKind.values))
    theme = IdFacetFilter(facet="theme", label=_("Theme"))
    language = CodeFacetFilter(facet="language", label=_("Language"), codes=Codes(Language.values))
    year = YearFacetFilter(facet="year", label=_("Year"))
    year_min = YearFilter(bound="min", label=_("From year"))
    year_max = YearFilter(bound="max", label=_("To year"))

    class Meta:
        form = CatalogueForm

    def search(self, qs, name, value):
        return match_query(qs, value)

    @property
    def is_filtered(self) -> bool:
        data = self.form.cleaned_data
        return any(data.get(name) not in (None, "", []) for name in self.filters)


def active_filter_count(form: forms.Form) -> int:
    """How many filters the catalogue's form applies: each ticked facet value and each
    year bound (the search words are not a filter). Read from what the form validated,
    so a value it refused is not counted."""
    data = getattr(form, "cleaned_data", None) or {}
    ticked = sum(
        len(data.get(name) or [])
        for name, field in CatalogueFilter.base_filters.items()
        if isinstance(field, FacetFilter)
    )
    return ticked + sum(data.get(bound) is not None for bound in ("year_min", "year_max"))
