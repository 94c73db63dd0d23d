"""``{% json_ld data %}``: schema.org structured data in a ``<script>`` data block."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# As Django's json_script: with <, > and & written as JSON escapes, no value (a headline
# holding "</script>", say) can close the element or open a comment; JSON readers get the
# same characters back.
_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_html(data: object) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_HTML_ESCAPES)


@register.simple_tag(takes_context=True)
def json_ld(context: template.Context, data: object) -> SafeString | str:
    """A ``<script type="application/ld+json">``, or nothing.

    A data block, which the browser never runs, so the Content-Security-Policy does not
    apply to it and it needs no nonce: the page carries nothing per request and can be
    cached whole (newsroom/page_cache.py)."""
    if not data:
        return ""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(json_for_html(data)),  # noqa: S308 - <, > and & are escaped above
    )
