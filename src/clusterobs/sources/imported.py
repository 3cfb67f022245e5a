"""What every importer returns: the engine-ready table, the full frame and a report.

The report says what was read and what could not be placed: rows read, cells by status
(reported, confidential, missing), cells suppressed (and estimated), codes the classification
does not know, and regions without a boundary. Importers build it; the CLI prints
:meth:`ImportReport.summary`; the embedded-data script writes :meth:`ImportReport.to_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterobs.sources.schema import CANONICAL_COLUMNS, SourceTable
from clusterobs.tables.engine import Engine


@dataclass
class ImportReport:
    """What an importer read and what it could not place (printed by the CLI, kept in notes).

    ``cells`` counts key-period cells of each measure by status; ``suppressed_cells`` the
    confidential cells of the employment measure in the output; ``unknown_codes`` the industry
    codes that are not codes of the classification; ``regions_without_boundary`` the region
    codes that have no boundary (with the reason)."""

    source: str
    dataset: str
    rows_read: int
    rows_output: int
    measures: dict[str, str]
    cells: dict[str, dict[str, int]] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    suppressed_cells: int = 0
    estimated_cells: int = 0
    empty_cells_skipped: int = 0
    invalid_cells: list[dict[str, Any]] = field(default_factory=list)
    unknown_codes: list[str] = field(default_factory=list)
    regions_without_boundary: list[dict[str, str]] = field(default_factory=list)
    recoded_regions: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        lines = [
            f"{self.source}: {self.rows_read:,} rows read, {self.rows_output:,} canonical rows",
            f"suppressed (confidential) cells: {self.suppressed_cells:,}"
            + (f", estimated: {self.estimated_cells:,}" if self.estimated_cells else ""),
            f"unknown codes: {len(self.unknown_codes)}"
            + (f" ({', '.join(self.unknown_codes[:10])})" if self.unknown_codes else ""),
            f"regions without a boundary: {len(self.regions_without_boundary)}"
            + (
                " (" + ", ".join(r["code"] for r in self.regions_without_boundary[:15]) + ")"
                if self.regions_without_boundary
                else ""
            ),
        ]
        if self.invalid_cells:
            lines.append(f"invalid cells (kept as null): {len(self.invalid_cells)}")
        return "\n".join(lines + self.notes)


@dataclass
class Import:
    """An importer's result: the engine-ready ``source``, the full pandas ``frame`` (canonical
    columns plus source flags and statuses) and the ``report``."""

    source: SourceTable | None
    frame: pd.DataFrame
    report: ImportReport
    correspondence: pd.DataFrame | None = None
    checks: dict[str, pd.DataFrame] = field(default_factory=dict)


def leaves(codes: pd.Series, parents: dict[str, str]) -> pd.Series:
    """True for the codes of ``codes`` under which no other code of ``codes`` lies (through
    the classification's ``parents``): the detailed rows of a table that publishes several
    levels (Eurostat SBS: the divisions, but the groups of 45-47 where it gives them)."""
    present = set(codes.dropna().astype(str))
    above: set[str] = set()
    for code in present:
        up = parents.get(code)
        while up is not None:
            if up in present:
                above.add(up)
            up = parents.get(up)
    return ~codes.astype(str).isin(above)


def source_table(
    engine: Engine,
    frame: pd.DataFrame,
    path: Path,
    *,
    notes: list[str] | None = None,
    measure: str = "employment",
    has: tuple[str, ...] = ("establishments", "payroll"),
) -> SourceTable:
    """A :class:`SourceTable` over a canonical pandas frame (codes strings, years int64).

    The frame is already checked by the importer, which names rows of the original file; the
    engine's validation then names rows of this frame (1-based). ``has``: the optional measures
    (``establishments``, ``payroll``) that the source publishes."""
    # Optional columns the engine reads when present: a source's own estimates of suppressed
    # cells (``imputation="source"``) and the rows it marks as detailed.
    extra = [c for c in ("employment_estimated", "detailed") if c in frame.columns]
    canon = frame[[*CANONICAL_COLUMNS, *extra]].copy()
    if "employment_estimated" in extra:
        canon["employment_estimated"] = canon["employment_estimated"].astype("float64")
    if "detailed" in extra:
        canon["detailed"] = canon["detailed"].astype("bool")
    for col in ("region_code", "region_type", "industry_code", "vintage", "size_class"):
        canon[col] = canon[col].astype("string")
    canon["year"] = canon["year"].astype("int64")
    for col in ("employment_reported", "establishments", "payroll"):
        canon[col] = canon[col].astype("float64")
    table = engine.table(canon, "canonical")

    def python_keys(chunk: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "region_code": chunk["region_code"],
                "industry_code": chunk["industry_code"],
                "year": pd.to_numeric(chunk["year"]).astype(int),
                "vintage": chunk["vintage"],
            }
        )

    # ``raw_field`` names the columns the source has: the engine reads the absence of
    # ``establishments`` as "no establishment counts" (the size test is then skipped, not run on
    # zeros), so a source without them (census worker tables) must not list them.
    optional = {"establishments", "payroll"}
    canonical_names = {c: c for c in CANONICAL_COLUMNS if c not in optional or c in has}
    src = SourceTable(
        table=table,
        path=path,
        raw_field=canonical_names,
        python_keys=python_keys,
        raw=None,
        notes=list(notes or []),
        measure=measure,
    )
    src.frame = canon
    return src
