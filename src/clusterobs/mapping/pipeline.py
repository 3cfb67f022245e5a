"""Orchestration: canonical employment table + cluster definition -> all published statistics.

Everything that scales with the number of regions runs in the engine (DuckDB or Spark through
one Ibis code path): imputation, crosswalk and definition joins, the aggregation of detailed
industries to region x cluster x sub-cluster x year, LQs, percentile thresholds, flags, stars,
ranks and the change table (one join per year pair; :mod:`clusterobs.mapping.statistics`).
Only small tables (region x year totals, national totals per cluster and year, thresholds of
co-location) are pandas. The two big tables stay in the engine as
:class:`~clusterobs.mapping.statistics.EngineTable` and are streamed to Parquet by
:func:`clusterobs.mapping.output.write_result`; reading ``result.cluster_region_year`` or
``result.cluster_region_change`` computes them as pandas frames (fine for state files; a county
file with all pairs is ~200 M change rows, so write it instead).

Usable from a notebook::

    from clusterobs.mapping import pipeline
    from clusterobs.mapping.engine import connect
    from clusterobs.sources.cbp import read_cbp
    eng = connect()
    result = pipeline.build(read_cbp(eng, "cbp.csv.gz"), definition, engine=eng)
    result.cluster_region_year.head()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ibis
import numpy as np
import pandas as pd

from clusterobs import __name__ as _pkg
from clusterobs.classifications.crosswalk import SplitRule, crosswalk_weights
from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.model import ClusterDefinition
from clusterobs.mapping.change import year_pairs
from clusterobs.mapping.engine import Engine
from clusterobs.mapping.imputation import ImputationMethod, constrained_imputation
from clusterobs.mapping.relatedness import colocation, related_clusters
from clusterobs.mapping.statistics import (
    FLAG_SPEC,
    EngineTable,
    change_pairs,
    left_join,
    thresholds,
    with_codes,
    with_flags_stars,
    with_flags_stars_ranks,
    with_lqs,
)
from clusterobs.sources.schema import SourceTable, midpoint_expr, validate

REGION_KEYS = ["region_code", "region_type", "year"]
VALUE_COLS = [
    "employment",
    "employment_reported",
    "employment_imputed",
    "suppressed_cells",
    "establishments",
    "wage_payroll",
    "wage_employment",
]
CRT_COLUMNS = [
    "region_code", "region_type", "year", "cluster_code", "subcluster_code", "traded",
    *VALUE_COLS,
    "national_employment", "national_total", "national_traded", "national_local",
    "region_total", "traded_employment", "local_employment",
    "lq_traded_local", "lq_total", "region_share", "national_share", "wage",
    "qualifying", "significant", "strong", "strong10",
    "star_size", "star_specialisation", "star_focus", "eco_stars",
    "employment_rank", "employment_percentile", "lq_rank", "lq_percentile",
    "imputation_method", "cluster_name", "subcluster_name",
]  # fmt: skip
_CODES = {c: "string" for c in ("region_code", "region_type", "cluster_code", "subcluster_code")}
_RANKS = ("rank", "percentile")
CRT_DTYPES = {
    **_CODES,
    "year": "int64",
    "traded": "bool",
    "suppressed_cells": "int64",
    **{f: "boolean" for f in ("qualifying", "significant", "strong", "strong10")},
    **{s: "bool" for s in ("star_size", "star_specialisation", "star_focus")},
    "eco_stars": "int8",
    **{f"{c}_{r}": "Int64" for c in ("employment", "lq") for r in _RANKS},
    "cluster_name": "string",
    "subcluster_name": "string",
}
CHANGE_COLUMNS = [
    "region_code", "region_type", "cluster_code", "subcluster_code", "traded",
    "start_year", "end_year", "employment_start", "employment_end", "emp_cagr",
    "wage_start", "wage_end", "wage_cagr", "establishments_start", "establishments_end",
    "est_cagr", "job_creation", "expected_job_creation", "lq_start", "lq_end", "lq_change",
    "lq_total_change", "ss_national_share", "ss_industry_mix", "ss_regional_share",
]  # fmt: skip
EM_COLUMNS = ["ss_em_competitive", "ss_em_allocation"]
CHANGE_RANKS = ["job_creation_rank", "job_creation_percentile", "emp_cagr_rank"]
CHANGE_RANKS += ["emp_cagr_percentile"]
CHANGE_DTYPES = {
    **_CODES,
    "traded": "bool",
    "start_year": "int64",
    "end_year": "int64",
    **{f"{c}_{r}": "Int64" for c in ("job_creation", "emp_cagr") for r in _RANKS},
}
PAIR_KEYS = ["start_year", "end_year"]
COLOCATION_COLUMNS = [
    "region_code", "region_type", "year", "cluster_code", "subcluster_code", "traded",
    "employment", "lq_traded_local",
]  # fmt: skip
NATION = "nation"

CONVENTIONS = {
    "detailed_level": "only the most detailed industries (6-digit NAICS) are summed into clusters",
    "national": "national = sum over the input's regions of the same type, unless rows of type "
    "'nation' are supplied",
    "lq_traded_local": "(E_cr/E_Tr)/(E_c,nat/E_T,nat); T = traded employment for traded clusters, "
    "local employment for local clusters (U.S. Cluster Mapping)",
    "lq_total": "(E_cr/E_r,total)/(E_c,nat/E_nat,total); total = published all-industry row "
    "(European Cluster Observatory)",
    "percentiles": "numpy method='linear' over regions of the same type with E_cr > 0, per "
    "cluster/sub-cluster and year",
    "strength_flags": "traded only: qualifying LQ>P25, significant LQ>P50, strong LQ>=P75 & "
    "LQ>=1, strong10 LQ>=P90 & LQ>=1; all need E>P25(E) and est>P25(est)",
    "eco_stars": "size E>=P90(E); specialisation lq_total>=2; focus region_share>=P90",
    "rank_percentile": "round_half_up(100*(i+0.5)/N), i 0-based ascending rank (ties: min), "
    "N regions with E_cr>0; rank 1 = largest",
    "wage": "annual payroll / reported employment, over cells with both published",
    "shift_share": "Dunn (national share, industry mix, regional share); national growth of "
    "all-industry employment",
}


@dataclass
class MappingOptions:
    imputation: ImputationMethod = "midpoint"
    split_rule: SplitRule = "equal"
    years: tuple[int, int] | None = None
    esteban_marquillas: bool = False
    subclusters: bool = True
    change_pairs: list[tuple[int, int]] | None = None
    # Rows per engine query: years (and year pairs) are computed in chunks of about this many
    # aggregated cells, so memory stays flat for county files; results do not depend on it.
    chunk_rows: int = 2_000_000


@dataclass
class MappingResult:
    """The statistics of one build. The two big tables stay in the engine
    (``*_table``: :class:`EngineTable`, streamed to Parquet by ``output.write_result``); the
    properties ``cluster_region_year`` and ``cluster_region_change`` compute them as pandas
    frames on first access (sorted by region type, region, year, cluster, sub-cluster). The
    manifest's change row count is filled in when that table is written or read."""

    cluster_region_year_table: EngineTable
    region_year: pd.DataFrame
    cluster_region_change_table: EngineTable
    manifest: dict[str, Any]
    related_clusters: pd.DataFrame | None = None
    colocation: pd.DataFrame | None = None
    unknown_industries: pd.DataFrame = field(default_factory=pd.DataFrame)
    unknown_regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def cluster_region_year(self) -> pd.DataFrame:
        if "crt" not in self._frames:
            self._frames["crt"] = self.cluster_region_year_table.to_pandas()
        return self._frames["crt"]

    @property
    def cluster_region_change(self) -> pd.DataFrame:
        if "change" not in self._frames:
            self._frames["change"] = self.cluster_region_change_table.to_pandas()
            self.manifest["rows"]["cluster_region_change"] = len(self._frames["change"])
        return self._frames["change"]


def _cluster_level(cells: ibis.Table) -> ibis.Table:
    """Cluster rows (``k`` of the cluster): sums of the cluster's cells."""
    cl = cells.group_by([*REGION_KEYS, "k_cl", "traded"]).aggregate(
        **{c: cells[c].sum() for c in VALUE_COLS}
    )
    return cl.rename(k="k_cl")


def _cells_and_clusters(cells: ibis.Table, subclusters: bool) -> ibis.Table:
    """Cluster rows plus (optionally) sub-cluster rows, keyed by ``k``."""
    cols = [*REGION_KEYS, "k", "traded", *VALUE_COLS]
    parts = [_cluster_level(cells).select(cols)]
    if subclusters:
        sub = cells.filter(cells.k_sub >= 0)
        parts.append(sub.mutate(k=sub.k_sub).select(cols))
    return parts[0] if len(parts) == 1 else ibis.union(*parts)


def _cell_ids(
    imap: pd.DataFrame, definition: ClusterDefinition
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Integer ids ``k`` of the clusters (``0 .. n_clusters - 1``) and of the sub-clusters
    (after them), added to the industry map as ``k_cl`` and ``k_sub`` (``-1``: none); returns
    the map and the dimension table ``k, cluster_code, subcluster_code, cluster_name,
    subcluster_name`` that turns ids back into codes."""
    known = imap[imap["cluster_code"].notna()]
    clusters = sorted(known["cluster_code"].unique())
    pairs = known.loc[known["subcluster_code"].notna(), ["cluster_code", "subcluster_code"]]
    subs = sorted(set(zip(pairs["cluster_code"], pairs["subcluster_code"], strict=True)))
    k_cl = {c: i for i, c in enumerate(clusters)}
    k_sub = {cs: len(clusters) + i for i, cs in enumerate(subs)}
    imap = imap.copy()
    imap["k_cl"] = [-1 if pd.isna(c) else k_cl[c] for c in imap["cluster_code"]]
    imap["k_sub"] = [
        k_sub.get((c, sc), -1) if not (pd.isna(c) or pd.isna(sc)) else -1
        for c, sc in zip(imap["cluster_code"], imap["subcluster_code"], strict=True)
    ]
    imap["k_cl"] = imap["k_cl"].astype("int64")
    imap["k_sub"] = imap["k_sub"].astype("int64")
    names = definition.table.drop_duplicates("cluster_code").set_index("cluster_code")
    sub_names = (
        definition.subclusters.dropna(subset=["subcluster_code"])
        .drop_duplicates("subcluster_code")
        .set_index("subcluster_code")["subcluster_name"]
    )
    kdim = pd.DataFrame(
        {
            "k": np.arange(len(clusters) + len(subs), dtype="int64"),
            "cluster_code": [*clusters, *(c for c, _ in subs)],
            "subcluster_code": [None] * len(clusters) + [sc for _, sc in subs],
        }
    )
    kdim["cluster_name"] = kdim["cluster_code"].map(names["cluster_name"])
    kdim["subcluster_name"] = kdim["subcluster_code"].map(sub_names)
    for col in kdim.columns[1:]:
        kdim[col] = kdim[col].astype("string")
    return imap, kdim


T = TypeVar("T")


def _chunks(items: list[T], size: Callable[[T], int], limit: int) -> list[list[T]]:
    """Consecutive groups of ``items`` whose sizes add up to at most ``limit`` (at least one
    item per group)."""
    out: list[list[T]] = []
    total = 0
    for item in items:
        n = size(item)
        if out and total + n <= limit:
            out[-1].append(item)
            total += n
        else:
            out.append([item])
            total = n
    return out


def _count(engine: Engine, t: ibis.Table) -> int:
    return int(engine.to_pandas(t.count().as_table()).iloc[0, 0])


def _strings(df: pd.DataFrame) -> pd.DataFrame:
    """Engine results as the pipeline's pandas dtypes (codes ``string``, years ``int64``)."""
    for col in ("region_code", "region_type", "cluster_code", "subcluster_code"):
        if col in df.columns:
            df[col] = df[col].astype("string")
    if "year" in df.columns:
        df["year"] = df["year"].astype("int64")
    return df


class _Timer:
    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._step: str | None = None
        self._t = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        if self._step is not None:
            self.timings[self._step] = round(now - self._t, 3)
        self._step, self._t = name, now
        if self.progress:
            self.progress(name)

    def done(self) -> dict[str, float]:
        self.step("done")
        self.timings.pop("done", None)
        return self.timings


STEPS = [
    "validate",
    "impute",
    "crosswalk",
    "aggregate",
    "statistics",
    "change",
    "relatedness",
]


def _industry_map(
    definition: ClusterDefinition,
    store: ClassificationStore,
    vintages: list[str],
    rule: SplitRule,
    target_sizes: pd.Series | None,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, int]]:
    """Rows ``vintage, industry_code, cluster_code, subcluster_code, traded, weight``.

    Every known detailed code of every data vintage appears; the part of its weight that lands
    on industries outside the definition has a null cluster (unclustered, still known).
    """
    target = definition.classification
    defs = definition.table[["industry_code", "cluster_code", "subcluster_code", "traded"]]
    frames, notes, lengths = [], {}, {}
    for vintage in vintages:
        if vintage in ("UNKNOWN", target) and not store.has(target):
            codes = defs["industry_code"]
            xw = pd.DataFrame({"from_code": codes, "to_code": codes, "weight": 1.0})
            notes[vintage] = f"{target} not imported: known codes are the definition's industries"
        elif vintage == "UNKNOWN":
            xw = crosswalk_weights(store, target, target)
            notes[vintage] = f"no vintage given: data read as {target}"
        else:
            xw = crosswalk_weights(store, vintage, target, rule=rule, target_sizes=target_sizes)
            kinds = sorted(set(xw["note"]))
            notes[vintage] = (
                "same classification"
                if vintage == target
                else f"crosswalk {vintage}->{target} ({', '.join(kinds)}), split rule {rule}"
            )
        lengths[vintage] = int(xw["from_code"].str.len().mode().iloc[0]) if len(xw) else 6
        m = xw.merge(defs, left_on="to_code", right_on="industry_code", how="left")
        m = m.groupby(
            ["from_code", "cluster_code", "subcluster_code", "traded"], dropna=False, as_index=False
        )["weight"].sum()
        m.insert(0, "vintage", vintage)
        frames.append(m.rename(columns={"from_code": "industry_code"}))
    imap = pd.concat(frames, ignore_index=True)
    imap["traded"] = imap["traded"].astype("boolean")
    imap["subcluster_code"] = imap["subcluster_code"].astype("string")
    imap["cluster_code"] = imap["cluster_code"].astype("string")
    return imap, notes, lengths


def _impute(
    engine: Engine, t: ibis.Table, method: ImputationMethod
) -> tuple[ibis.Table, list[str]]:
    """Add ``employment`` (reported, else imputed) and ``suppressed`` to the canonical table."""
    suppressed = t.employment_reported.isnull() & t.size_class.notnull()
    t = t.mutate(
        suppressed=suppressed,
        employment=t.employment_reported.coalesce(midpoint_expr(t.size_class)).fill_null(0.0),
    )
    notes = []
    if method == "constrained":
        # The hierarchy of cells with at least one suppressed detailed child is small enough for
        # pandas even for county files; imputed values go back to the engine as a join.
        rows = engine.to_pandas(
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
        fixt = engine.table(fix.reset_index(drop=True), "impute")
        j = t.left_join(fixt, ["region_code", "region_type", "year", "industry_code"])
        t = j.mutate(
            employment=ibis.ifelse(
                j.suppressed, j.employment_constrained.coalesce(j.employment), j.employment
            )
        ).drop("employment_constrained")
        notes.append("constrained imputation within class bounds to published parent totals")
    return t, notes


def _national(df: pd.DataFrame, value_cols: list[str], keys: list[str]) -> pd.DataFrame:
    """National sums per region type (or from 'nation' rows, applied to every type)."""
    types = [x for x in df["region_type"].unique() if x != NATION]
    nation_rows = df[df["region_type"] == NATION]
    if len(nation_rows):
        base = nation_rows.groupby(keys, dropna=False)[value_cols].sum().reset_index()
        frames = [base.assign(region_type=rt) for rt in [*types, NATION]]
        return pd.concat(frames, ignore_index=True)
    return df.groupby(["region_type", *keys], dropna=False)[value_cols].sum().reset_index()


def build(
    source: SourceTable,
    definition: ClusterDefinition,
    *,
    engine: Engine,
    store: ClassificationStore | None = None,
    regions: pd.DataFrame | None = None,
    options: MappingOptions | None = None,
    relatedness: str | pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> MappingResult:
    """Compute every statistic for every region, cluster, sub-cluster and year."""
    opts = options or MappingOptions()
    store = store if store is not None else ClassificationStore.empty()
    timer = _Timer(progress)
    ex = engine.to_pandas

    timer.step("validate")
    t = source.table
    if opts.years:
        t = t.filter((t.year >= opts.years[0]) & (t.year <= opts.years[1]))
        source = SourceTable(t, source.path, source.raw_field, source.python_keys, source.raw)
    if engine.name == "duckdb" and source.path.suffix != ".parquet":
        t = engine.materialize(t, "canon")
        source.table = t
    validate(source, ex)
    overview = ex(t.group_by("vintage", "year").aggregate(rows=t.count()).order_by("year"))
    if overview.empty:
        raise ValueError(f"{source.path}: no rows (check --years)")
    vintages = sorted(overview["vintage"].unique())

    timer.step("impute")
    t, impute_notes = _impute(engine, t, opts.imputation)

    timer.step("crosswalk")
    sizes = None
    if opts.split_rule == "proportional" and definition.classification in vintages:
        s = t.filter(t.vintage == definition.classification)
        s = ex(s.group_by("industry_code").aggregate(e=s.employment.sum()))
        sizes = s.set_index("industry_code")["e"]
    imap, vintage_notes, lengths = _industry_map(
        definition, store, vintages, opts.split_rule, sizes
    )
    imap, kdim = _cell_ids(imap, definition)
    n_clusters = int(kdim["subcluster_code"].isna().sum())
    imap_t = engine.table(
        imap[["vintage", "industry_code", "k_cl", "k_sub", "traded", "weight"]], "imap"
    )
    detail_len = t.vintage.substitute(lengths, else_=6)
    six = t.filter(t.industry_code.length() == detail_len)

    timer.step("aggregate")
    j = six.inner_join(imap_t, ["vintage", "industry_code"])
    j = j.filter(j.k_cl >= 0)
    w = j.weight
    has_wage = j.payroll.notnull() & j.employment_reported.notnull()
    cells = cells_table = engine.materialize(
        j.group_by([*REGION_KEYS, "k_cl", "k_sub", "traded"]).aggregate(
            employment=(j.employment * w).sum(),
            employment_reported=(j.employment_reported.fill_null(0.0) * w).sum(),
            employment_imputed=ibis.ifelse(j.suppressed, j.employment * w, 0.0).sum(),
            suppressed_cells=j.suppressed.cast("int64").sum(),
            establishments=(j.establishments.fill_null(0.0) * w).sum(),
            wage_payroll=ibis.ifelse(has_wage, j.payroll * w, 0.0).sum(),
            wage_employment=ibis.ifelse(has_wage, j.employment_reported * w, 0.0).sum(),
        ),
        "cells",
    )
    known = six.semi_join(imap_t, ["vintage", "industry_code"])
    unknown_t = six.anti_join(imap_t, ["vintage", "industry_code"])
    unknown = ex(
        unknown_t.group_by("vintage", "industry_code").aggregate(
            rows=unknown_t.count(),
            employment=unknown_t.employment.sum(),
            regions=unknown_t.region_code.nunique(),
        )
    ).sort_values(["vintage", "industry_code"], ignore_index=True)
    detailed = ex(
        six.group_by(REGION_KEYS).aggregate(
            detailed_employment=six.employment.sum(),
            detailed_employment_reported=six.employment_reported.fill_null(0.0).sum(),
        )
    )
    known_sum = ex(known.group_by(REGION_KEYS).aggregate(known_employment=known.employment.sum()))
    totals_t = t.filter(t.industry_code == "")
    totals = ex(totals_t.group_by(REGION_KEYS).aggregate(total_row=totals_t.employment.sum()))

    timer.step("statistics")
    cells = cells.mutate(year=cells.year.cast("int64"), traded=cells.traded.cast("boolean"))
    cluster_level = _cluster_level(cells)
    crt = _cells_and_clusters(cells, opts.subclusters)

    # Region totals: published total row, else the sum of detailed industries.
    region = detailed.merge(known_sum, on=REGION_KEYS, how="left").merge(
        totals, on=REGION_KEYS, how="outer"
    )
    for col in ("region_code", "region_type"):
        region[col] = region[col].astype("string")
    region["year"] = region["year"].astype("int64")
    tl = ex(
        cluster_level.group_by(REGION_KEYS).aggregate(
            traded_employment=ibis.ifelse(
                cluster_level.traded, cluster_level.employment, 0.0
            ).sum(),
            local_employment=ibis.ifelse(cluster_level.traded, 0.0, cluster_level.employment).sum(),
        )
    )
    tl = _strings(tl)
    region = region.merge(tl, on=REGION_KEYS, how="left")
    region[["traded_employment", "local_employment"]] = region[
        ["traded_employment", "local_employment"]
    ].fillna(0.0)
    region["employment"] = region["total_row"].fillna(region["detailed_employment"])
    region["clustered_employment"] = region["traded_employment"] + region["local_employment"]
    with np.errstate(divide="ignore", invalid="ignore"):
        region["mapped_share"] = region["clustered_employment"] / region["detailed_employment"]
    region["known_employment"] = region["known_employment"].fillna(0.0)
    region["unknown_employment"] = (
        region["detailed_employment"].fillna(0.0) - region["known_employment"]
    )

    # Integer region ids (``r``) and region-type ids (``rt``): every engine join, group-by and
    # window below runs on integer keys; codes are joined back at the end (``with_codes``).
    rdim = (
        region[["region_code", "region_type"]]
        .drop_duplicates()
        .sort_values(["region_type", "region_code"], ignore_index=True)
    )
    rdim.insert(0, "r", np.arange(len(rdim), dtype="int64"))
    rt_ids = {v: i for i, v in enumerate(sorted(rdim["region_type"].unique()))}
    rdim["rt"] = rdim["region_type"].map(rt_ids).astype("int64")
    region = region.merge(rdim, on=["region_code", "region_type"], how="left")

    # National figures: small tables (region types x clusters x years), computed in pandas.
    nat_keys = ["k", "year"]
    by_cell = _strings(
        ex(crt.group_by(["region_type", *nat_keys]).aggregate(employment=crt.employment.sum()))
    )
    nat_cells = _national(by_cell, ["employment"], nat_keys).rename(
        columns={"employment": "national_employment"}
    )
    nat_region = _national(
        region, ["employment", "traded_employment", "local_employment"], ["year"]
    ).rename(
        columns={
            "employment": "national_total",
            "traded_employment": "national_traded",
            "local_employment": "national_local",
        }
    )
    nat_cells = nat_cells.merge(nat_region[["region_type", "year", "national_total"]], how="left")
    for df in (nat_cells, nat_region):
        df.insert(0, "rt", df["region_type"].map(rt_ids).astype("int64"))
    region_t = engine.table(
        region[
            [*REGION_KEYS, "r", "rt", "employment", "traded_employment", "local_employment"]
        ].rename(columns={"employment": "region_total"}),
        "region",
    )
    nat_cells_t = engine.table(nat_cells.drop(columns="region_type"), "natcells")
    nat_region_t = engine.table(nat_region.drop(columns="region_type"), "natregion")
    rdim_t = engine.table(rdim[["r", "region_code", "region_type"]], "regionids")
    kdim_t = engine.table(kdim, "cellids")

    # Chunks of years: the statistics of a year need only that year's rows (peers are regions
    # of one year), so a large input is computed and written a few years at a time and each
    # chunk's joins, quantiles and windows stay small; a small input is one chunk.
    per_year = ex(cells.group_by("year").aggregate(n=cells.count())).sort_values("year")
    sizes = {int(y): int(n) for y, n in zip(per_year["year"], per_year["n"], strict=True)}
    years = sorted(sizes)
    year_chunks = _chunks(years, lambda y: sizes[y], opts.chunk_rows)

    region_denoms = ["region_total", "traded_employment", "local_employment"]
    nation_denoms = ["national_total", "national_traded", "national_local"]

    def base_of(chunk: list[int]) -> ibis.Table:
        df = _cells_and_clusters(cells.filter(cells.year.isin(chunk)), opts.subclusters)
        df = left_join(df, region_t, REGION_KEYS).drop("region_code", "region_type")
        df = left_join(df, nat_cells_t.drop("national_total"), ["rt", *nat_keys])
        df = left_join(df, nat_region_t, ["rt", "year"])
        # The region and national denominators are kept in small tables and joined back in
        # final_of: the base tables (12.8 M rows for a county file) stay in memory, unspilled.
        return engine.materialize(with_lqs(df).drop(*region_denoms, *nation_denoms), "base")

    def final_of(base: ibis.Table, thr: ibis.Table) -> ibis.Table:
        final = with_flags_stars_ranks(base, thr)
        final = final.mutate(
            imputation_method=ibis.ifelse(final.suppressed_cells > 0, opts.imputation, "none")
        )
        final = left_join(final, region_t.select("r", "year", *region_denoms), ["r", "year"])
        final = left_join(final, nat_region_t.select("rt", "year", *nation_denoms), ["rt", "year"])
        return with_codes(final, rdim_t, kdim_t).select(CRT_COLUMNS)

    bases = [base_of(chunk) for chunk in year_chunks]
    thrs = [engine.materialize(thresholds(b, FLAG_SPEC), "thr") for b in bases]
    engine.release(cells_table)  # everything below reads the per-chunk base tables
    crt_table = EngineTable(
        engine,
        [final_of(b, thr) for b, thr in zip(bases, thrs, strict=True)],
        dtypes=CRT_DTYPES,
        pandas_sort=["region_type", "region_code", "year", "cluster_code", "subcluster_code"],
    )
    strong_parts = []
    for base, thr in zip(bases, thrs, strict=True):
        # Thresholds come from all peers (``thr``); flags are needed on traded clusters only.
        st = with_flags_stars(base.filter((base.k < n_clusters) & base.traded), thr)
        st = st.filter(st.strong.fill_null(False))
        strong_parts.append(ex(st.group_by("r", "year").aggregate(s=st.employment.sum())))
    strong = pd.concat(strong_parts, ignore_index=True) if strong_parts else None

    region = region.sort_values(REGION_KEYS, ignore_index=True)
    if strong is None or strong.empty:
        num = pd.Series(0.0, index=region.index)
    else:
        strong["year"] = strong["year"].astype("int64")
        num = region.merge(strong, on=["r", "year"], how="left")["s"].fillna(0.0)
    den = region["traded_employment"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        region["cluster_strength"] = np.where(den > 0, num.to_numpy() / den, np.nan)
    region_year = region[
        [
            *REGION_KEYS,
            "employment",
            "traded_employment",
            "local_employment",
            "cluster_strength",
            "detailed_employment",
            "detailed_employment_reported",
            "clustered_employment",
            "mapped_share",
            "unknown_employment",
        ]
    ]

    timer.step("change")
    pairs = opts.change_pairs or year_pairs(years)
    regions_t = engine.table(
        region[["r", "year", "employment"]].rename(columns={"employment": "region_total"}),
        "regiontotals",
    )
    in_data = [(a, b) for a, b in pairs if a in sizes and b in sizes]
    pair_chunks = _chunks(in_data, lambda p: sizes[p[0]] + sizes[p[1]], opts.chunk_rows)
    carried = ["r", "rt", "k", "traded", "year", "employment", "wage", "establishments"]
    carried += ["lq_traded_local", "lq_total"]

    def change_of(chunk: list[tuple[int, int]]) -> ibis.Table:
        need = sorted({y for pair in chunk for y in pair})
        rows = [
            b.select(carried)
            for b, ys in zip(bases, year_chunks, strict=True)
            if set(ys) & set(need)
        ]
        src = rows[0] if len(rows) == 1 else ibis.union(*rows)
        src = src.filter(src.year.isin(need))
        pt = engine.table(pd.DataFrame(chunk, columns=["start_year", "end_year"]), "pairs")
        ch = change_pairs(
            src, pt, nat_cells_t, regions_t, esteban_marquillas=opts.esteban_marquillas
        )
        ch = with_codes(ch, rdim_t, kdim_t)
        em = EM_COLUMNS if opts.esteban_marquillas else []
        return ch.select(*CHANGE_COLUMNS, *em, *CHANGE_RANKS)

    change = EngineTable(
        engine,
        [change_of(chunk) for chunk in pair_chunks],
        dtypes=CHANGE_DTYPES,
        pandas_sort=[*PAIR_KEYS, "region_type", "region_code", "cluster_code", "subcluster_code"],
    )

    timer.step("relatedness")
    related = related_clusters(relatedness) if relatedness is not None else None
    coloc = None
    if years:
        main_type = region["region_type"][region["region_type"] != NATION].mode()
        if len(main_type):
            rt, last = str(main_type[0]), int(years[-1])
            base = bases[-1]  # the chunk of the last year
            sel = base.filter(
                (base.year == last)
                & (base.rt == rt_ids[rt])
                & (base.k < n_clusters)
                & base.traded
                & (base.employment > 0)
            )
            sel = with_codes(sel, rdim_t, kdim_t)
            small = _strings(ex(sel.select(*COLOCATION_COLUMNS)))
            if len(small):
                coloc = colocation(small, year=last, region_type=rt)
                coloc.insert(0, "year", last)
                coloc.insert(1, "region_type", rt)

    unknown_regions = pd.DataFrame(columns=["region_code", "region_type"])
    if regions is not None:
        seen = region[["region_code", "region_type"]].drop_duplicates()
        unknown_regions = seen[
            ~seen["region_code"].isin(regions["code"]) & (seen["region_type"] != NATION)
        ].reset_index(drop=True)

    crt_rows = sum(_count(engine, b) for b in bases)
    # The change table's rows are counted by the writer (``output.write_result``) or when it is
    # read; a separate count would compute every pair's cells once more.
    timings = timer.done()
    by_year = region.groupby("year")[["detailed_employment", "clustered_employment"]].sum()
    mapped = (by_year["clustered_employment"] / by_year["detailed_employment"]).round(6)
    manifest = {
        "package": _pkg,
        "input": {
            "path": source.path.name,
            "rows_by_year": {
                int(y): int(n) for y, n in zip(overview.year, overview.rows, strict=True)
            },
            "vintages_by_year": {
                int(y): v for y, v in zip(overview.year, overview.vintage, strict=True)
            },
        },
        "definition": {
            "source": definition.source.rsplit("/", 1)[-1],
            "classification": definition.classification,
            "clusters": int(definition.table["cluster_code"].nunique()),
            "subclusters": int(definition.table["subcluster_code"].nunique()),
            "industries": len(definition.table),
        },
        "engine": engine.name,
        "imputation": opts.imputation,
        "imputation_notes": impute_notes,
        "split_rule": opts.split_rule,
        "vintage_mapping": vintage_notes,
        "mapped_share_of_employment": {int(y): float(v) for y, v in mapped.items()},
        "unknown_industry_codes": {
            "count": len(unknown),
            "employment": float(unknown["employment"].sum()) if len(unknown) else 0.0,
            "by_code": [
                {
                    "vintage": r.vintage,
                    "code": r.industry_code,
                    "rows": int(r.rows),
                    "employment": float(r.employment),
                }
                for r in unknown.itertuples()
            ],
        },
        "unknown_region_codes": {
            "count": len(unknown_regions),
            "codes": unknown_regions["region_code"].astype(str).tolist(),
        },
        "conventions": CONVENTIONS,
        "rows": {
            "cluster_region_year": crt_rows,
            "region_year": len(region_year),
            "cluster_region_change": None,
        },
        "timings_seconds": timings,
    }
    return MappingResult(
        cluster_region_year_table=crt_table,
        region_year=region_year,
        cluster_region_change_table=change,
        manifest=manifest,
        related_clusters=related,
        colocation=coloc,
        unknown_industries=unknown,
        unknown_regions=unknown_regions,
    )
