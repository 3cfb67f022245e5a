"""A file of establishment points: longitude, latitude, industry code and an optional weight.

Accepted files: CSV (optionally gzip-compressed) or Parquet, with a header. Column names are
options (defaults ``longitude``, ``latitude``, ``industry``; the EPA TRI file uses
``primary_naics``). Validation is all-or-nothing and names file, row (1-based data row) and field:
a missing or out-of-range coordinate, a missing, negative or non-numeric weight. A missing
industry code is allowed (the establishment still is a location of the counterfactual "all
points"; it never matches an industry) and counted in ``missing_industry``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.imports import guards
from clusterobs.sources.errors import InputValidationError
from clusterobs.spatial.projection import validate_lonlat


@dataclass
class PointSet:
    lon: np.ndarray
    lat: np.ndarray
    industry: np.ndarray  # object array of str or None
    weight: np.ndarray | None
    source: str
    ids: np.ndarray | None = None

    @property
    def n(self) -> int:
        return int(self.lon.size)

    @property
    def missing_industry(self) -> int:
        return int(sum(1 for c in self.industry if c is None))

    def __post_init__(self) -> None:
        validate_lonlat(self.lon, self.lat, source=self.source)


def _strip_code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s or None


def read_points(
    path: str | Path,
    *,
    lon_column: str = "longitude",
    lat_column: str = "latitude",
    industry_column: str = "industry",
    weight_column: str | None = None,
    id_column: str | None = None,
) -> PointSet:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"point file {path} does not exist")
    guards.check_size(path)
    guards.check_inflated(path)  # a small .csv.gz or Parquet must not inflate without bound
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        df = df.astype({c: "string" for c in df.columns if c == industry_column})
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    wanted = [lon_column, lat_column, industry_column] + [
        c for c in (weight_column, id_column) if c
    ]
    for col in wanted:
        if col not in df.columns:
            raise InputValidationError(
                f"no column {col!r}; columns: {', '.join(map(str, df.columns))}",
                file=path,
                field=col,
            )
    coords = {}
    for col in (lon_column, lat_column):
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputValidationError(
                f"coordinate {df[col].iloc[row]!r} is missing or not a number",
                file=path,
                row=row + 1,
                field=col,
            )
        coords[col] = values.to_numpy(dtype="float64")
    weight = None
    if weight_column:
        values = pd.to_numeric(df[weight_column], errors="coerce")
        bad = values.isna() | (values < 0) | ~np.isfinite(values.fillna(0))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputValidationError(
                f"weight {df[weight_column].iloc[row]!r} is missing, negative or not a number",
                file=path,
                row=row + 1,
                field=weight_column,
            )
        weight = values.to_numpy(dtype="float64")
    try:
        return PointSet(
            lon=coords[lon_column],
            lat=coords[lat_column],
            industry=np.array([_strip_code(v) for v in df[industry_column]], dtype=object),
            weight=weight,
            source=str(path),
            ids=df[id_column].astype(str).to_numpy() if id_column else None,
        )
    except InputValidationError as exc:  # out-of-range coordinate: name the column used
        field = lon_column if exc.field == "longitude" else lat_column
        raise InputValidationError(exc.reason, file=path, row=exc.row, field=field) from exc
