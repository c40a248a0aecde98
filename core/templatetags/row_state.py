"""``{% row_state form inline_formsets … %}``: the hidden ``_row_state`` input a page with
guarded forms carries inside its ``<form>`` (``core.concurrency``)."""

from django import template
from django.utils.html import format_html

from core.concurrency import ROW_STATE, page_state

register = template.Library()


@register.simple_tag
def row_state(*items):
    return format_html('<input type="hidden" name="{}" value="{}">', ROW_STATE, page_state(*items))
