"""Reads of the public institute pages and of a forum's member list.

Public pages see admitted memberships only; contacts, e-mail addresses and phone numbers
are personal data and are never read here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django_countries.fields import Country

from forums.models import Forum
from members.enums import MembershipStatus
from members.models import HarvestRun, Institute, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from members.models import Contact

T = TypeVar("T")


@dataclass
class CountryGroup(Generic[T]):
    country: Country
    items: list[T] = field(default_factory=list)


def group_by_country(
    items: Iterable[T], *, country_of: Callable[[T], Country]
) -> list[CountryGroup[T]]:
    """The items in groups by country, the groups sorted by the country's name in the active
    language; the items keep their order within a group."""
    groups: dict[str, CountryGroup[T]] = {}
    for item in items:
        country = country_of(item)
        groups.setdefault(country.code, CountryGroup(country=country)).items.append(item)
    return sorted(groups.values(), key=lambda group: group.country.name)


def forum_members_by_country(*, forum: Forum) -> list[CountryGroup[Membership]]:
    """The forum's admitted memberships with their institutes, grouped by the institute's
    country, by institute name within a country. One query."""
    memberships = (
        Membership.objects.admitted()
        .filter(forum=forum)
        .select_related("institute")
        .order_by("institute__name")
    )
    # django-stubs types a CountryField as str; django-countries reads it as a Country.
    return group_by_country(
        memberships,
        country_of=lambda m: m.institute.country,  # type: ignore[arg-type, return-value]
    )


def public_memberships_prefetch() -> "Prefetch[Any]":
    return Prefetch(
        "memberships",
        queryset=Membership.objects.admitted().select_related("forum").order_by("forum__name"),
        to_attr="public_memberships",
    )


def institute_list_public(*, institutes: QuerySet[Institute]) -> list[CountryGroup[Institute]]:
    """``institutes`` (the public ones: ``website.selectors.public_institutes``) grouped by
    country, each with ``public_memberships`` (admitted, with their forum). Two queries."""
    institutes = institutes.prefetch_related(public_memberships_prefetch()).order_by("name")
    return group_by_country(institutes, country_of=lambda i: Country(i.country))


def institute_public_detail(*, institutes: QuerySet[Institute], slug: str) -> Institute:
    """The institute of ``institutes`` (the public ones) with ``public_memberships``
    (admitted, with their forum). Raises ``Institute.DoesNotExist`` for an unknown slug or
    one that is not among them. Two queries."""
    return institutes.prefetch_related(public_memberships_prefetch()).get(slug=slug)


# --- The member workspace: a signed-in contact's own institute -------------------------
# Every read starts from the contact, so another institute's rows are simply not found.


def workspace_contact(*, user: "User | AnonymousUser") -> "Contact | None":
    """The active contact a signed-in user is, with its institute; None for a login that
    is no institute's contact (such as secretariat staff)."""
    from members.models import Contact

    if not user.is_authenticated:
        return None
    return Contact.objects.select_related("institute").filter(user=user, is_active=True).first()


def workspace_memberships(*, contact: "Contact") -> QuerySet[Membership]:
    """The contact's institute's memberships with their forums, by forum name."""
    return (
        Membership.objects.filter(institute_id=contact.institute_id)
        .select_related("forum")
        .order_by("forum__name")
    )


def workspace_admitted_forums(*, contact: "Contact") -> QuerySet[Forum]:
    """Forums the contact's institute is an admitted member of."""
    return Forum.objects.filter(
        memberships__institute_id=contact.institute_id,
        memberships__status=MembershipStatus.ADMITTED,
    ).order_by("name")


def workspace_contacts(*, contact: "Contact") -> "QuerySet[Contact]":
    """The contacts of the contact's institute, active first, with their focal points."""
    from members.models import Contact

    return (
        Contact.objects.filter(institute_id=contact.institute_id)
        .prefetch_related("focal_points__forum")
        .order_by("-is_active", "full_name")
    )


def workspace_focal_points(*, contact: "Contact") -> "dict[int, Contact]":
    """{forum id: contact} of the contact's institute's focal points."""
    from members.models import FocalPoint

    points = FocalPoint.objects.filter(contact__institute_id=contact.institute_id).select_related(
        "contact"
    )
    return {point.forum_id: point.contact for point in points}


def forum_list_public() -> QuerySet[Forum]:
    """Every forum with its framework and secretariat, and ``member_count``: the number of
    its admitted member institutes. One query."""
    return (
        Forum.objects.select_related("framework", "secretariat")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.ADMITTED)
            )
        )
        .order_by("name")
    )


def workspace_harvest_runs(*, contact: "Contact") -> "QuerySet[HarvestRun]":
    """The harvests of the contact's institute's repository, newest first."""
    return HarvestRun.objects.filter(institute_id=contact.institute_id).order_by(
        "-created_at", "-id"
    )
