"""``{% json_ld data %}``: a schema.org data block in a page's head."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# What would let text end the block or open markup inside it, as Django's json_script
# escapes it: in JSON these escapes read back as the same characters.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> str:
    """``data`` as ``<script type="application/ld+json">``: a data block, never run, so
    the Content-Security-Policy has nothing to allow. The JSON is escaped as json_script
    escapes it (no "<", ">" or "&" left), so no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
