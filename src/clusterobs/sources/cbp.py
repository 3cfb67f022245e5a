"""U.S. County Business Patterns (Census Bureau) files as published.

Layouts recognised from the header (case-insensitive):

* state files (``cbpYYst``): ``fipstate, naics, empflag, emp_nf, emp, ..., ap, est``
* county files (``cbpYYco``): as state plus ``fipscty``; region = ``fipstate + fipscty`` (5-digit)
* MSA files (``cbpYYmsa``): ``msa`` (or ``cbsa``); region = MSA code
* a ``year`` column is used if present, else the ``year`` argument, else the year in the file name
  (``cbp08st.txt`` -> 2008)

NAICS notation ``------``, ``31----``, ``336///``/``336---``, ``3361//``/``3361--``,
``33611/``/``33611-`` is normalised to bare codes (see :mod:`clusterobs.classifications.naics`).
Employment withheld for disclosure (``empflag`` set, ``emp`` = 0) becomes null
``employment_reported`` with the size class kept; annual payroll ``ap`` is in $1,000 and is
converted to dollars; it is treated as unpublished where employment is withheld or ``ap_nf = D``.

Vintage by year (Census): 1998-2002 NAICS 1997, 2003-2007 NAICS 2002, 2008-2011 NAICS 2007,
2012-2016 NAICS 2012, 2017-2021 NAICS 2017.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import ibis
import pandas as pd

from clusterobs.classifications.naics import PADDING
from clusterobs.sources.errors import InputValidationError, unreadable
from clusterobs.sources.schema import CANONICAL_COLUMNS, SourceTable
from clusterobs.tables.engine import Engine

VINTAGE_BY_YEAR = [
    (1998, 2002, "NAICS1997"),
    (2003, 2007, "NAICS2002"),
    (2008, 2011, "NAICS2007"),
    (2012, 2016, "NAICS2012"),
    (2017, 2021, "NAICS2017"),
]


def _vintage_expr(year: ibis.Value) -> ibis.Value:
    cases = [((year >= lo) & (year <= hi), name) for lo, hi, name in VINTAGE_BY_YEAR]
    return ibis.cases(*cases, else_="UNKNOWN")


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"cbp(\d{2})(st|co|msa|us)", path.name.lower())
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 86 else 2000 + yy


NUMERIC_COLUMNS = {"emp", "est", "ap", "qp1", "year"} | {f"n{x}" for x in ("1_4", "5_9")}


def _header(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as fh:
        return next(csv.reader(fh))


def read_cbp(engine: Engine, path: str | Path, *, year: int | None = None) -> SourceTable:
    """Read one CBP file (CSV, optionally gzip, or Parquet) into the canonical table."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    raw = _typed_parquet(engine, path) if path.suffix == ".parquet" else _typed_csv(engine, path)
    return _canonical(raw, path, year)


def _typed_parquet(engine: Engine, path: Path) -> ibis.Table:
    """A CBP table kept as Parquet (the embedded copy): the published columns, typed."""
    raw = engine.read_parquet(path)
    return raw.select(
        **{
            c: raw[c].cast("float64" if c.lower() in NUMERIC_COLUMNS else "string")
            for c in raw.columns
        }
    )


def _typed_csv(engine: Engine, path: Path) -> ibis.Table:
    header = _header(path)
    types = {c: ("float64" if c.lower() in NUMERIC_COLUMNS else "string") for c in header}
    try:
        return engine.read_csv_typed(path, types)
    except Exception as exc:  # the backend's parse error names the line
        raise unreadable(path, exc) from exc


def _canonical(raw: ibis.Table, path: Path, year: int | None) -> SourceTable:
    """The published CBP columns mapped onto the canonical layout."""
    raw = raw.rename({c.lower(): c for c in raw.columns})
    cols = set(raw.columns)
    for need in ("naics", "emp", "est"):
        if need not in cols:
            raise InputValidationError(f"not a CBP file: no column {need!r}", file=path, field=need)
    if "fipscty" in cols and "fipstate" in cols:
        region = raw.fipstate.lpad(2, "0").concat(raw.fipscty.lpad(3, "0"))
        region_fields: tuple[str, ...]
        region_type, region_fields = "county", ("fipstate", "fipscty")
    elif "fipstate" in cols:
        region = raw.fipstate.lpad(2, "0")
        region_type, region_fields = "state", ("fipstate",)
    elif "msa" in cols or "cbsa" in cols:
        col = "msa" if "msa" in cols else "cbsa"
        region = raw[col]
        region_type, region_fields = "msa", (col,)
    else:
        raise InputValidationError(
            "not a CBP file: no fipstate, fipscty or msa column", file=path, field="fipstate"
        )
    if "year" in cols:
        year_expr = raw.year.cast("int64")
        year_field = "year"
    else:
        year = year or _year_from_name(path)
        if year is None:
            raise ValueError(f"{path}: no year column and no year in the file name; pass year=")
        year_expr = ibis.literal(year, type="int64")
        year_field = "=" + str(year)
    flag = raw.empflag.nullif("") if "empflag" in cols else ibis.null("string")
    payroll = raw.ap * 1000.0 if "ap" in cols else ibis.null("float64")
    ap_nf = raw.ap_nf.fill_null("") if "ap_nf" in cols else ibis.literal("")
    suppressed = flag.notnull()
    t = raw.select(
        region_code=region,
        region_type=ibis.literal(region_type),
        industry_code=raw.naics.replace("-", "").replace("/", ""),
        year=year_expr,
        employment_reported=ibis.ifelse(suppressed, ibis.null("float64"), raw.emp),
        size_class=flag,
        establishments=raw.est,
        payroll=ibis.ifelse(suppressed | (ap_nf == "D"), ibis.null("float64"), payroll),
    )
    t = t.mutate(vintage=_vintage_expr(t.year))[CANONICAL_COLUMNS]

    def python_keys(chunk: pd.DataFrame) -> pd.DataFrame:
        reg = chunk[region_fields[0]].str.strip()
        if region_type in ("state", "county"):
            reg = reg.str.zfill(2)
        if region_type == "county":
            reg = reg + chunk["fipscty"].str.strip().str.zfill(3)
        years = (
            pd.to_numeric(chunk["year"]).astype(int)
            if "year" in chunk.columns
            else pd.Series(int(year_field[1:]), index=chunk.index)
        )
        return pd.DataFrame(
            {
                "region_code": reg,
                "industry_code": chunk["naics"].str.strip().str.replace(PADDING, "", regex=True),
                "year": years,
                "vintage": years.map(
                    lambda y: next((n for lo, hi, n in VINTAGE_BY_YEAR if lo <= y <= hi), "UNKNOWN")
                ),
            }
        )

    return SourceTable(
        table=t,
        path=path,
        raw_field={
            "region_code": "+".join(region_fields),
            "industry_code": "naics",
            "year": year_field,
            "employment_reported": "emp",
            "establishments": "est",
            "payroll": "ap",
            "vintage": year_field,
        },
        python_keys=python_keys,
        raw=None,
    )
