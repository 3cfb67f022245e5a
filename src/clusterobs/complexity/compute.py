"""All complexity statistics of a panel: long table in, three long tables out.

For every region type and year (one :class:`~clusterobs.complexity.matrix.RegionIndustryMatrix`)
the statistics are computed in this order, each in its own module:

1. RCA and presence ``M`` (:mod:`.rca`);
2. diversity and ubiquity (:mod:`.diversity_ubiquity`);
3. ECI and PCI (:mod:`.eci`), optionally fitness and complexity (:mod:`.fitness`);
4. proximity from the data, or from a given table (:mod:`.proximity`);
5. relatedness density (:mod:`.density`);
6. COI and COG (:mod:`.outlook`).

Usable from a notebook::

    from clusterobs.complexity import compute_complexity
    result = compute_complexity(df, region="state", industry="naics", value="employment")
    result.region.sort_values("eci").tail()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clusterobs.complexity.density import relatedness_density
from clusterobs.complexity.diversity_ubiquity import diversity, ubiquity
from clusterobs.complexity.eci import EconomicComplexity
from clusterobs.complexity.fitness import FitnessComplexity
from clusterobs.complexity.matrix import RegionIndustryMatrix, matrices_from_long
from clusterobs.complexity.outlook import complexity_outlook_gain, complexity_outlook_index
from clusterobs.complexity.proximity import proximity, proximity_from_table
from clusterobs.complexity.rca import THRESHOLD, RevealedComparativeAdvantage

#: Closest industries kept per industry and year in the proximity output (the observatory's
#: "why related" explanations); the full matrix is used for every statistic.
NEIGHBOURS = 25

REGION_COLUMNS = ["region_type", "region_code", "year", "diversity", "eci", "coi"]
INDUSTRY_COLUMNS = [
    "region_type",
    "industry_code",
    "year",
    "ubiquity",
    "pci",
    "employment",
    "proximity_sum",
]
DENSITY_COLUMNS = [
    "region_type",
    "region_code",
    "industry_code",
    "year",
    "employment",
    "rca",
    "present",
    "density",
    "cog",
]
PROXIMITY_COLUMNS = [
    "region_type",
    "year",
    "industry_code",
    "related_industry_code",
    "proximity",
    "rank",
]


@dataclass
class ComplexityOptions:
    """Choices that change the numbers (all recorded in the manifest)."""

    threshold: float = THRESHOLD
    fitness: bool = False
    proximity_table: pd.DataFrame | None = None
    proximity_source: str = "data"
    neighbours: int = NEIGHBOURS
    keep_matrices: bool = False


@dataclass
class YearStatistics:
    """Everything computed for one region type and year (kept when ``keep_matrices``)."""

    matrix: RegionIndustryMatrix
    rca: np.ndarray
    presence: np.ndarray
    complexity: EconomicComplexity
    phi: np.ndarray
    density: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    fitness: FitnessComplexity | None = None


@dataclass
class ComplexityResult:
    """The three published tables, the closest-industry table and per-year diagnostics."""

    region: pd.DataFrame
    industry: pd.DataFrame
    density: pd.DataFrame
    proximity: pd.DataFrame
    diagnostics: list[dict[str, Any]]
    years: dict[tuple[str, int], YearStatistics] = field(default_factory=dict)


def statistics_of(matrix: RegionIndustryMatrix, options: ComplexityOptions) -> YearStatistics:
    """Steps 1-6 of the module docstring for one matrix."""
    rca = RevealedComparativeAdvantage(
        matrix.employment, region_totals=matrix.region_totals, threshold=options.threshold
    )
    m = rca.presence
    mf = m.astype(np.float64)  # the 0/1 matrix every product below uses (converted once)
    ec = EconomicComplexity(mf)
    if options.proximity_table is not None:
        phi = proximity_from_table(options.proximity_table, matrix.industries)
    else:
        phi = proximity(m)
    dens = relatedness_density(mf, phi)
    fit = FitnessComplexity(m) if options.fitness else None
    return YearStatistics(
        matrix=matrix,
        rca=rca.rca,
        presence=m,
        complexity=ec,
        phi=phi,
        density=dens,
        coi=complexity_outlook_index(m, dens, ec.pci),
        cog=complexity_outlook_gain(mf, phi, ec.pci),
        fitness=fit,
    )


def compute_matrices(
    matrices: list[RegionIndustryMatrix], options: ComplexityOptions | None = None
) -> ComplexityResult:
    """Statistics of every matrix, assembled into long tables.

    The output columns are allocated once and filled year by year (the density table of a
    3,000 x 1,000 x 10 panel is 30 M rows), and become DataFrame columns without a copy.
    """
    opts = options or ComplexityOptions()
    all_regions = pd.Index(
        sorted({c for m in matrices for c in m.regions.astype(str)}), dtype="string"
    )
    all_industries = pd.Index(
        sorted({c for m in matrices for c in m.industries.astype(str)}), dtype="string"
    )
    all_types = pd.Index(sorted({m.region_type for m in matrices}), dtype="string")
    cats = {"region_type": all_types, "region_code": all_regions, "industry_code": all_industries}
    cats["related_industry_code"] = all_industries
    region_cols = _with_fitness(REGION_COLUMNS, "fitness", opts)
    industry_cols = _with_fitness(INDUSTRY_COLUMNS, "fc_complexity", opts)
    region = _Columns(sum(m.shape[0] for m in matrices), region_cols, cats)
    industry = _Columns(sum(m.shape[1] for m in matrices), industry_cols, cats)
    dens = _Columns(
        sum(m.shape[0] * m.shape[1] for m in matrices), _density_columns(matrices), cats
    )
    proximity_parts: list[dict[str, np.ndarray]] = []
    diagnostics: list[dict[str, Any]] = []
    kept: dict[tuple[str, int], YearStatistics] = {}
    for matrix in matrices:
        s = statistics_of(matrix, opts)
        n_r, n_p = matrix.shape
        r_idx = all_regions.get_indexer(matrix.regions.astype(str))
        p_idx = all_industries.get_indexer(matrix.industries.astype(str))
        t_code = int(all_types.get_loc(matrix.region_type))
        m = s.presence
        region_part = {
            "region_type": t_code,
            "region_code": r_idx,
            "year": matrix.year,
            "diversity": diversity(m),
            "eci": s.complexity.eci,
            "coi": s.coi,
        }
        industry_part = {
            "region_type": t_code,
            "industry_code": p_idx,
            "year": matrix.year,
            "ubiquity": ubiquity(m),
            "pci": s.complexity.pci,
            "employment": matrix.employment.sum(axis=0),
            "proximity_sum": np.nansum(s.phi, axis=1),
        }
        if s.fitness is not None:
            region_part["fitness"] = s.fitness.fitness
            industry_part["fc_complexity"] = s.fitness.complexity
        region.put(n_r, region_part)
        industry.put(n_p, industry_part)
        cells = {
            "region_type": t_code,
            "region_code": r_idx[:, None],
            "industry_code": p_idx[None, :],
            "year": matrix.year,
            "employment": matrix.employment,
            "rca": s.rca,
            "present": m,
            "density": s.density,
            "cog": s.cog,
        }
        if matrix.imputed is not None:
            cells["employment_imputed"] = matrix.imputed
        dens.put(n_r * n_p, cells, shape=(n_r, n_p))
        proximity_parts.append(_neighbours(s.phi, p_idx, t_code, matrix.year, opts.neighbours))
        diagnostics.append(_diagnostics(s, opts))
        if opts.keep_matrices:
            kept[(matrix.region_type, matrix.year)] = s
    prox = _Columns(sum(len(p["rank"]) for p in proximity_parts), PROXIMITY_COLUMNS, cats)
    for part in proximity_parts:
        prox.put(len(part["rank"]), part)
    return ComplexityResult(
        region=region.frame(),
        industry=industry.frame(),
        density=dens.frame(),
        proximity=prox.frame(),
        diagnostics=diagnostics,
        years=kept,
    )


def compute_complexity(
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
    options: ComplexityOptions | None = None,
    source: str = "<table>",
) -> ComplexityResult:
    """Every complexity statistic of a long employment table (see :func:`matrices_from_long`
    for the input conventions and :class:`ComplexityOptions` for the choices)."""
    matrices = matrices_from_long(
        df,
        region=region,
        industry=industry,
        year=year,
        value=value,
        region_type=region_type,
        region_totals=region_totals,
        imputed=imputed,
        absent=absent,
        source=source,
    )
    return compute_matrices(matrices, options)


def _density_columns(matrices: list[RegionIndustryMatrix]) -> list[str]:
    if matrices and all(m.imputed is not None for m in matrices):
        return [*DENSITY_COLUMNS[:5], "employment_imputed", *DENSITY_COLUMNS[5:]]
    return DENSITY_COLUMNS


def _with_fitness(columns: list[str], extra: str, opts: ComplexityOptions) -> list[str]:
    return [*columns, extra] if opts.fitness else columns


def _neighbours(
    phi: np.ndarray, p_idx: np.ndarray, t_code: int, year: int, k: int
) -> dict[str, np.ndarray]:
    """The ``k`` closest other industries of each industry (proximity > 0), closest first."""
    n = phi.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return {c: empty for c in PROXIMITY_COLUMNS}
    p = np.nan_to_num(phi, nan=0.0).copy()
    np.fill_diagonal(p, -1.0)
    top = np.argpartition(-p, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(p, top, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    keep = (vals > 0).ravel()
    rows = np.repeat(np.arange(n), k)[keep]
    return {
        "region_type": np.full(int(keep.sum()), t_code),
        "year": np.full(int(keep.sum()), year),
        "industry_code": p_idx[rows],
        "related_industry_code": p_idx[top.ravel()[keep]],
        "proximity": vals.ravel()[keep],
        "rank": np.tile(np.arange(1, k + 1), n)[keep],
    }


INTEGER_COLUMNS = ("year", "diversity", "ubiquity", "rank")


def _code_dtype(n: int) -> type[np.signedinteger]:
    """The integer type pandas keeps categorical codes in (so ``from_codes`` copies nothing)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


class _Columns:
    """Columns of a long table allocated once and filled part by part."""

    def __init__(self, n: int, columns: list[str], categories: dict[str, pd.Index]) -> None:
        self.columns = columns
        self.categories = categories
        self.offset = 0
        self.arrays: dict[str, np.ndarray] = {}
        for col in columns:
            if col in categories:
                dtype: Any = _code_dtype(len(categories[col]))
            elif col in INTEGER_COLUMNS:
                dtype = np.int64
            elif col == "present":
                dtype = bool
            else:
                dtype = np.float64
            self.arrays[col] = np.empty(n, dtype=dtype)

    def put(self, n: int, values: dict[str, Any], shape: tuple[int, ...] | None = None) -> None:
        """Write the next ``n`` rows; arrays broadcast to ``shape`` (row-major) when given."""
        end = self.offset + n
        for col in self.columns:
            target = self.arrays[col][self.offset : end]
            if shape is not None:
                target = target.reshape(shape)
            target[...] = values[col]
        self.offset = end

    def frame(self) -> pd.DataFrame:
        data: dict[str, Any] = {}
        for col in self.columns:
            values = self.arrays[col][: self.offset]
            if col in self.categories:
                data[col] = pd.Categorical.from_codes(values, self.categories[col])
            else:
                data[col] = values
        # copy=False: the columns stay separate arrays (no consolidation into one block).
        return pd.DataFrame(data, columns=self.columns, copy=False)


def _diagnostics(s: YearStatistics, opts: ComplexityOptions) -> dict[str, Any]:
    m = s.matrix
    ec = s.complexity
    out: dict[str, Any] = {
        "region_type": m.region_type,
        "year": int(m.year),
        "regions": int(m.shape[0]),
        "industries": int(m.shape[1]),
        "present_cells": int(s.presence.sum()),
        "eigenvalues": [round(float(v), 12) for v in ec.eigenvalues],
        "connected": ec.connected,
        "excluded_regions": m.excluded_regions,
        "excluded_industries": m.excluded_industries,
    }
    if s.fitness is not None:
        out["fitness_iterations"] = s.fitness.iterations
        out["fitness_converged"] = s.fitness.converged
    return out
