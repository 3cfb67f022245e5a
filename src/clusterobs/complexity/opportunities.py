"""Diversification opportunities of a region, with reasons, and the smart-specialisation check.

Opportunities (Hidalgo et al. 2007; Hausmann et al. 2014 "strategic bets"; Balland et al.
2019): the industries a region does not yet specialise in (``M_rp = 0``), ranked by
*feasibility* (relatedness density: the region already has related industries) and *value*
(PCI: more complex industries pay and diversify more; COG: how much the move opens further
moves; the industry's national wage and employment growth). Each criterion is standardised
over the region's candidates (z-score) and combined with :data:`WEIGHTS` -- a convention of
ours, stated on the pages: half feasibility, half value. A criterion a candidate lacks (e.g.
no published wage) is left out of its score and the other weights are rescaled.

Reasons: the industries *present* in the region among the candidate's closest industries
(highest proximity ``phi``), with the share of the candidate's density they account for
(``sum of their phi / sum_p' M_rp' phi_pp'``).

Smart-specialisation check (Balland, Boschma, Crespo & Rigby 2019, "Smart specialization
policy in the European Union: relatedness, knowledge complexity and regional
diversification", *Regional Studies* 53(9): 1252-1268): each priority a region declared is
placed on relatedness density x complexity. The quadrants split at the median density of the
region's candidates and the median PCI of all industries of the year:

* high relatedness, high complexity -- "ideal": low risk, high benefit;
* low relatedness, high complexity -- "ambitious": high benefit, high risk;
* high relatedness, low complexity -- "safe": low risk, low benefit;
* low relatedness, low complexity -- "least promising": high risk, low benefit.

A priority naming several units (a cluster made of industries) is placed at the
national-employment-weighted mean of its units' density and PCI.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

WEIGHTS: dict[str, float] = {
    "density": 0.5,
    "pci": 0.2,
    "cog": 0.2,
    "wage": 0.05,
    "employment_growth": 0.05,
}
REASONS = 3
QUADRANTS = {
    (True, True): "ideal",
    (False, True): "ambitious",
    (True, False): "safe",
    (False, False): "least_promising",
}
OPPORTUNITY_COLUMNS = [
    "rank",
    "industry_code",
    "industry_name",
    "score",
    "density",
    "pci",
    "cog",
    "rca",
    "employment",
    "national_employment",
    "wage",
    "employment_growth",
    "reasons",
    "reasons_share",
]


def candidates(units: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``units`` that are opportunities: not present, with a PCI and employment."""
    ok = ~units["present"].astype(bool) & units["pci"].notna()
    ok &= units["national_employment"].fillna(0) > 0
    return units[ok]


def rank_opportunities(
    units: pd.DataFrame, *, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Score and rank a region's candidates.

    ``units``: one row per industry of the region and year with ``industry_code, present,
    density, pci, cog, national_employment`` and optionally ``wage, employment_growth``.
    Returns the candidates sorted by ``score`` (rank 1 = best; ties to 1e-12 broken by
    density, then code) with a ``z_<criterion>`` column per criterion.
    """
    w = dict(WEIGHTS if weights is None else weights)
    out = candidates(units).copy()
    num = pd.Series(0.0, index=out.index)
    den = pd.Series(0.0, index=out.index)
    for col, weight in w.items():
        if col not in out.columns or weight == 0:
            continue
        values = out[col].astype("float64")
        std = values.std(ddof=0)
        z = (values - values.mean()) / std if std and np.isfinite(std) else values * 0.0
        out[f"z_{col}"] = z
        has = z.notna()
        num[has] += weight * z[has]
        den[has] += weight
    out["score"] = num / den.where(den > 0)
    # Ties (equal to 1e-12: rounding noise of the z-scores) go to the more related candidate.
    out["_key"] = out["score"].round(12)
    out = out.sort_values(["_key", "density", "industry_code"], ascending=[False, False, True])
    out = out.drop(columns="_key")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def reasons(
    codes: list[str],
    present: set[str],
    neighbours: pd.DataFrame,
    density: Mapping[str, float],
    proximity_sum: Mapping[str, float],
    *,
    top: int = REASONS,
) -> dict[str, tuple[list[tuple[str, float]], float | None]]:
    """For each candidate code: its closest present industries ``[(code, phi), ...]`` (at most
    ``top``) and the share of its density they account for.

    ``neighbours``: ``industry_code, related_industry_code, proximity`` (the closest industries
    kept in the build, closest first).
    """
    near = neighbours[neighbours["related_industry_code"].isin(present)]
    near = near[near["industry_code"].isin(codes)]
    out: dict[str, tuple[list[tuple[str, float]], float | None]] = {}
    for code, g in near.groupby("industry_code", sort=False):
        g = g.sort_values("proximity", ascending=False).head(top)
        related = zip(g["related_industry_code"], g["proximity"], strict=True)
        pairs = [(str(c), float(p)) for c, p in related]
        total = density.get(code, np.nan) * proximity_sum.get(code, np.nan)
        share = sum(p for _, p in pairs) / total if total and np.isfinite(total) else None
        out[str(code)] = (pairs, share)
    return out


def place(units: pd.DataFrame, codes: list[str]) -> dict[str, float | None]:
    """Density, PCI and COG of a set of units: national-employment-weighted means; share of
    the units the region already specialises in."""
    rows = units[units["industry_code"].isin(codes)]
    if rows.empty:
        return {"density": None, "pci": None, "cog": None, "present_share": None}
    w = rows["national_employment"].fillna(0).astype("float64")
    if w.sum() <= 0:
        w = pd.Series(1.0, index=rows.index)

    def mean(col: str) -> float | None:
        ok = rows[col].notna()
        return float(np.average(rows.loc[ok, col], weights=w[ok])) if ok.any() else None

    return {
        "density": mean("density"),
        "pci": mean("pci"),
        "cog": mean("cog"),
        "present_share": float(rows["present"].astype(bool).mean()),
    }


def check_priorities(
    units: pd.DataFrame,
    priorities: Mapping[str, list[str]],
    *,
    all_pci: pd.Series,
) -> dict[str, object]:
    """Place each declared priority on relatedness x complexity (see module docstring).

    ``units``: the region's rows (as for :func:`rank_opportunities`); ``priorities``: label ->
    unit codes; ``all_pci``: PCI of every industry of the year (the complexity cut).
    """
    cand = candidates(units)
    density_cut = float(cand["density"].median()) if len(cand) else float("nan")
    pci_cut = float(all_pci.dropna().median()) if all_pci.notna().any() else float("nan")
    ranked = rank_opportunities(units)
    rank_of = dict(zip(ranked["industry_code"], ranked["rank"], strict=True))
    rows = []
    for label, codes in priorities.items():
        pos = place(units, codes)
        quadrant = None
        if pos["density"] is not None and pos["pci"] is not None:
            quadrant = QUADRANTS[(pos["density"] >= density_cut, pos["pci"] >= pci_cut)]
        ranks = [rank_of[c] for c in codes if c in rank_of]
        rows.append(
            {
                "priority": label,
                "units": len(codes),
                **pos,
                "quadrant": quadrant,
                "best_rank": min(ranks) if ranks else None,
            }
        )
    return {
        "density_cut": density_cut,
        "pci_cut": pci_cut,
        "candidates": len(cand),
        "rows": rows,
    }
