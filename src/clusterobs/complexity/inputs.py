"""From the canonical employment table (any ``--format``) to the complexity panel.

Two levels:

``industry``
    The most detailed industries of the source (6-digit NAICS for County Business Patterns):
    the canonical table of :mod:`clusterobs.sources` is filtered and imputed in the engine
    (Ibis over DuckDB) and only the detailed cells leave it.
``cluster``
    Region x cluster employment of a mapping result (the mapping engine's aggregation,
    crosswalks and imputation), with the regions' all-industry totals so that RCA is the
    engine's ``lq_total``.

Suppressed cells are imputed exactly as the mapping engine does (``midpoint`` of the size class
by default, ``constrained`` as an option: :mod:`clusterobs.mapping.imputation`), and the
imputed part of every cell is kept apart (``employment_imputed``). A cell that is null and has
no suppression class is missing; it is refused (``missing="error"``) or its industry is left out
of that year (``missing="drop-industry"``, listed in the manifest), never read as zero.

Readers: :data:`READERS` maps each ``--format`` to a reader and to what its absent cells mean;
a new source is one entry (see the example in the comment there).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import ibis
import pandas as pd

from clusterobs.mapping.imputation import ImputationMethod, constrained_imputation
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.schema import SourceTable, midpoint_expr, validate
from clusterobs.tables.engine import Engine

MissingPolicy = Literal["error", "drop-industry"]
NATION = "nation"
CELL_KEYS = ["region_type", "region_code", "industry_code", "year"]


@dataclass(frozen=True)
class Reader:
    """What a ``--format`` means for complexity (the file itself is read by
    :func:`clusterobs.sources.readers.read_source`, like every other build).

    ``absent``: ``"zero"`` when the source lists every non-zero cell (so an unlisted cell is
    0), ``"error"`` when an unlisted cell is unknown. ``detail``: ``"longest"`` keeps the
    longest codes of each classification vintage (a hierarchical file such as CBP),
    ``"common"`` each vintage's most common code length (the mapping engine's rule: the NACE
    divisions of Eurostat SBS), ``"all"`` every code except the total row (a file of one
    level; mixed levels are refused).
    """

    absent: Literal["zero", "error"]
    absent_note: str
    detail: Literal["longest", "all", "common"]


READERS: dict[str, Reader] = {
    "cbp": Reader(
        absent="zero",
        absent_note="County Business Patterns lists every industry with at least one "
        "establishment: an unlisted cell has no employment (0)",
        detail="longest",
    ),
    "long": Reader(
        absent="zero",
        absent_note="the long table lists its non-zero cells: an unlisted cell is 0 "
        "(use --absent error when the file should list every cell)",
        detail="all",
    ),
    "eurostat": Reader(
        absent="zero",
        absent_note="Eurostat SBS lists the published cells; an unlisted region x division is "
        "read as 0 persons employed (confidential cells are listed and imputed, not absent)",
        detail="common",
    ),
    "census-in": Reader(
        absent="zero",
        absent_note="Census of India B-18 lists the NIC codes with workers in a district: "
        "an unlisted cell has no workers (0)",
        detail="common",
    ),
}


def reader(name: str) -> Reader:
    if name not in READERS:
        raise ValueError(f"--format must be one of {', '.join(READERS)}, got {name!r}")
    return READERS[name]


@dataclass
class EmploymentPanel:
    """Detailed cells and what the published tables need besides them.

    ``cells``: ``region_type, region_code, industry_code, year, employment,
    employment_imputed``. ``region_totals`` (cluster level): ``region_type, region_code, year,
    total``. ``industries``: ``region_type, industry_code, year, industry_name, wage``.
    """

    cells: pd.DataFrame
    industries: pd.DataFrame
    region_totals: pd.DataFrame | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def industry_panel(
    engine: Engine,
    source: SourceTable,
    *,
    detail: Literal["longest", "all", "common"] = "longest",
    industry_length: int | None = None,
    imputation: ImputationMethod = "midpoint",
    years: tuple[int, int] | None = None,
    missing: MissingPolicy = "error",
    titles: Callable[[str], dict[str, str]] | None = None,
) -> EmploymentPanel:
    """Detailed industry cells of a canonical table, imputed like the mapping engine."""
    ex = engine.to_pandas
    t = source.table
    if years:
        t = t.filter((t.year >= years[0]) & (t.year <= years[1]))
        source = SourceTable(t, source.path, source.raw_field, source.python_keys, source.raw)
    validate(source, ex)
    t = t.filter(t.region_type != NATION)
    imputed_value = midpoint_expr(t.size_class)
    suppressed = t.employment_reported.isnull() & t.size_class.notnull()
    if imputation == "source" and "employment_estimated" in t.columns:
        # the source's own estimates (Eurostat's confidential cells, bounded by the published
        # parent totals), as the mapping engine's ``--imputation source``
        imputed_value = t.employment_estimated.coalesce(imputed_value)
        suppressed = t.employment_reported.isnull() & imputed_value.notnull()
    t = t.mutate(
        suppressed=suppressed,
        employment=t.employment_reported.coalesce(imputed_value),
    )
    notes: dict[str, Any] = {"imputation": imputation}
    if imputation == "constrained":
        rows = ex(
            t.select(
                "region_code",
                "region_type",
                "year",
                "industry_code",
                "employment_reported",
                "size_class",
            )
        )
        done = constrained_imputation(rows)
        fix = done.loc[
            done["employment_reported"].isna() & done["size_class"].notna(),
            ["region_code", "region_type", "year", "industry_code", "employment"],
        ].rename(columns={"employment": "employment_constrained"})
        j = t.left_join(
            engine.table(fix.reset_index(drop=True), "impute"),
            ["region_code", "region_type", "year", "industry_code"],
        )
        t = j.mutate(
            employment=ibis.ifelse(
                j.suppressed, j.employment_constrained.coalesce(j.employment), j.employment
            )
        ).drop(*[c for c in j.columns if c.endswith("_right")], "employment_constrained")
    elif imputation not in ("midpoint", "source"):
        raise ValueError(
            f"imputation must be 'midpoint', 'constrained' or 'source', got {imputation!r}"
        )
    t = t.filter(t.industry_code != "")
    t, detail_note = _detailed(engine, t, detail, industry_length, source)
    notes["detail"] = detail_note
    missing_rows = t.filter(t.employment.isnull())
    bad = ex(missing_rows.select(*CELL_KEYS).order_by(CELL_KEYS).limit(1))
    dropped: dict[str, list[str]] = {}
    if len(bad):
        if missing == "error":
            key = bad.iloc[0]
            raise InputValidationError(
                f"employment missing for region={key['region_code']} "
                f"industry={key['industry_code']} year={int(key['year'])}: neither a value nor "
                "a suppression class (use --missing drop-industry to leave such industries "
                "out of that year)",
                file=source.path,
                row=_row_of_key(source, key),
                field=source.raw_field.get("employment_reported"),
            )
        drop = ex(missing_rows.select("region_type", "industry_code", "year").distinct())
        for (rt, y), g in drop.groupby(["region_type", "year"]):
            dropped[f"{rt} {int(y)}"] = sorted(g["industry_code"].astype(str))
        t = t.anti_join(
            engine.table(drop.reset_index(drop=True), "dropped"),
            ["region_type", "industry_code", "year"],
        )
    notes["dropped_for_missing_cells"] = dropped
    cells = ex(
        t.select(
            "region_type",
            "region_code",
            "industry_code",
            "year",
            "employment",
            employment_imputed=ibis.ifelse(t.suppressed, t.employment, 0.0),
        )
    )
    has_wage = t.payroll.notnull() & t.employment_reported.notnull()
    wages = ex(
        t.group_by("region_type", "industry_code", "year", "vintage").aggregate(
            wage_payroll=ibis.ifelse(has_wage, t.payroll, 0.0).sum(),
            wage_employment=ibis.ifelse(has_wage, t.employment_reported, 0.0).sum(),
        )
    )
    wages["wage"] = wages["wage_payroll"] / wages["wage_employment"].where(
        wages["wage_employment"] > 0
    )
    names: dict[tuple[str, str], str] = {}
    if titles is not None:
        for vintage in wages["vintage"].dropna().unique():
            for code, title in titles(str(vintage)).items():
                names[(str(vintage), code)] = title
    wages["industry_name"] = [
        names.get((str(v), str(c)))
        for v, c in zip(wages["vintage"], wages["industry_code"], strict=True)
    ]
    summary = ex(
        t.aggregate(
            cells=t.count(),
            suppressed=t.suppressed.cast("int64").sum(),
            employment=t.employment.sum(),
            imputed=ibis.ifelse(t.suppressed, t.employment, 0.0).sum(),
        )
    ).iloc[0]
    notes["suppressed_cells"] = int(summary["suppressed"] or 0)
    notes["imputed_share_of_employment"] = (
        round(float(summary["imputed"]) / float(summary["employment"]), 6)
        if summary["employment"]
        else None
    )
    vintages = ex(t.group_by("year").aggregate(vintage=t.vintage.min()).order_by("year"))
    notes["vintage_by_year"] = {
        int(y): str(v) for y, v in zip(vintages.year, vintages.vintage, strict=True)
    }
    return EmploymentPanel(
        cells=_strings(cells),
        industries=_strings(
            wages[["region_type", "industry_code", "year", "industry_name", "wage"]]
        ),
        notes=notes,
    )


def _row_of_key(source: SourceTable, key: pd.Series) -> int | None:
    def hit(chunk: pd.DataFrame) -> pd.Series:
        k = source.python_keys(chunk)
        return (
            (k["region_code"] == key["region_code"])
            & (k["industry_code"] == key["industry_code"])
            & (k["year"].astype(int) == int(key["year"]))
        )

    try:
        return source.first_row(hit)
    except (KeyError, ValueError):
        return None


def _detailed(
    engine: Engine,
    t: ibis.Table,
    detail: Literal["longest", "all", "common"],
    industry_length: int | None,
    source: SourceTable,
) -> tuple[ibis.Table, str]:
    """Keep the detailed industry codes only (never two levels of one hierarchy)."""
    if industry_length is not None:
        return (
            t.filter(t.industry_code.length() == industry_length),
            f"codes of {industry_length} characters",
        )
    if "detailed" in t.columns:  # the source knows its finest rows (Eurostat 45-47 groups)
        return t.filter(t.detailed & (t.industry_code != "")), "the rows the source marks detailed"
    if detail == "common":  # as the mapping engine: each vintage's most common code length
        n = engine.to_pandas(
            t.group_by("vintage", length=t.industry_code.length()).aggregate(n=t.count())
        ).sort_values(["vintage", "n", "length"], ascending=[True, False, False])
        mode = {str(v): int(g["length"].iloc[0]) for v, g in n.groupby("vintage")}
        return (
            t.filter(t.industry_code.length() == t.vintage.substitute(mode, else_=-1)),
            "each vintage's most common code length (as the mapping engine: NACE divisions)",
        )
    if detail == "longest":
        longest = t.group_by("vintage").aggregate(n=t.industry_code.length().max())
        j = t.inner_join(longest, "vintage")
        t2 = j.filter(j.industry_code.length() == j.n).drop("n")
        return t2, "the longest codes of each classification vintage (e.g. 6-digit NAICS)"
    codes = sorted(engine.to_pandas(t.select("industry_code").distinct())["industry_code"])
    for a, b in itertools.pairwise(codes):
        if b.startswith(a):
            raise InputValidationError(
                f"industry codes of several levels ({a!r} and {b!r}): give --industry-length "
                "to choose the detailed level",
                file=source.path,
                field=source.raw_field.get("industry_code"),
            )
    return t, "every industry code of the file (one level)"


def cluster_panel(cluster_region_year: pd.DataFrame, region_year: pd.DataFrame) -> EmploymentPanel:
    """Region x cluster cells of a mapping result (cluster rows, not sub-clusters or nation).

    RCA then uses the regions' all-industry employment (``region_year.employment``: the
    published total row, else the sum of detailed industries), which makes it the mapping
    engine's ``lq_total``.
    """
    crt = cluster_region_year
    rows = crt[crt["subcluster_code"].isna() & (crt["region_type"] != NATION)]
    cells = pd.DataFrame(
        {
            "region_type": rows["region_type"].astype(str),
            "region_code": rows["region_code"].astype(str),
            "industry_code": rows["cluster_code"].astype(str),
            "year": rows["year"].astype("int64"),
            "employment": rows["employment"].astype("float64"),
            "employment_imputed": rows["employment_imputed"].astype("float64"),
        }
    )
    ry = region_year[region_year["region_type"] != NATION]
    totals = pd.DataFrame(
        {
            "region_type": ry["region_type"].astype(str),
            "region_code": ry["region_code"].astype(str),
            "year": ry["year"].astype("int64"),
            "total": ry["employment"].astype("float64"),
        }
    )
    nat = rows.groupby(["region_type", "cluster_code", "year"], as_index=False).agg(
        cluster_name=("cluster_name", "first"),
        wage_payroll=("wage_payroll", "sum"),
        wage_employment=("wage_employment", "sum"),
    )
    industries = pd.DataFrame(
        {
            "region_type": nat["region_type"].astype(str),
            "industry_code": nat["cluster_code"].astype(str),
            "year": nat["year"].astype("int64"),
            "industry_name": nat["cluster_name"].astype("string"),
            "wage": nat["wage_payroll"] / nat["wage_employment"].where(nat["wage_employment"] > 0),
        }
    )
    notes = {
        "detail": "clusters of the mapping result (cluster rows; sub-clusters not used)",
        "rca_denominator": "region all-industry employment (the mapping engine's lq_total)",
    }
    return EmploymentPanel(
        cells=_strings(cells), industries=_strings(industries), region_totals=totals, notes=notes
    )


def _strings(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("region_type", "region_code", "industry_code"):
        if col in df.columns:
            df[col] = df[col].astype("string")
    if "year" in df.columns:
        df["year"] = df["year"].astype("int64")
    return df.reset_index(drop=True)
