"""``{% absolute_url path %}`` and ``{{ path|absolute }}``: an address as the portal
publishes it, on SITE_URL (``core.urls.absolute_url``)."""

from django import template

from core.urls import absolute_url as _absolute_url

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    return _absolute_url(str(path))


@register.filter
def absolute(path: str) -> str:
    return _absolute_url(str(path))
