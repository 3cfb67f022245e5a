"""A generic long employment table (CSV or Parquet) with user-named columns.

Required: region, industry, year, employment. Optional: establishments, payroll (in currency
units, multiplied by ``payroll_multiplier``), a flag column holding a CBP-style size class
(``A``..``M``) for suppressed cells, a region-type column, and a vintage column (the
classification of each row's code). Without a vintage column every row has ``vintage``; without
a region-type column every region has ``region_type``. Rows whose region type is ``nation`` are
treated as supplied national totals. The all-industry total row, if present, has industry code
``total_code`` (default none: totals are then the sum of all detailed industries).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis
import pandas as pd

from clusterobs.sources.errors import InputValidationError, unreadable
from clusterobs.sources.schema import CANONICAL_COLUMNS, SourceTable
from clusterobs.tables.engine import Engine


@dataclass(frozen=True)
class LongColumns:
    """Names of the columns in the user's file."""

    region: str = "region"
    industry: str = "industry"
    year: str = "year"
    employment: str = "employment"
    establishments: str | None = None
    payroll: str | None = None
    flag: str | None = None
    region_type: str | None = None
    vintage: str | None = None


def _num(t: ibis.Table, col: str) -> ibis.Value:
    """A number; text that is not a finite number (``x``, ``NaN``, ``inf``) becomes null and is
    then refused by validation with its row."""
    v = t[col]
    if v.type().is_string():
        v = v.strip().nullif("").try_cast("float64")
    v = v.cast("float64")
    return ibis.ifelse(v.isnan() | v.isinf(), ibis.null("float64"), v)


def _year(t: ibis.Table, col: str) -> ibis.Value:
    """A year is an integer: ``2010.5`` or ``NaN`` becomes null and is refused with its row."""
    v = t[col]
    if v.type().is_string():
        return v.strip().nullif("").try_cast("int64")
    return v.try_cast("int64")


def _text(t: ibis.Table, col: str) -> ibis.Value:
    v = t[col]
    return v.strip() if v.type().is_string() else v.cast("string")


def read_long(
    engine: Engine,
    path: str | Path,
    *,
    columns: LongColumns | None = None,
    vintage: str = "UNKNOWN",
    region_type: str = "region",
    total_code: str | None = None,
    payroll_multiplier: float = 1.0,
) -> SourceTable:
    """Read a long table into the canonical layout (codes kept as strings)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        is_parquet = path.suffix == ".parquet"
        raw = engine.read_parquet(path) if is_parquet else engine.read_csv_strings(path)
    except Exception as exc:  # the engine's reader names the line of a malformed file
        raise unreadable(path, exc) from exc
    return canonical_long(
        raw,
        path,
        columns=columns,
        vintage=vintage,
        region_type=region_type,
        total_code=total_code,
        payroll_multiplier=payroll_multiplier,
    )


def from_frame(
    engine: Engine,
    df: pd.DataFrame,
    *,
    columns: LongColumns | None = None,
    vintage: str = "UNKNOWN",
    region_type: str = "region",
    total_code: str | None = None,
    payroll_multiplier: float = 1.0,
) -> SourceTable:
    """The same as :func:`read_long` for a DataFrame already in memory (notebooks)."""
    raw = engine.table(df, "frame")
    return canonical_long(
        raw,
        Path("<dataframe>"),
        columns=columns,
        vintage=vintage,
        region_type=region_type,
        total_code=total_code,
        payroll_multiplier=payroll_multiplier,
        frame=df,
    )


def canonical_long(
    raw: ibis.Table,
    path: Path,
    *,
    columns: LongColumns | None = None,
    vintage: str = "UNKNOWN",
    region_type: str = "region",
    total_code: str | None = None,
    payroll_multiplier: float = 1.0,
    frame: pd.DataFrame | None = None,
) -> SourceTable:
    """Map the user's columns onto the canonical layout."""
    c = columns or LongColumns()
    needed = [c.region, c.industry, c.year, c.employment]
    needed += [x for x in (c.establishments, c.payroll, c.flag, c.region_type, c.vintage) if x]
    for col in needed:
        if col not in raw.columns:
            raise InputValidationError(
                f"column {col!r} not found (columns: {', '.join(raw.columns)})",
                file=path,
                field=col,
            )
    # An empty industry cell is not the total row unless the user says so (``total_code=""``):
    # it becomes null and fails validation with its row, instead of silently counting as a total.
    text = _text(raw, c.industry)
    industry = text.nullif("")
    if total_code is not None:
        industry = ibis.ifelse(text == total_code, ibis.literal(""), industry)
    flag = _text(raw, c.flag).upper().nullif("") if c.flag else ibis.null("string")
    emp = _num(raw, c.employment)
    t = raw.select(
        region_code=_text(raw, c.region),
        region_type=_text(raw, c.region_type) if c.region_type else ibis.literal(region_type),
        industry_code=industry,
        year=_year(raw, c.year),
        vintage=_text(raw, c.vintage) if c.vintage else ibis.literal(vintage),
        employment_reported=ibis.ifelse(flag.notnull(), ibis.null("float64"), emp),
        size_class=flag,
        establishments=_num(raw, c.establishments) if c.establishments else ibis.null("float64"),
        payroll=_num(raw, c.payroll) * payroll_multiplier if c.payroll else ibis.null("float64"),
    )[CANONICAL_COLUMNS]

    def python_keys(chunk: pd.DataFrame) -> pd.DataFrame:
        ind = chunk[c.industry.lower()].str.strip()
        if total_code is not None:
            ind = ind.where(ind != total_code, "")
        return pd.DataFrame(
            {
                "region_code": chunk[c.region.lower()].str.strip(),
                "industry_code": ind,
                "year": pd.to_numeric(chunk[c.year.lower()]).astype(int),
                "vintage": chunk[c.vintage.lower()].str.strip() if c.vintage else vintage,
            }
        )

    fields = {
        "region_code": c.region,
        "industry_code": c.industry,
        "year": c.year,
        "employment_reported": c.employment,
    }
    if c.establishments:
        fields["establishments"] = c.establishments
    if c.payroll:
        fields["payroll"] = c.payroll
    if c.vintage:
        fields["vintage"] = c.vintage
    if c.flag:
        fields["size_class"] = c.flag
    src = SourceTable(t, path, fields, python_keys, raw=raw)
    if frame is not None:
        src.frame = frame
    return src
