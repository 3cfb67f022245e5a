"""Formatting of spatial statistics in tables: p- and q-values and indices keep their small
digits (a p of 0.001 must not print as 0.00), missing values never look like zero."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clusterobs.observatory.templatetags.observatory_tags import fmt

register = template.Library()

FOUR = {
    "lisa_p_sim", "lisa_q", "gi_p_sim", "gi_q", "lisa_I", "eg_gamma", "eg_G", "ms_gamma",
    "ms_G", "herfindahl", "herfindahl_normalised", "gini", "gini_normalised",
    "locational_gini", "krugman", "localisation_index", "dispersion_index",
}  # fmt: skip
SIX = {"plant_herfindahl", "kd", "sim_mean", "local_lo", "local_hi", "global_lo", "global_hi"}
TWO = {"gi_z", "value", "lq_total", "lq_traded_local", "r_km"}


def spatial_fmt(value: Any, column: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        if column in FOUR:
            return f"{value:.4f}"
        if column in SIX:
            return f"{value:.6f}"
        if column in TWO:
            return f"{value:,.2f}"
    return fmt(value, column)


@register.filter
def scell(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    if value is None:
        return format_html('<span class="obs-missing" title="{}">—</span>', _("no data"))
    return spatial_fmt(value, column)


@register.filter
def slabel(fields: dict[str, dict[str, str]], column: str) -> str:
    return (fields or {}).get(column, {}).get("label") or column.replace("_", " ").capitalize()


@register.filter
def sdefinition(fields: dict[str, dict[str, str]], column: str) -> str:
    return (fields or {}).get(column, {}).get("definition", "")
