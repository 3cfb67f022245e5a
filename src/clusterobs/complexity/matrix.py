"""Region x industry employment matrices, one per region type and year, from a long table.

Why matrices: every complexity statistic is linear algebra on the employment matrix ``E``
(regions x industries) of one year, and regions are compared only with regions of their own
type (as in the mapping engine's percentiles). This module turns a long table (one row per
region, industry and year) into those matrices.

Conventions:

* Codes are strings. Rows and columns are the *sorted* codes, so a matrix (and every statistic
  computed from it) never depends on the order of the input rows.
* A cell absent from the long table is zero. The readers decide whether their source says so
  (County Business Patterns lists every industry with an establishment: absent = none); a
  caller that cannot vouch for it passes ``absent="error"`` and every cell must be listed.
* A duplicate key, a negative value or a missing value (null: the source did not publish the
  cell and gave no suppression class) is refused with the row named. Imputation of suppressed
  cells happens before this step (:mod:`clusterobs.complexity.inputs`).
* Regions and industries listed in a year whose total is zero have no RCA (0/0); they are left
  out of that year's matrix and listed in ``excluded_regions`` / ``excluded_industries``.

Codes are encoded once with Arrow's dictionary encoding and cells are summed with one
``bincount`` per year, so a 30-million-row panel becomes matrices in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from clusterobs.sources.errors import InputValidationError

#: Largest matrix (cells) built in memory for one region type and year (~1.6 GB of float64).
MAX_CELLS = 200_000_000
DEFAULT_REGION_TYPE = "region"


@dataclass
class RegionIndustryMatrix:
    """Employment of one region type and year; rows ``regions``, columns ``industries``.

    ``region_totals`` (optional) are the regions' all-industry totals when the matrix does not
    cover the whole economy (clusters): RCA then uses them as its denominators
    (:mod:`clusterobs.complexity.rca`). ``imputed`` (optional) is the part of each cell
    estimated for suppressed source cells (kept apart from reported employment).
    """

    employment: np.ndarray
    regions: pd.Index
    industries: pd.Index
    year: int
    region_type: str = DEFAULT_REGION_TYPE
    region_totals: np.ndarray | None = None
    imputed: np.ndarray | None = None
    excluded_regions: list[str] = field(default_factory=list)
    excluded_industries: list[str] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, int]:
        return self.employment.shape

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.employment, index=self.regions, columns=self.industries)


def encode(values: pd.Series, *, name: str, source: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a string column and its sorted distinct labels.

    ``codes[i]`` is the position of row ``i``'s label in ``labels`` (sorted), so positions do
    not depend on row order. Null codes and non-string columns are refused.
    """
    if not (pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)):
        raise InputValidationError(
            f"codes must be text, got {values.dtype} (read codes as strings: '01', not 1)",
            file=source,
            field=name,
        )
    arr = pa.array(values, from_pandas=True)  # Arrow-backed strings: zero-copy, chunked
    if not isinstance(arr, pa.ChunkedArray):
        arr = pa.chunked_array([arr])
    if arr.null_count:
        row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 1
        raise InputValidationError("empty code", file=source, row=row, field=name)
    try:
        enc = arr.dictionary_encode().unify_dictionaries()
    except pa.ArrowInvalid as exc:
        raise InputValidationError(f"codes must be text: {exc}", file=source, field=name) from exc
    chunks = enc.chunks
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.array([], dtype=object)
    labels = np.asarray(chunks[0].dictionary.to_pylist(), dtype=object)
    indices = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    return rank[indices.astype(np.int64)], labels[order]


def _row_of(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def matrices_from_long(
    df: pd.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    year: str = "year",
    value: str = "employment",
    region_type: str | None = "region_type",
    region_totals: pd.DataFrame | None = None,
    imputed: str | None = None,
    absent: str = "zero",
    source: str = "<table>",
) -> list[RegionIndustryMatrix]:
    """One :class:`RegionIndustryMatrix` per region type and year of a long table.

    ``region_type`` may name a column (regions are compared within their type) or be ``None``
    (one type). ``region_totals`` (columns ``region_code, region_type, year, total``) gives the
    regions' all-industry employment for RCA when the table's industries are not the whole
    economy. ``imputed`` names a column with the imputed part of each value. ``absent``:
    ``"zero"`` (an unlisted cell is 0) or ``"error"``. Row numbers in errors are 1-based
    positions in ``df``.
    """
    if absent not in ("zero", "error"):
        raise ValueError(f"absent must be 'zero' or 'error', got {absent!r}")
    columns = [region, industry, year, value]
    if region_type is not None and region_type in df.columns:
        columns.append(region_type)
    else:
        region_type = None
    for col in columns:
        if col not in df.columns:
            raise InputValidationError(
                f"column {col!r} not found (columns: {', '.join(map(str, df.columns))})",
                file=source,
                field=col,
            )
    values = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        raise InputValidationError(
            "missing or non-numeric value (complexity needs every cell: 0 where the source "
            "says zero, a suppression class where it withheld the value)",
            file=source,
            row=_row_of(bad),
            field=value,
        )
    if (values < 0).any():
        raise InputValidationError(
            "negative value", file=source, row=_row_of(values < 0), field=value
        )
    imputed_values = (
        pd.to_numeric(df[imputed], errors="coerce").fillna(0.0).to_numpy(dtype=np.float64)
        if imputed is not None
        else None
    )
    r_all, region_labels = encode(df[region], name=region, source=source)
    p_all, industry_labels = encode(df[industry], name=industry, source=source)
    years_raw = pd.to_numeric(df[year], errors="coerce")
    if years_raw.isna().any():
        row = _row_of(years_raw.isna().to_numpy())
        raise InputValidationError("year is not a number", file=source, row=row, field=year)
    y_all = years_raw.to_numpy().astype(np.int64)
    if region_type is not None:
        t_all, type_labels = encode(df[region_type], name=region_type, source=source)
    else:
        t_all, type_labels = np.zeros(len(df), dtype=np.int64), np.array([DEFAULT_REGION_TYPE])
    totals = _totals_lookup(region_totals)
    out: list[RegionIndustryMatrix] = []
    if len(df) == 0:
        return out
    y0 = int(y_all.min())
    y_key = y_all - y0
    span = int(y_key.max()) + 1
    group_key = t_all * span + y_key
    counts = np.bincount(group_key)
    # Rows grouped by (type, year) with one stable counting sort (radix for small integers).
    small = np.int16 if len(counts) < np.iinfo(np.int16).max else np.int64
    order = np.argsort(group_key.astype(small), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for key in np.flatnonzero(counts):
        t_code, y_off = divmod(int(key), span)
        rows = order[bounds[key] : bounds[key + 1]]
        out.append(
            _one_matrix(
                rows,
                r_all,
                p_all,
                values,
                imputed_values,
                region_labels,
                industry_labels,
                year=y0 + y_off,
                region_type=str(type_labels[t_code]),
                totals=totals,
                absent=absent,
                df=df,
                names=(region, industry, year),
                source=source,
            )
        )
    out.sort(key=lambda m: (m.region_type, m.year))
    return out


def _totals_lookup(region_totals: pd.DataFrame | None) -> dict[tuple[str, int], pd.Series] | None:
    if region_totals is None:
        return None
    t = region_totals.copy()
    if "region_type" not in t.columns:
        t["region_type"] = DEFAULT_REGION_TYPE
    t["region_code"] = t["region_code"].astype(str)
    out = {}
    for (rt, y), g in t.groupby(["region_type", "year"]):
        out[(str(rt), int(y))] = g.set_index("region_code")["total"].astype("float64")
    return out


def _one_matrix(
    rows: np.ndarray,
    r_all: np.ndarray,
    p_all: np.ndarray,
    values: np.ndarray,
    imputed_values: np.ndarray | None,
    region_labels: np.ndarray,
    industry_labels: np.ndarray,
    *,
    year: int,
    region_type: str,
    totals: dict[tuple[str, int], pd.Series] | None,
    absent: str,
    df: pd.DataFrame,
    names: tuple[str, str, str],
    source: str,
) -> RegionIndustryMatrix:
    r, p, v = r_all[rows], p_all[rows], values[rows]
    # Compact positions of this group's own regions and industries (sorted codes kept).
    r_used = np.bincount(r, minlength=len(region_labels)) > 0
    p_used = np.bincount(p, minlength=len(industry_labels)) > 0
    r_pos = np.cumsum(r_used) - 1
    p_pos = np.cumsum(p_used) - 1
    n_r, n_p = int(r_used.sum()), int(p_used.sum())
    if n_r * n_p > MAX_CELLS:
        raise ValueError(
            f"{region_type} {year}: {n_r:,} regions x {n_p:,} industries is too large for one "
            f"matrix (limit {MAX_CELLS:,} cells); aggregate industries or split the regions"
        )
    flat = r_pos[r] * n_p + p_pos[p]
    listed = np.bincount(flat, minlength=n_r * n_p)
    if listed.max(initial=0) > 1:
        cell = int(np.flatnonzero(listed > 1)[0])
        dup_rows = rows[flat == cell]
        raise InputValidationError(
            f"duplicate key region={region_labels[r_used][cell // n_p]} "
            f"industry={industry_labels[p_used][cell % n_p]} year={year}",
            file=source,
            row=int(dup_rows[1]) + 1,
            field=names[1],
        )
    if absent == "error" and listed.min(initial=1) == 0:
        cell = int(np.flatnonzero(listed == 0)[0])
        raise InputValidationError(
            f"no row for region={region_labels[r_used][cell // n_p]} "
            f"industry={industry_labels[p_used][cell % n_p]} year={year} (every cell must be "
            "listed: absent cells are not read as zero)",
            file=source,
            field=names[1],
        )
    employment = np.bincount(flat, weights=v, minlength=n_r * n_p).reshape(n_r, n_p)
    regions = pd.Index(region_labels[r_used], dtype="string", name="region_code")
    industries = pd.Index(industry_labels[p_used], dtype="string", name="industry_code")
    keep_r = employment.sum(axis=1) > 0
    keep_p = employment.sum(axis=0) > 0
    everything = bool(keep_r.all() and keep_p.all())
    matrix = RegionIndustryMatrix(
        employment=employment
        if everything
        else np.ascontiguousarray(employment[keep_r][:, keep_p]),
        regions=regions[keep_r],
        industries=industries[keep_p],
        year=year,
        region_type=region_type,
        excluded_regions=[str(x) for x in regions[~keep_r]],
        excluded_industries=[str(x) for x in industries[~keep_p]],
    )
    if imputed_values is not None:
        part = np.bincount(flat, weights=imputed_values[rows], minlength=n_r * n_p)
        part = part.reshape(n_r, n_p)
        matrix.imputed = part if everything else np.ascontiguousarray(part[keep_r][:, keep_p])
    if totals is not None:
        given = totals.get((region_type, year))
        if given is None:
            raise InputValidationError(
                f"no region totals for {region_type} {year}", file=source, field="total"
            )
        aligned = given.reindex(matrix.regions.astype(str))
        if aligned.isna().any():
            missing = aligned.index[aligned.isna()][0]
            raise InputValidationError(
                f"no region total for {missing} ({region_type} {year})", file=source, field="total"
            )
        matrix.region_totals = aligned.to_numpy(dtype=np.float64)
    return matrix
