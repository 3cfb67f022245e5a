"""What a result counts, in the words of its source: jobs, persons employed or workers.

Why: the engine calls its count ``employment`` and its money ``payroll`` whatever the source
measured. A Census of India table counts *workers* (main and marginal, by residence) and has
neither establishments nor wages; Eurostat SBS counts *persons employed* in *local units* and
reports wages and salaries in euro; County Business Patterns counts mid-March *employment* in
*establishments* with payroll in U.S. dollars. Showing all three as "Employment" and "US$"
would mislead, so every page takes its labels, units and field notes from :func:`measure_of`
the result's manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    """Labels, units and sources of a result's count, units and money."""

    label: str
    unit: str
    is_workers: bool
    described: str
    imputed_label: str
    source: str
    units_label: str = str(_("Establishments"))
    units_source: str = "CBP"
    money_unit: str = str(_("US$ per job per year, current prices"))
    money_source: str = "CBP"


def measure_of(manifest: dict[str, Any]) -> Measure:
    """The :class:`Measure` of a result (``input.measure``, ``input.notes`` and the input
    format of its manifest)."""
    given = str((manifest.get("input") or {}).get("measure") or "employment")
    notes = "; ".join((manifest.get("input") or {}).get("notes") or [])
    if "worker" in given.lower():
        return Measure(
            label=str(_("Workers (%(measure)s)") % {"measure": given}),
            unit=str(_("workers")),
            is_workers=True,
            described=notes or given,
            imputed_label=str(_("Imputed workers")),
            source=notes or given,
            units_label=str(_("Establishments (not in the census table)")),
            units_source=notes or given,
            money_unit=str(_("not in the census table")),
            money_source=notes or given,
        )
    if given.lower() == "persons employed":
        return Measure(
            str(_("Persons employed")),
            str(_("persons employed")),
            False,
            notes,
            str(_("Imputed persons employed")),
            notes,
            units_label=str(_("Local units")),
            units_source=str(_("Eurostat SBS: local units (V11210)")),
            money_unit=str(_("EUR per person employed per year, current prices")),
            money_source=str(_("Eurostat SBS: wages and salaries (V13320)")),
        )
    return Measure(
        str(_("Employment")),
        str(_("jobs")),
        False,
        str(_("Jobs in the region (CBP mid-March employment).")),
        str(_("Imputed employment")),
        "U.S. Census County Business Patterns via the mapping engine",
    )


#: Columns that count what the source counts (their unit follows the measure).
COUNTS = (
    "employment_reported",
    "traded_employment",
    "local_employment",
    "national_employment",
    "employment_start",
    "employment_end",
    "job_creation",
    "expected_job_creation",
)
MONEY = ("wage", "national_wage", "wage_start", "wage_end")


def relabel(fields: dict[str, dict[str, str]], manifest: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with the count's, the units' and the money's entries named as the result's
    source measured them (unchanged for County Business Patterns)."""
    m = measure_of(manifest)
    if m == measure_of({}):
        return fields
    out = dict(fields)
    out["employment"] = {
        "label": m.label,
        "unit": m.unit,
        "definition": f"{m.described}. "
        + str(_("Suppressed or confidential cells are imputed only where the manifest says so.")),
        "source": m.source,
    }
    out["employment_imputed"] = {
        **fields["employment_imputed"],
        "label": m.imputed_label,
        "unit": m.unit,
    }
    for column in COUNTS:
        if column in fields:
            out[column] = {**fields[column], "unit": m.unit}
    out["establishments"] = {
        **fields["establishments"],
        "label": m.units_label,
        "source": m.units_source,
    }
    for column in MONEY:
        if column in fields:
            out[column] = {**fields[column], "unit": m.money_unit, "source": m.money_source}
    return out
