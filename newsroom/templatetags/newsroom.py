from django import template
from django.utils.html import format_html

from newsroom.dates import PartialDate

register = template.Library()


@register.filter
def partial_date(value: PartialDate | None, empty: str = "") -> str:
    """A ``<time>`` element showing a date at its precision: "January 2017", "2018"."""
    if value is None:
        return empty
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.display())
