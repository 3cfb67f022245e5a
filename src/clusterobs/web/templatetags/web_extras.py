"""Template filters of the web pages: readable numbers and country names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from clusterobs.regions.countries import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    """``"IN"`` -> ``"India"``; the code itself when unknown (e.g. EU)."""
    return country_name(code) if code else ""


@register.filter
def number(value: Any) -> str:
    """A figure without trailing zeros and with thousands separators (``1,200.5``).

    Decimals from the database carry four decimal places; showing ``1200.0000`` would suggest
    a precision the source never had.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            return f"{int(value):,}"
        return f"{value:,f}"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
