from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsroom.dates import PartialDate

register = template.Library()


@register.filter
def partial_date(value: PartialDate | None, empty: str = "") -> str:
    """A ``<time>`` element showing a date at its precision: "January 2017", "2018"."""
    if value is None:
        return empty
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.display())


@register.simple_tag(takes_context=True)
def focus_here(context: template.Context) -> SafeString:
    """Ask for the keyboard focus on this element once it is on the page.

    A full page uses the ``autofocus`` attribute. A fragment that htmx swaps in is marked
    ``data-focus-after-swap`` instead, and static/js/desk.js focuses it after the swap has
    settled: Chromium also honours ``autofocus`` on inserted elements at its next rendering
    update, and that second focus could land after the user's next key press.
    """
    request = context.get("request")
    if request is not None and getattr(request, "htmx", False):
        return mark_safe("data-focus-after-swap")
    return mark_safe("autofocus")
