"""Units and sources shown on the page, not only in tooltips.

``{{ column|unit }}`` gives a column's unit; ``{% figure_sources d columns %}`` renders the
visible "Sources and units" table of a page: every figure shown with its unit, definition and
source, and the result's input data.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from clusterobs.observatory.selectors.glossary import FIELDS, MAP_INDICATORS
from clusterobs.observatory.units import LABELS, NOTES
from clusterobs.observatory.units import unit as unit_of

register = template.Library()


@register.filter
def unit(column: str) -> str:
    return unit_of(column)


@register.filter
def unit_for(fields: dict[str, Any] | None, column: str) -> str:
    """``column``'s unit as the page's result measures it (workers, persons employed, jobs)."""
    base = str(column).split(":", 1)[0]
    return ((fields or {}).get(base) or {}).get("unit") or unit_of(column)


@register.inclusion_tag("observatory/_sources.html")
def figure_sources(
    d: dict[str, Any], columns: list[str] | str, dataset: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The rows of the sources table for ``columns`` (a list, or a comma-separated string) of
    the page data ``d``; ``dataset`` when ``d`` does not carry the result's description."""
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",") if c.strip()]
    fields = d.get("fields") or FIELDS
    rows, seen = [], set()
    for column in columns:
        if column in seen or column in LABELS:
            continue
        seen.add(column)
        base = column.split(":", 1)[0]
        note = fields.get(base) or NOTES.get(base) or {}
        rows.append(
            {
                "label": note.get("label")
                or MAP_INDICATORS.get(base)
                or column.replace("_", " ").capitalize(),
                "unit": note.get("unit") or unit_of(column) or "—",
                "definition": note.get("definition", ""),
                "source": note.get("source") or (_("mapping engine") if base in NOTES else ""),
            }
        )
    dataset = dataset or d.get("dataset") or {}
    if not isinstance(dataset, dict):  # some pages carry only the result's name
        dataset = {"name": dataset}
    years = dataset.get("years") or []
    return {
        "rows": rows,
        "dataset": dataset,
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
    }
