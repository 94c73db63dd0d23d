"""Form fields shared by every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.dates import InvalidPartialDate, PartialDate


class PartialDateField(forms.Field):
    """A date typed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; cleans to a PartialDate."""

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("As precise as the source: 2018, 2017-01 or 2024-09-25."))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "placeholder": _("YYYY, YYYY-MM or YYYY-MM-DD"),
                "maxlength": "10",
                "size": "12",
                "autocomplete": "off",
            }
        )

    def prepare_value(self, value: object) -> object:
        if isinstance(value, PartialDate):
            return value.isoformat()
        return value

    def to_python(self, value: object) -> PartialDate | None:
        if isinstance(value, PartialDate):
            return value
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except InvalidPartialDate as invalid:
            raise ValidationError(str(invalid), code="invalid") from None


# The largest primary key a database here can hold (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """A row's id as a URL or a form gives it, or None: ASCII digits only (``"²"`` and
    ``"٣"`` are digits to ``str.isdigit``) and small enough for the database, so a made-up
    id finds nothing instead of failing the query."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None
