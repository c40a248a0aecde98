from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from actionplans.models import JointStatement
from actionplans.selectors import statement_public_detail


def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published joint statement; any other (draft, adopted) is not found."""
    try:
        statement = statement_public_detail(slug=slug)
    except JointStatement.DoesNotExist:
        raise Http404 from None
    return render(request, "actionplans/statement_detail.html", {"statement": statement})
