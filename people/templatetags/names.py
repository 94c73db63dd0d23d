"""``{% load names %}``: a person's or organization's name in the reader's script
(people/names.py). ``{{ person|name }}`` for HTML, ``{{ person|name_text }}`` for a title."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from people.names import local_name

register = template.Library()


@register.filter
def name(entity) -> SafeString | str:
    """ "ミラ・ムラティ (Mira Murati)" on Japanese pages where one is recorded, else the name."""
    if entity is None:
        return ""
    local = local_name(entity)
    if not local:
        return entity.name
    return format_html(
        '<span lang="{}">{}</span> <span class="latin-name" lang="en">({})</span>',
        get_language(),
        local,
        entity.name,
    )


@register.filter
def name_text(entity) -> str:
    """The same as plain text, for a page title or a meta tag."""
    if entity is None:
        return ""
    local = local_name(entity)
    return f"{local} ({entity.name})" if local else entity.name
