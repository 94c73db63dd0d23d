"""The language switcher and the head's ``hreflang`` alternates (newsroom/i18n.py)."""

from django import template

from newsroom.i18n import Edition, editions

register = template.Library()


@register.simple_tag(takes_context=True)
def page_editions(context: template.Context) -> list[Edition]:
    """This page in every language: ``{% page_editions as editions %}``."""
    request = context.get("request")
    if request is None:
        return []
    return editions(request)
