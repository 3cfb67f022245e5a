"""Formatting of statistical values: imputed and suppressed figures never look like plain
numbers (an "≈" with a marked footnote, or the word "suppressed"), and missing values never look
like zero."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

PERCENT = {"national_share", "traded_share", "cluster_strength", "region_share"}
PERCENT |= {"density", "present_share", "reasons_share"}  # complexity pages (shares 0-1)
GROWTH = {"emp_cagr", "employment_cagr", "establishments_cagr", "wage_cagr", "wage_growth"}
GROWTH |= {"employment_growth"}
MONEY = {"wage", "national_wage", "wage_start", "wage_end"}
RATIO = {"lq_traded_local", "lq_total", "lq_start", "lq_end", "lq_change", "value"}
PP = {"national_share_change"}


def fmt(value: Any, column: str) -> str:
    """Plain-text formatting of one value of a column."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if not isinstance(value, (int, float)):
        return str(value)
    if column in PERCENT:
        return f"{100 * value:.1f}%"
    if column in GROWTH:
        return f"{100 * value:+.2f}%"
    if column in PP:
        return f"{100 * value:+.3f} pp"
    if column in MONEY:
        return f"${value:,.0f}"
    if column in RATIO:
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    if column == "year" or column.endswith("_year") or column.endswith("_code"):
        return str(value)
    if isinstance(value, float) and abs(value - round(value)) > 1e-9 and abs(value) < 100:
        return f"{value:,.2f}"
    return f"{value:,.0f}"


@register.filter
def cell(row: dict[str, Any], column: str) -> str:
    """One table cell, marked when imputed, suppressed or missing."""
    value = row.get(column)
    if value is None:
        if column == "wage" and row.get("wage_status") == "suppressed":
            return format_html(
                '<span class="obs-suppressed" title="{}">{}</span>',
                _("Withheld by the source to avoid disclosing a firm"),
                _("suppressed"),
            )
        return format_html('<span class="obs-missing" title="{}">—</span>', _("no data"))
    text = fmt(value, column)
    if column == "employment":
        status = row.get("employment_status")
        if status in ("imputed", "partly_imputed"):
            imputed = row.get("employment_imputed") or 0
            title = (
                _("Fully imputed: the source suppressed every cell (%(n)s jobs estimated)")
                if status == "imputed"
                else _("Partly imputed: %(n)s of these jobs are estimated for suppressed cells")
            ) % {"n": f"{imputed:,.0f}"}
            return format_html(
                '<span class="obs-imputed obs-{}" title="{}">≈{}<sup aria-hidden="true">{}'
                '</sup><span class="visually-hidden"> ({})</span></span>',
                status.replace("_", "-"),
                title,
                text,
                "i" if status == "imputed" else "p",
                title,
            )
    return text


@register.filter
def label(fields: dict[str, dict[str, str]], column: str) -> str:
    return (fields or {}).get(column, {}).get("label") or column.replace("_", " ").capitalize()


@register.filter
def definition(fields: dict[str, dict[str, str]], column: str) -> str:
    f = (fields or {}).get(column)
    return f"{f['definition']} Source: {f['source']}." if f else ""


@register.filter
def fmtv(value: Any, column: str) -> str:
    return fmt(value, column)


@register.filter
def get(d: dict | list, key: Any) -> Any:
    """``d[key]`` for dicts, ``d[index]`` for lists; None when missing."""
    if isinstance(d, list):
        return d[key] if isinstance(key, int) and 0 <= key < len(d) else None
    return (d or {}).get(key)
