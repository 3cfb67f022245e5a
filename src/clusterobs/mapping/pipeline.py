"""Orchestration: canonical employment table + cluster definition -> all published statistics.

Each step is one short function over a :class:`BuildContext`; the formulas live in their own
modules (:mod:`~clusterobs.mapping.lq`, :mod:`~clusterobs.mapping.percentiles`,
:mod:`~clusterobs.mapping.strength`, :mod:`~clusterobs.mapping.stars`,
:mod:`~clusterobs.mapping.change`, :mod:`~clusterobs.mapping.shiftshare`,
:mod:`~clusterobs.mapping.relatedness`). Everything that scales with the number of regions runs
in the engine (DuckDB or Spark through one Ibis code path): imputation, crosswalk and definition
joins, the aggregation of detailed industries to region x cluster x sub-cluster x year, LQs,
thresholds, flags, stars, ranks and the change table. Only small tables (region x year totals,
national totals per cluster and year) are pandas. The two big tables stay in the engine as
:class:`~clusterobs.tables.results.EngineTable` and are streamed to Parquet by
:func:`clusterobs.mapping.output.write_result`.

Usable from a notebook::

    from clusterobs.mapping import pipeline
    from clusterobs.tables.engine import connect
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
import pandas as pd

from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.check import code_problems, unreachable
from clusterobs.definitions.model import ClusterDefinition
from clusterobs.mapping import coverage
from clusterobs.mapping.cell_measures import peer_thresholds, with_ratings, with_ratings_and_ranks
from clusterobs.mapping.change import CARRIED, CELL, change_pairs
from clusterobs.mapping.coverage import with_coverage
from clusterobs.mapping.imputation import constrained_imputation
from clusterobs.mapping.industry_map import IndustryMap, ancestor_conflicts, industry_map
from clusterobs.mapping.lq import with_lqs
from clusterobs.mapping.manifest import build_manifest
from clusterobs.mapping.region_totals import as_codes, national, region_totals, with_region_ids
from clusterobs.mapping.relatedness import colocation, related_clusters
from clusterobs.mapping.result import (
    CHANGE_COLUMNS,
    CHANGE_DTYPES,
    CHANGE_RANKS,
    CHANGE_SORT,
    COLOCATION_COLUMNS,
    CRT_COLUMNS,
    CRT_DTYPES,
    CRT_SORT,
    EM_COLUMNS,
    NATION,
    REGION_KEYS,
    REGION_YEAR_COLUMNS,
    VALUE_COLS,
    MappingOptions,
    MappingResult,
)
from clusterobs.mapping.strength import ESTABLISHMENTS_TEST, cluster_strength
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.schema import SourceTable, midpoint_expr, validate
from clusterobs.tables.engine import Engine
from clusterobs.tables.expressions import left_join
from clusterobs.tables.results import EngineTable

STEPS = ["validate", "impute", "crosswalk", "aggregate", "statistics", "change", "relatedness"]
REGION_DENOMINATORS = ["region_total", "traded_employment", "local_employment"]
NATION_DENOMINATORS = ["national_total", "national_traded", "national_local"]
T = TypeVar("T")


class StepTimer:
    """Wall time of each step (for the manifest) and the progress callback."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._step: str | None = None
        self._started = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        if self._step is not None:
            self.timings[self._step] = round(now - self._started, 3)
        self._step, self._started = name, now
        if self.progress:
            self.progress(name)

    def done(self) -> dict[str, float]:
        self.step("done")
        self.timings.pop("done", None)
        return self.timings


@dataclass
class Aggregates:
    """Detailed industries summed into cells (engine) and the coverage summaries (pandas)."""

    cells: ibis.Table
    unknown: pd.DataFrame
    unclustered: pd.DataFrame
    detailed: pd.DataFrame
    known: pd.DataFrame
    total_rows: pd.DataFrame
    other_levels: pd.DataFrame


@dataclass
class Denominators:
    """Region and national totals (pandas), their engine twins and the id dimensions."""

    region: pd.DataFrame
    type_ids: dict[str, int]
    region_t: ibis.Table
    national_cells_t: ibis.Table
    national_region_t: ibis.Table
    region_ids_t: ibis.Table
    cell_ids_t: ibis.Table


@dataclass
class YearChunks:
    """Years computed together in one engine query, with their measured base tables."""

    years: list[int]
    sizes: dict[int, int]
    chunks: list[list[int]]
    bases: list[ibis.Table] = field(default_factory=list)
    thresholds: list[ibis.Table] = field(default_factory=list)


@dataclass
class BuildContext:
    """What every step reads: the engine, the options and the build's fixed inputs."""

    engine: Engine
    options: MappingOptions
    definition: ClusterDefinition
    store: ClassificationStore
    timer: StepTimer
    establishments_test: bool = True
    #: classification vintage of each year of the data
    vintages: dict[int, str] = field(default_factory=dict)

    def frame(self, expr: ibis.Expr) -> pd.DataFrame:
        return self.engine.to_pandas(expr)


def chunked(items: list[T], size: Callable[[T], int], limit: int) -> list[list[T]]:
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


def validated(ctx: BuildContext, source: SourceTable) -> tuple[SourceTable, pd.DataFrame]:
    """The source within the chosen years, validated; rows per vintage and year."""
    t = source.table
    if ctx.options.years:
        first, last = ctx.options.years
        t = t.filter((t.year >= first) & (t.year <= last))
        source = SourceTable(t, source.path, source.raw_field, source.python_keys, source.raw)
    if ctx.engine.name == "duckdb" and source.path.suffix != ".parquet":
        source.table = t = ctx.engine.materialize(t, "canon")
    validate(source, ctx.frame)
    overview = ctx.frame(t.group_by("vintage", "year").aggregate(rows=t.count()).order_by("year"))
    if overview.empty:
        raise ValueError(f"{source.path}: no rows (check --years)")
    return source, overview


def imputed(ctx: BuildContext, t: ibis.Table) -> tuple[ibis.Table, list[str]]:
    """Add ``employment`` (reported, else estimated), ``suppressed`` and ``unimputed`` (a
    suppressed cell that received no estimate: it adds 0 and is counted as such, never called
    imputed). Estimates: the source's own (``employment_estimated``, with
    ``imputation="source"``), else the size-class midpoint; ``constrained`` refines midpoints
    within class bounds to published parent totals."""
    suppressed = t.employment_reported.isnull() & t.size_class.notnull()
    estimate = midpoint_expr(t.size_class)
    if ctx.options.imputation == "source" and "employment_estimated" in t.columns:
        estimate = t.employment_estimated.coalesce(estimate)
    t = t.mutate(
        suppressed=suppressed,
        unimputed=suppressed & estimate.isnull(),
        employment=t.employment_reported.coalesce(estimate).fill_null(0.0),
    )
    if ctx.options.imputation != "constrained":
        # Kept once (DuckDB): every later query then starts from a stored table, not from the
        # canonical and imputation expressions again (their compilation is most of a small
        # build's cost).
        return ctx.engine.materialize(t, "imputed") if ctx.engine.name == "duckdb" else t, []
    # The hierarchy of cells with a suppressed detailed child is small enough for pandas even
    # for county files; imputed values go back to the engine as a join.
    keys = ["region_code", "region_type", "year", "industry_code"]
    rows = ctx.frame(t.select(*keys, "employment_reported", "size_class"))
    done = constrained_imputation(rows)
    fix = done.loc[
        done["employment_reported"].isna() & done["size_class"].notna(), [*keys, "employment"]
    ].rename(columns={"employment": "employment_constrained"})
    j = t.left_join(ctx.engine.table(fix.reset_index(drop=True), "impute"), keys)
    t = j.mutate(
        employment=ibis.ifelse(
            j.suppressed, j.employment_constrained.coalesce(j.employment), j.employment
        )
    ).drop("employment_constrained")
    return t, ["constrained imputation within class bounds to published parent totals"]


def detailed_rows(t: ibis.Table, lengths: dict[str, set[int]]) -> ibis.Table:
    """The rows summed into clusters: those a source marks ``detailed`` (e.g. Eurostat's
    divisions and, for 45-47, groups), else those of each vintage's most common code length
    (6-digit NAICS in CBP); never the all-industry total row."""
    if "detailed" in t.columns:
        return t.filter(t.detailed & (t.industry_code != ""))
    mode = {v: next(iter(n)) for v, n in lengths.items()}
    return t.filter(t.industry_code.length() == t.vintage.substitute(mode, else_=-1))


def code_profile(ctx: BuildContext, t: ibis.Table) -> pd.DataFrame:
    """Per vintage and industry code (the all-industry total row excepted): its rows and
    employment, with the source's ``detailed`` mark where it has one, and the code's length.
    One pass over the input serves both the detailed level (:func:`detail_lengths`) and the
    account of the rows outside it (:func:`other_levels`); the table is as small as the code
    list."""
    coded = t.filter(t.industry_code != "")
    keys = ["vintage", "industry_code", *(["detailed"] if "detailed" in t.columns else [])]
    profile = ctx.frame(
        coded.group_by(keys).aggregate(rows=coded.count(), employment=coded.employment.sum())
    )
    if profile.empty:  # an engine may return an empty result without its columns
        profile = pd.DataFrame(columns=[*keys, "rows", "employment"])
    profile["vintage"] = profile["vintage"].astype(str)
    profile["length"] = profile["industry_code"].astype(str).str.len()
    return profile


def _declared(profile: pd.DataFrame, value: bool) -> pd.Series:
    """Rows the source marks ``detailed`` (or not); an unmarked row is neither."""
    return profile["detailed"].map(lambda d: d is not None and not pd.isna(d) and bool(d) == value)


def _detailed_mask(profile: pd.DataFrame, lengths: dict[str, set[int]]) -> pd.Series:
    """The profile's codes that :func:`detailed_rows` keeps."""
    if "detailed" in profile.columns:
        return _declared(profile, True)
    mode = {v: next(iter(n)) for v, n in lengths.items()}
    return profile["length"] == profile["vintage"].map(mode).fillna(-1)


def other_levels(profile: pd.DataFrame, lengths: dict[str, set[int]]) -> pd.DataFrame:
    """Per vintage and code, the rows outside the detailed level, with ``no_detail`` true where
    the code is no prefix of any detailed code of its vintage: no detailed row beneath it
    carries its employment (CBP's NAICS 1997 wholesale "42" without 6-digit rows, "99"
    unclassified, a mistyped code), so that employment reaches no cluster and no detailed total.
    Named in the manifest and warned about; never silently dropped. Where the source marks its
    detailed rows itself (Eurostat), its other rows are its declared aggregates."""
    declared = "detailed" in profile.columns
    detail = _detailed_mask(profile, lengths)
    other = _declared(profile, False) if declared else ~detail
    rows = (
        profile[other]
        .groupby(["vintage", "industry_code"], as_index=False)[["rows", "employment"]]
        .sum()
    )
    if rows.empty:
        rows = pd.DataFrame(columns=["vintage", "industry_code", "rows", "employment"])
    prefixes = {
        (str(v), code[:n])
        for v, code in zip(
            profile.loc[detail, "vintage"], profile.loc[detail, "industry_code"], strict=True
        )
        for n in range(1, len(code))
    }
    rows["no_detail"] = pd.Series(
        [
            not declared and (str(v), str(c)) not in prefixes
            for v, c in zip(rows["vintage"], rows["industry_code"], strict=True)
        ],
        index=rows.index,
        dtype=bool,
    )
    return rows.sort_values(["vintage", "industry_code"], ignore_index=True)


def detail_lengths(profile: pd.DataFrame) -> dict[str, set[int]]:
    """Per vintage, the code lengths of the detailed rows (see :func:`detailed_rows`): those the
    source marks, else the length most rows have (the longer one on a tie)."""
    rows = profile[_declared(profile, True)] if "detailed" in profile.columns else profile
    n = (
        rows.groupby(["vintage", "length"], as_index=False)["rows"]
        .sum()
        .rename(columns={"rows": "n"})
    )
    if "detailed" in profile.columns:
        return {str(v): set(g["length"].astype(int)) for v, g in n.groupby("vintage")}
    top = n.sort_values(["vintage", "n", "length"], ascending=[True, False, False])
    return {str(v): {int(g["length"].iloc[0])} for v, g in top.groupby("vintage")}


def mapped_industries(
    ctx: BuildContext, t: ibis.Table, lengths: dict[str, set[int]]
) -> IndustryMap:
    """The crosswalk step (:func:`~clusterobs.mapping.industry_map.industry_map`); with the
    proportional rule, target sizes are the data's employment in the definition's vintage."""
    sizes = None
    if ctx.options.split_rule == "proportional" and ctx.definition.classification in lengths:
        s = t.filter(t.vintage == ctx.definition.classification)
        s = ctx.frame(s.group_by("industry_code").aggregate(e=s.employment.sum()))
        sizes = s.set_index("industry_code")["e"]
    return industry_map(ctx.definition, ctx.store, lengths, ctx.options.split_rule, sizes)


def checked_codes(ctx: BuildContext, imap: IndustryMap, vintages: list[str]) -> dict[str, object]:
    """The definition's codes against its classification and the data's vintages: an error
    naming every unknown or unreachable code, unless the user allowed them (then listed in the
    manifest)."""
    definition = ctx.definition
    if not ctx.store.has(definition.classification):
        return {"checked": False, "why": f"{definition.classification} is not imported"}
    twice = ancestor_conflicts(definition, ctx.store.parents(definition.classification))
    if twice:
        raise InputValidationError(
            f"definition codes would count employment twice: {'; '.join(twice[:20])}",
            file=definition.source,
            field="industry_code",
        )
    problems = code_problems(definition, ctx.store)
    bad = {p.code for p in problems}
    problems += [p for p in unreachable(definition, imap.reached, vintages) if p.code not in bad]
    problems.sort(key=lambda p: p.row)
    if problems and not ctx.options.allow_unknown_codes:
        listed = "; ".join(p.describe() for p in problems[:20])
        more = f" and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputValidationError(
            f"{len(problems)} definition code(s) cannot receive employment: {listed}{more} "
            "(fix the definition, or pass --allow-unknown-codes to go on without them)",
            file=definition.source,
            row=problems[0].row,
            field="industry_code",
        )
    return {
        "checked": True,
        "problems": [{"code": p.code, "row": p.row, "reason": p.reason} for p in problems],
    }


def aggregated(
    ctx: BuildContext,
    t: ibis.Table,
    imap: IndustryMap,
    lengths: dict[str, set[int]],
    profile: pd.DataFrame,
) -> Aggregates:
    """Sum the detailed industries into region x cell x year (weights from the crosswalk);
    count what could not be mapped and what the detailed rows add up to. A cell's
    establishments are null when a part of it has none (partial counts would mislead the size
    test, which is then skipped for that cell)."""
    imap_t = ctx.engine.table(imap.table, "imap")
    detail = detailed_rows(t, lengths)
    mapped = detail.inner_join(imap_t, ["vintage", "industry_code"])
    j = mapped.filter(mapped.k_cl >= 0)
    w = j.weight
    has_wage = j.payroll.notnull() & j.employment_reported.notnull()
    cells = ctx.engine.materialize(
        j.group_by([*REGION_KEYS, "k_cl", "k_sub", "traded"]).aggregate(
            employment=(j.employment * w).sum(),
            employment_reported=(j.employment_reported.fill_null(0.0) * w).sum(),
            employment_imputed=ibis.ifelse(j.suppressed, j.employment * w, 0.0).sum(),
            suppressed_cells=j.suppressed.cast("int64").sum(),
            unimputed_cells=j.unimputed.cast("int64").sum(),
            establishments=ibis.ifelse(
                j.establishments.isnull().any(), ibis.null("float64"), (j.establishments * w).sum()
            ),
            wage_payroll=ibis.ifelse(has_wage, j.payroll * w, 0.0).sum(),
            wage_employment=ibis.ifelse(has_wage, j.employment_reported * w, 0.0).sum(),
        ),
        "cells",
    )
    known = detail.semi_join(imap_t, ["vintage", "industry_code"])
    unknown = detail.anti_join(imap_t, ["vintage", "industry_code"])
    unknown_codes = ctx.frame(
        unknown.group_by("vintage", "industry_code").aggregate(
            rows=unknown.count(),
            employment=unknown.employment.sum(),
            regions=unknown.region_code.nunique(),
        )
    ).sort_values(["vintage", "industry_code"], ignore_index=True)
    outside = mapped.filter(mapped.k_cl < 0)
    unclustered = ctx.frame(
        outside.group_by("vintage", "industry_code").aggregate(
            rows=outside.count(), employment=(outside.employment * outside.weight).sum()
        )
    ).sort_values(["vintage", "industry_code"], ignore_index=True)
    totals = t.filter(t.industry_code == "")
    return Aggregates(
        cells=cells,
        unknown=unknown_codes,
        unclustered=unclustered,
        detailed=ctx.frame(
            detail.group_by(REGION_KEYS).aggregate(
                detailed_employment=detail.employment.sum(),
                detailed_employment_reported=detail.employment_reported.fill_null(0.0).sum(),
                unimputed_rows=detail.unimputed.cast("int64").sum(),
            )
        ),
        known=ctx.frame(
            known.group_by(REGION_KEYS).aggregate(known_employment=known.employment.sum())
        ),
        total_rows=ctx.frame(
            totals.group_by(REGION_KEYS).aggregate(total_row=totals.employment.sum())
        ),
        other_levels=other_levels(profile, lengths),
    )


def cluster_rows(cells: ibis.Table) -> ibis.Table:
    """Cluster-level rows (``k`` of the cluster): sums of the cluster's cells."""
    summed = cells.group_by([*REGION_KEYS, "k_cl", "traded"]).aggregate(
        **{c: cells[c].sum() for c in VALUE_COLS}
    )
    return summed.rename(k="k_cl")


def cluster_and_subcluster_rows(cells: ibis.Table, subclusters: bool) -> ibis.Table:
    """Cluster rows plus (optionally) sub-cluster rows, keyed by ``k``."""
    cols = [*REGION_KEYS, "k", "traded", *VALUE_COLS]
    parts = [cluster_rows(cells).select(cols)]
    if subclusters:
        sub = cells.filter(cells.k_sub >= 0)
        parts.append(sub.mutate(k=sub.k_sub).select(cols))
    return parts[0] if len(parts) == 1 else ibis.union(*parts)


def denominators(ctx: BuildContext, agg: Aggregates, imap: IndustryMap) -> Denominators:
    """Region totals (published total row, else the detailed sum; traded and local parts) and
    national figures per region type, as pandas tables and as engine tables on integer ids."""
    cells = agg.cells.mutate(
        year=agg.cells.year.cast("int64"), traded=agg.cells.traded.cast("boolean")
    )
    clusters = cluster_rows(cells)
    traded_local = ctx.frame(
        clusters.group_by(REGION_KEYS).aggregate(
            traded_employment=ibis.ifelse(clusters.traded, clusters.employment, 0.0).sum(),
            local_employment=ibis.ifelse(clusters.traded, 0.0, clusters.employment).sum(),
        )
    )
    region = with_coverage(region_totals(agg.detailed, agg.known, agg.total_rows, traded_local))
    region, ids, type_ids = with_region_ids(region)
    rows = cluster_and_subcluster_rows(cells, ctx.options.subclusters)
    by_cell = as_codes(
        ctx.frame(rows.group_by(["region_type", "k", "year"]).aggregate(e=rows.employment.sum()))
    )
    nat_cells = national(by_cell, ["e"], ["k", "year"])
    nat_cells = nat_cells.rename(columns={"e": "national_employment"})
    nat_region = national(region, ["employment", *REGION_DENOMINATORS[1:]], ["year"])
    nat_region = nat_region.rename(
        columns=dict(
            zip(["employment", *REGION_DENOMINATORS[1:]], NATION_DENOMINATORS, strict=True)
        )
    )
    nat_cells = nat_cells.merge(nat_region[["region_type", "year", "national_total"]], how="left")
    for df in (nat_cells, nat_region):
        df.insert(0, "rt", df["region_type"].map(type_ids).astype("int64"))
    table = ctx.engine.table
    region_cols = [*REGION_KEYS, "r", "rt", "employment", *REGION_DENOMINATORS[1:]]
    return Denominators(
        region=region,
        type_ids=type_ids,
        region_t=table(
            region[region_cols].rename(columns={"employment": "region_total"}), "region"
        ),
        national_cells_t=table(nat_cells.drop(columns="region_type"), "natcells"),
        national_region_t=table(nat_region.drop(columns="region_type"), "natregion"),
        region_ids_t=table(ids[["r", "region_code", "region_type"]], "regionids"),
        cell_ids_t=table(imap.cells, "cellids"),
    )


def year_chunks(ctx: BuildContext, cells: ibis.Table) -> YearChunks:
    """Chunks of years: the statistics of a year need only that year's rows (peers are regions
    of one year), so a large input is computed and written a few years at a time and each
    chunk's joins, quantiles and windows stay small; a small input is one chunk."""
    per_year = ctx.frame(cells.group_by("year").aggregate(n=cells.count())).sort_values("year")
    sizes = {int(y): int(n) for y, n in zip(per_year["year"], per_year["n"], strict=True)}
    years = sorted(sizes)
    return YearChunks(years, sizes, chunked(years, sizes.__getitem__, ctx.options.chunk_rows))


def measured_bases(ctx: BuildContext, cells: ibis.Table, den: Denominators, yc: YearChunks) -> None:
    """Per chunk of years: the cells with their LQs (materialised) and the peer thresholds.

    The region and national denominators are joined for the LQs and dropped again: the base
    tables (12.8 M rows for a county file) then stay in memory, unspilled, and the
    denominators are joined back from their small tables when the rows are written."""
    cells = cells.mutate(year=cells.year.cast("int64"), traded=cells.traded.cast("boolean"))
    for chunk in yc.chunks:
        df = cluster_and_subcluster_rows(
            cells.filter(cells.year.isin(chunk)), ctx.options.subclusters
        )
        df = left_join(df, den.region_t, REGION_KEYS).drop("region_code", "region_type")
        df = left_join(df, den.national_cells_t.drop("national_total"), ["rt", "k", "year"])
        df = left_join(df, den.national_region_t, ["rt", "year"])
        base = with_lqs(df).drop(*REGION_DENOMINATORS, *NATION_DENOMINATORS)
        base = ctx.engine.materialize(base, "base")
        yc.bases.append(base)
        yc.thresholds.append(ctx.engine.materialize(peer_thresholds(base), "thr"))


def with_codes(t: ibis.Table, den: Denominators) -> ibis.Table:
    """Join the string codes and names back onto the integer keys ``r`` and ``k``."""
    return left_join(left_join(t, den.region_ids_t, ["r"]), den.cell_ids_t, ["k"])


def cluster_region_year(ctx: BuildContext, den: Denominators, yc: YearChunks) -> EngineTable:
    """The published cluster-region-year table: one engine query per chunk of years."""

    def final(base: ibis.Table, thr: ibis.Table) -> ibis.Table:
        rows = with_ratings_and_ranks(base, thr, establishments_test=ctx.establishments_test)
        method = ibis.cases(
            (rows.suppressed_cells == 0, "none"),
            (rows.unimputed_cells == rows.suppressed_cells, "not imputed"),
            else_=ctx.options.imputation,
        )
        rows = rows.mutate(imputation_method=method)
        region_denoms = den.region_t.select("r", "year", *REGION_DENOMINATORS)
        rows = left_join(rows, region_denoms, ["r", "year"])
        nation_denoms = den.national_region_t.select("rt", "year", *NATION_DENOMINATORS)
        rows = left_join(rows, nation_denoms, ["rt", "year"])
        return with_codes(rows, den).select(CRT_COLUMNS)

    parts = [final(b, thr) for b, thr in zip(yc.bases, yc.thresholds, strict=True)]
    return EngineTable(ctx.engine, parts, dtypes=CRT_DTYPES, pandas_sort=CRT_SORT)


def region_year(
    ctx: BuildContext, den: Denominators, yc: YearChunks, n_clusters: int
) -> pd.DataFrame:
    """Region totals, coverage and cluster strength per region and year."""
    flagged = []
    for base, thr in zip(yc.bases, yc.thresholds, strict=True):
        # Thresholds come from all peers (``thr``); flags are needed on traded clusters only.
        rows = base.filter((base.k < n_clusters) & base.traded)
        rows = with_ratings(rows, thr, establishments_test=ctx.establishments_test)
        flagged.append(rows.select("r", "year", "traded", "strong", "employment"))
    region = den.region.sort_values(REGION_KEYS, ignore_index=True)
    if not flagged:
        return region.assign(cluster_strength=float("nan"))[REGION_YEAR_COLUMNS]
    rows = flagged[0] if len(flagged) == 1 else ibis.union(*flagged)
    regions = den.region_t.select("r", "year", "traded_employment")
    strength = ctx.frame(cluster_strength(rows, regions).select("r", "year", "cluster_strength"))
    strength["year"] = strength["year"].astype("int64")
    region = region.merge(strength, on=["r", "year"], how="left")
    region["cluster_strength"] = region["cluster_strength"].astype("float64")
    return region[REGION_YEAR_COLUMNS]


def change_table(ctx: BuildContext, den: Denominators, yc: YearChunks) -> EngineTable:
    """The change table of every year pair, one engine query per chunk of pairs, each reading
    only the base tables that hold its years."""
    if not yc.bases:  # no cluster cell at all (e.g. only unclustered industries): no change rows
        return EngineTable(ctx.engine, [], dtypes=CHANGE_DTYPES, pandas_sort=CHANGE_SORT)
    pairs = ctx.options.change_pairs or coverage.pairs(yc.years, ctx.vintages)
    totals = den.region[["r", "year", "employment"]].rename(columns={"employment": "region_total"})
    totals_t = ctx.engine.table(totals, "regiontotals")
    in_data = [(a, b) for a, b in pairs if a in yc.sizes and b in yc.sizes]
    breaks = coverage.pair_breaks(den.region, in_data, ctx.vintages)
    breaks_t = ctx.engine.table(breaks.astype({"r": "int64", "start_year": "int64",
                                               "end_year": "int64", "vintage_break": "bool",
                                               "coverage_break": "bool"}), "breaks")  # fmt: skip
    # One year (census tables): no pair, and an empty table of the right columns, not zeros.
    chunks = chunked(in_data, lambda p: yc.sizes[p[0]] + yc.sizes[p[1]], ctx.options.chunk_rows)
    chunks = chunks or [[]]
    em = ctx.options.esteban_marquillas

    def part(chunk: list[tuple[int, int]]) -> ibis.Table:
        need = sorted({y for pair in chunk for y in pair})
        rows = [
            b.select(*CELL, "year", *CARRIED)
            for b, ys in zip(yc.bases, yc.chunks, strict=True)
            if set(ys) & set(need)
        ] or [yc.bases[0].select(*CELL, "year", *CARRIED)]  # no pair: filtered to no rows
        src = rows[0] if len(rows) == 1 else ibis.union(*rows)
        src = src.filter(src.year.isin(need))
        pair_t = ctx.engine.table(
            pd.DataFrame(chunk, columns=["start_year", "end_year"]).astype("int64"), "pairs"
        )
        ch = change_pairs(src, pair_t, den.national_cells_t, totals_t, esteban_marquillas_terms=em)
        ch = left_join(ch, breaks_t, ["r", "start_year", "end_year"])
        ch = ch.mutate(
            vintage_break=ch.vintage_break.fill_null(False),
            coverage_break=ch.coverage_break.fill_null(False),
        )
        ch = with_codes(ch, den)
        return ch.select(*CHANGE_COLUMNS, *(EM_COLUMNS if em else []), *CHANGE_RANKS)

    parts = [part(chunk) for chunk in chunks]
    return EngineTable(ctx.engine, parts, dtypes=CHANGE_DTYPES, pandas_sort=CHANGE_SORT)


def colocation_table(
    ctx: BuildContext, den: Denominators, yc: YearChunks, n_clusters: int
) -> pd.DataFrame | None:
    """Co-location of traded clusters in the last year, over the main region type."""
    if not yc.years:
        return None
    types = den.region["region_type"]
    main_type = types[types != NATION].mode()
    if not len(main_type):
        return None
    region_type, last = str(main_type[0]), int(yc.years[-1])
    base = yc.bases[-1]  # the chunk of the last year
    sel = base.filter(
        (base.year == last)
        & (base.rt == den.type_ids[region_type])
        & (base.k < n_clusters)
        & base.traded
        & (base.employment > 0)
    )
    small = as_codes(ctx.frame(with_codes(sel, den).select(*COLOCATION_COLUMNS)))
    if not len(small):
        return None
    coloc = colocation(small, year=last, region_type=region_type)
    coloc.insert(0, "year", last)
    coloc.insert(1, "region_type", region_type)
    return coloc


def skipped_tests(ctx: BuildContext) -> list[dict[str, str]]:
    """Tests of the conventions that the input does not allow, named (never applied to
    zeros)."""
    if ctx.establishments_test:
        return []
    return [
        {
            "test": f"U.S. Cluster Mapping size test {ESTABLISHMENTS_TEST}",
            "why": "the input has no establishment counts; flags use the employment test only",
        }
    ]


def unknown_region_codes(den: Denominators, regions: pd.DataFrame | None) -> pd.DataFrame:
    """Regions of the data (not national rows) that the region table does not list."""
    seen = den.region[["region_code", "region_type"]].drop_duplicates()
    if regions is None:
        return seen.iloc[0:0].reset_index(drop=True)
    unknown = ~seen["region_code"].isin(regions["code"]) & (seen["region_type"] != NATION)
    return seen[unknown].reset_index(drop=True)


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
    store = store if store is not None else ClassificationStore.empty()
    ctx = BuildContext(engine, options or MappingOptions(), definition, store, StepTimer(progress))
    ctx.timer.step("validate")
    source, overview = validated(ctx, source)
    ctx.establishments_test = source.has_establishments
    ctx.timer.step("impute")
    table, impute_notes = imputed(ctx, source.table)
    ctx.timer.step("crosswalk")
    ctx.vintages = {int(y): str(v) for y, v in zip(overview.year, overview.vintage, strict=True)}
    profile = code_profile(ctx, table)
    lengths = detail_lengths(profile)
    imap = mapped_industries(ctx, table, lengths)
    definition_codes = checked_codes(ctx, imap, sorted(lengths))
    ctx.timer.step("aggregate")
    agg = aggregated(ctx, table, imap, lengths, profile)
    ctx.timer.step("statistics")
    den = denominators(ctx, agg, imap)
    yc = year_chunks(ctx, agg.cells)
    measured_bases(ctx, agg.cells, den, yc)
    engine.release(agg.cells)  # everything below reads the per-chunk base tables
    crt = cluster_region_year(ctx, den, yc)
    ry = region_year(ctx, den, yc, imap.n_clusters)
    ctx.timer.step("change")
    change = change_table(ctx, den, yc)
    ctx.timer.step("relatedness")
    related = related_clusters(relatedness) if relatedness is not None else None
    coloc = colocation_table(ctx, den, yc, imap.n_clusters)
    unknown_regions = unknown_region_codes(den, regions)
    manifest = _manifest(ctx, source, overview, imap, agg, den, unknown_regions, impute_notes, yc)
    manifest["definition_codes"] = definition_codes
    return MappingResult(
        cluster_region_year_table=crt,
        region_year=ry,
        cluster_region_change_table=change,
        manifest=manifest,
        related_clusters=related,
        colocation=coloc,
        unknown_industries=agg.unknown,
        unknown_regions=unknown_regions,
    )


def outside_detail_summary(other: pd.DataFrame) -> dict[str, Any]:
    """The manifest's account of rows outside the detailed level: subtotals (counted by the
    detailed rows beneath them already) and codes with no detailed rows beneath them (their
    employment reaches no cluster), each with rows and employment."""
    alone = other[other["no_detail"]]
    subtotals = other[~other["no_detail"]]
    return {
        "meaning": "rows whose industry code is not at the detailed level of their vintage and "
        "is not the all-industry total: subtotals (codes with detailed rows beneath them, or "
        "the source's declared aggregates) are not summed again; codes with no detailed row "
        "beneath them reach no cluster and no detailed total (they stay in published totals)",
        "subtotal_rows": int(subtotals["rows"].sum()),
        "subtotal_employment": float(subtotals["employment"].sum()),
        "no_detail_rows": int(alone["rows"].sum()),
        "no_detail_employment": float(alone["employment"].sum()),
        "no_detail_code_count": len(alone),
        "no_detail_codes": [  # all of them: the CLI and the pages name the first ten
            {"vintage": str(v), "code": str(c), "rows": int(r), "employment": float(e)}
            for v, c, r, e in alone[["vintage", "industry_code", "rows", "employment"]].itertuples(
                index=False
            )
        ],
    }


def _manifest(
    ctx: BuildContext,
    source: SourceTable,
    overview: pd.DataFrame,
    imap: IndustryMap,
    agg: Aggregates,
    den: Denominators,
    unknown_regions: pd.DataFrame,
    impute_notes: list[str],
    yc: YearChunks,
) -> dict[str, Any]:
    """The build's manifest (:mod:`~clusterobs.mapping.manifest`) with what this run found."""
    definition = ctx.definition
    crt_rows = sum(int(ctx.frame(b.count().as_table()).iloc[0, 0]) for b in yc.bases)
    manifest = build_manifest(
        definition=definition,
        options=ctx.options,
        engine_name=ctx.engine.name,
        input_name=source.path.name,
        measure=source.measure,
        input_notes=list(source.notes),
        overview=overview,
        vintage_notes=imap.notes,
        region=den.region,
        unknown_industries=agg.unknown,
        unknown_regions=unknown_regions,
        imputation_notes=impute_notes,
        crt_rows=crt_rows,
        timings=ctx.timer.done(),
    )
    manifest["tests_skipped"] = skipped_tests(ctx)
    manifest["coverage_warnings"] = coverage.warnings(den.region)
    manifest["unclustered_industry_codes"] = {
        "meaning": "codes of the classification that belong to no cluster of the definition; "
        "their employment counts in regional totals only",
        "count": len(agg.unclustered),
        "employment": float(agg.unclustered["employment"].sum()) if len(agg.unclustered) else 0.0,
    }
    manifest["rows_outside_the_detail_level"] = outside_detail_summary(agg.other_levels)
    # Detailed cells withheld by the source without any estimate: they add 0 where they are.
    manifest["suppressed_cells_not_imputed"] = int(agg.detailed["unimputed_rows"].sum())
    imported = ctx.store.has(definition.classification)
    manifest["unknown_industry_codes"]["meaning"] = (
        "detailed codes of the data that are not codes of their classification vintage"
        if imported
        else f"{definition.classification} is not imported: codes outside the definition "
        "(unknown and unclustered codes cannot be told apart)"
    )
    return manifest
