"""Links that change one part of the catalogue's URL and keep the rest."""

from django import template
from django.http import QueryDict

register = template.Library()


def _params(request) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` set (``None`` removes a key); changing
    anything but the page goes back to page one."""
    request = context["request"]
    params = request.GET.copy() if set(changes) == {"page"} else _params(request)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def page_window(page, radius: int = 2) -> list[int | None]:
    """Page numbers around the current one, with None where numbers are left out."""
    last = page.paginator.num_pages
    shown = {1, last, *range(max(1, page.number - radius), min(last, page.number + radius) + 1)}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers
