"""Reads of what the secretariat circulated, as the institutes it went to see it."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.files import FieldFile

from forums.models import Forum
from secretariat.models import Circulation, Delivery


def institute_circulations(*, institute_id: int, forum: Forum | None = None) -> QuerySet[Delivery]:
    """What was circulated to the institute (of ``forum``, or of every forum): one delivery
    per circulation, the institute's first, with the circulation, its paper and the
    paper's forum; the newest circulation first. A queryset the caller filters or pages."""
    first = (
        Delivery.objects.filter(circulation=OuterRef("circulation"), institute_id=institute_id)
        .order_by("pk")
        .values("pk")[:1]
    )
    deliveries = Delivery.objects.filter(institute_id=institute_id, pk=Subquery(first))
    if forum is not None:
        deliveries = deliveries.filter(circulation__paper__forum=forum)
    return deliveries.select_related("circulation__paper__forum").order_by(
        "-circulation__created_at", "circulation_id"
    )


def circulated_pdf(*, circulation: Circulation) -> FieldFile | None:
    """The PDF the circulation's recipients were sent: its own copy, or for a circulation
    from before they kept one, the paper's PDF (what its e-mail attached); None while the
    document is still being prepared. Reads the paper, which callers load with it."""
    pdf = circulation.pdf if circulation.pdf.name else circulation.paper.pdf
    return pdf if pdf.name else None
