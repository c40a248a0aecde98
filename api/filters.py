"""The parameters of the API's lists other than publications (which take the
catalogue's own ``publications.filters.CatalogueFilter``, so the two always agree)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from actionplans.enums import MeetingKind
from actionplans.models import Meeting
from actionplans.selectors import LISTED_MEETING_STATUSES
from members.models import Institute, Membership

SLUG_MAX = 140


class InstituteFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(
        choices=list(countries), label=_("Country (ISO 3166 code)")
    )
    forum = django_filters.CharFilter(
        method="admitted_in", max_length=SLUG_MAX, label=_("Admitted members of the forum (slug)")
    )

    class Meta:
        model = Institute
        fields: list[str] = []

    def admitted_in(self, qs: QuerySet[Institute], name: str, value: str) -> QuerySet[Institute]:
        members = Membership.objects.admitted().filter(forum__slug=value)
        return qs.filter(pk__in=members.values("institute_id"))


class MeetingFilter(django_filters.FilterSet):
    forum = django_filters.CharFilter(
        field_name="forum__slug", max_length=SLUG_MAX, label=_("Forum (slug)")
    )
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in LISTED_MEETING_STATUSES], label=_("Status")
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))

    class Meta:
        model = Meeting
        fields: list[str] = []
