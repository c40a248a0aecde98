"""What the public site may show, where that depends on more than one app."""

from django.db.models import Exists, OuterRef, QuerySet

from members.models import Institute, Membership
from publications.enums import PublicationStatus
from publications.models import Publication


def public_institutes() -> QuerySet[Institute]:
    """The one rule of a public institute: an admitted member of a forum, or an author of
    an approved publication. Its page, the list of institutes and the sitemap all use it;
    anything else is not found."""
    admitted = Membership.objects.admitted().filter(institute=OuterRef("pk"))
    authored = Publication.objects.filter(
        status=PublicationStatus.APPROVED, institutes=OuterRef("pk")
    )
    return Institute.objects.filter(Exists(admitted) | Exists(authored))
