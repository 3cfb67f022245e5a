"""Optional estimation of confidential Eurostat cells within the published parent totals.

Eurostat suppresses a cell (``: c``) that would disclose a respondent, together with enough
other cells that it cannot be recovered by subtraction within one table. The published parents
still bound the suppressed children in **two hierarchies**: industries (a NACE section is the sum
of its divisions, a division of its groups -- G45-G47 in the regional SBS) and regions (a
country is the sum of its NUTS 1 regions and their Extra-Regio part, a NUTS 1 region of its NUTS
2 regions). This module estimates the persons employed of confidential cells so that both
bounds hold, in the spirit of the constrained CBP imputation of
:mod:`clusterobs.mapping.imputation` (Isserman & Westervelt 2006; Eckert, Fort, Schott & Yang
2020: published totals must hold). It is **off by default** (``read_sbs(estimate="bounded")``),
and an estimate never replaces a reported value: ``employment_reported`` stays null, the estimate
is in ``employment_estimated`` and ``estimation_method`` says how it was made.

For every year, working on the codes as published (so that a NUTS code's parent is one character
shorter within one NUTS version):

1. ``difference`` (exact): a confidential cell that is the only unknown child of a known parent,
   all its siblings reported, is ``parent - sum(siblings)``; a confidential parent whose
   children are all reported (or already derived) is their sum. Repeated until nothing changes.
2. ``ras`` (estimate): the remaining confidential cells are grouped in blocks of the same region
   parent and industry parent, taken top-down (countries before NUTS 1 before NUTS 2, sections
   before divisions before groups, so that estimated parents bound their children). In a block
   the row targets are ``V(r, parent industry) - reported siblings`` and the column targets
   ``V(parent region, i) - reported siblings``; the cells are fitted to both by iterative
   proportional fitting (RAS; Deming & Stephan 1940, Bacharach 1970), starting from a seed of
   ``local units(r, i) x persons per local unit of industry i in the parent region`` (local
   units, ``V11210``, are published for most confidential employment cells) or 1 where that is
   unknown. Where only one margin is usable the cells share it in proportion to the seed. A
   margin cannot be used when its parent is unknown, when a sibling is not available at all
   (``:``, which may hide any value), or when it is negative (the published cells disagree);
   a block without any usable margin stays unestimated and is counted in the notes.

Estimates are never negative and never exceed a usable margin. They do not add back to exactly
the parent when the two margins are inconsistent (rounding, flags ``d``/``b``); the fit stops
after :data:`MAX_ITER` rounds or when the margins agree to :data:`TOLERANCE`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

MAX_ITER = 200
TOLERANCE = 1e-6  # relative change of the cells between two RAS rounds

#: NACE Rev.2 sections by division (Eurostat, NACE Rev.2 structure).
_SECTION_RANGES = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}  # fmt: skip


def nace_section(division: str) -> str | None:
    """The section letter of a 2-digit NACE division (``29`` -> ``C``)."""
    d = int(division)
    for letter, (lo, hi) in _SECTION_RANGES.items():
        if lo <= d <= hi:
            return letter
    return None


def industry_parent(code: str, sections_present: set[str]) -> str | None:
    """Parent in the published industry hierarchy: group -> division, division -> section (if
    the file has the section row), section -> none."""
    if code.isalpha():
        return None
    if "." in code:
        return code.split(".")[0]
    section = nace_section(code)
    return section if section in sections_present else None


def _region_parent(code: str) -> str | None:
    return code[:-1] if len(code) > 2 else None


def estimate_confidential(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Fill ``employment_estimated`` and ``estimation_method`` for confidential cells.

    ``frame`` has one row per published code (``source_region_code``), industry and year with
    ``industry_code``, ``employment_value``/``employment_status`` and, for the seed,
    ``establishments_value`` (local units); rows whose cells are all missing must still be
    present (they tell which siblings are unknown). Returns the frame and notes with counts.
    """
    frame = frame.copy()
    est = np.full(len(frame), np.nan)
    method = np.full(len(frame), None, dtype=object)
    counts: dict[str, int] = defaultdict(int)
    for _, idx in frame.groupby("year").groups.items():
        part = frame.loc[idx]
        values, methods, year_counts = _estimate_year(part)
        pos = frame.index.get_indexer(idx)
        est[pos] = values
        method[pos] = methods
        for k, v in year_counts.items():
            counts[k] += v
    frame["employment_estimated"] = est
    frame["estimation_method"] = pd.array(method, dtype="string")
    total = int((frame["employment_status"] == "confidential").sum())
    notes = [
        "bounded estimation of confidential persons employed: "
        f"{counts['difference']:,} exact by difference, {counts['ras']:,} by RAS within parent "
        f"totals, {total - counts['difference'] - counts['ras']:,} of {total:,} left "
        f"unestimated ({counts['blocks_without_margin']:,} blocks without a usable parent "
        f"total, {counts['negative_margin']:,} margins negative)"
    ]
    return frame, notes


def _estimate_year(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    geo = part["source_region_code"].astype(str).to_numpy()
    ind = part["industry_code"].astype(str).to_numpy()
    status = part["employment_status"].astype(str).to_numpy()
    value = part["employment_value"].to_numpy(dtype="float64")
    lu = (
        part["establishments_value"].to_numpy(dtype="float64")
        if "establishments_value" in part.columns
        else np.full(len(part), np.nan)
    )
    key = list(zip(geo, ind, strict=True))
    pos = {k: i for i, k in enumerate(key)}
    sections = {c for c in set(ind) if c.isalpha()}
    known: dict[tuple[str, str], float] = {
        k: float(v) for k, v, s in zip(key, value, status, strict=True) if s == "reported"
    }
    unknown = {k for k, s in zip(key, status, strict=True) if s == "confidential"}
    missing = {k for k, s in zip(key, status, strict=True) if s not in ("reported", "confidential")}
    local_units = {k: float(v) for k, v in zip(key, lu, strict=True) if np.isfinite(v)}
    # Sorted everywhere: the order of the exact pass matters where published cells disagree,
    # and the result must not depend on Python's string hashing.
    regions = sorted(set(geo))
    industries = sorted(set(ind))
    region_set = set(regions)
    region_children: dict[str, list[str]] = defaultdict(list)
    for r in regions:
        p = _region_parent(r)
        if p is not None and p in region_set:
            region_children[p].append(r)
    industry_children: dict[str, list[str]] = defaultdict(list)
    for i in industries:
        p = industry_parent(i, sections)
        if p is not None:
            industry_children[p].append(i)
    out_value = np.full(len(part), np.nan)
    out_method = np.full(len(part), None, dtype=object)
    counts: dict[str, int] = defaultdict(int)

    def constraints() -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
        groups = []
        for r in regions:
            for p, kids in sorted(industry_children.items()):
                groups.append(((r, p), [(r, k) for k in kids]))
        for p, kids in sorted(region_children.items()):
            for i in industries:
                groups.append(((p, i), [(k, i) for k in kids]))
        return groups

    groups = [
        (parent, [k for k in kids if k in pos]) for parent, kids in constraints() if parent in pos
    ]
    # 1. Exact recoveries by difference, until nothing changes.
    derived: dict[tuple[str, str], float] = {}
    changed = True
    while changed:
        changed = False
        for parent, kids in groups:
            if any(k in missing for k in kids):
                continue
            open_kids = [k for k in kids if k in unknown and k not in derived]
            parent_known = parent in known or parent in derived
            if parent_known and len(open_kids) == 1:
                total = known.get(parent, derived.get(parent))
                rest = sum(known.get(k, derived.get(k, 0.0)) for k in kids if k != open_kids[0])
                if total is not None and total - rest >= 0:
                    derived[open_kids[0]] = total - rest
                    changed = True
            elif parent in unknown and parent not in derived and not open_kids:
                derived[parent] = sum(known.get(k, derived.get(k, 0.0)) for k in kids)
                changed = True
    for k, v in derived.items():
        out_value[pos[k]] = v
        out_method[pos[k]] = "difference"
        counts["difference"] += 1

    # 2. RAS blocks, top-down.
    def level(k: tuple[str, str]) -> tuple[int, int]:
        r, i = k
        ilevel = 0 if i.isalpha() else (2 if "." in i else 1)
        return (len(r), ilevel)

    def value_of(k: tuple[str, str]) -> float | None:
        if k in known:
            return known[k]
        if k in derived:
            return derived[k]
        if k in estimated:
            return estimated[k]
        return None

    estimated: dict[tuple[str, str], float] = {}
    open_cells = sorted((k for k in unknown if k not in derived), key=lambda k: (level(k), k))
    blocks: dict[tuple[Any, ...], list[tuple[str, str]]] = defaultdict(list)
    for k in open_cells:
        r, i = k
        blocks[(level(k), _region_parent(r), industry_parent(i, sections))].append(k)
    for (_lvl, rp, ip), cells in sorted(blocks.items(), key=lambda b: (b[0][0], str(b[0][1:]))):
        rows = sorted({r for r, _ in cells})
        cols = sorted({i for _, i in cells})
        cell_set = set(cells)
        row_target: dict[str, float] = {}
        if ip is not None:
            for r in rows:
                margin = value_of((r, ip))
                kids = [(r, k) for k in industry_children[ip] if (r, k) in pos]
                if margin is None or any(k in missing for k in kids):
                    continue
                rest = sum(value_of(k) or 0.0 for k in kids if k not in cell_set)
                if margin - rest < 0:
                    counts["negative_margin"] += 1
                    continue
                row_target[r] = margin - rest
        col_target: dict[str, float] = {}
        if rp is not None and rp in region_children:
            for i in cols:
                margin = value_of((rp, i))
                kids = [(k, i) for k in region_children[rp] if (k, i) in pos]
                if margin is None or any(k in missing for k in kids):
                    continue
                rest = sum(value_of(k) or 0.0 for k in kids if k not in cell_set)
                if margin - rest < 0:
                    counts["negative_margin"] += 1
                    continue
                col_target[i] = margin - rest
        if not row_target and not col_target:
            counts["blocks_without_margin"] += 1
            continue
        seed = {}
        for r, i in cells:
            units = local_units.get((r, i))
            ratio = None
            if rp is not None:
                pv, pu = value_of((rp, i)), local_units.get((rp, i))
                if pv is not None and pu:
                    ratio = pv / pu
            seed[(r, i)] = units * ratio if units and ratio else (units or 1.0)
            seed[(r, i)] = max(seed[(r, i)], 1e-9)
        fitted = _ras(cells, seed, row_target, col_target)
        for k, fit in fitted.items():
            if fit is None:
                continue
            estimated[k] = fit
            out_value[pos[k]] = fit
            out_method[pos[k]] = "ras"
            counts["ras"] += 1
    return out_value, out_method, counts


def _ras(
    cells: list[tuple[str, str]],
    seed: dict[tuple[str, str], float],
    row_target: dict[str, float],
    col_target: dict[str, float],
) -> dict[tuple[str, str], float | None]:
    """Iterative proportional fitting of ``cells`` to the usable row and column targets.

    Cells in neither a usable row nor a usable column get None (not estimated)."""
    x = dict(seed)
    for _ in range(MAX_ITER):
        before = dict(x)
        for target, axis in ((row_target, 0), (col_target, 1)):
            sums: dict[str, float] = defaultdict(float)
            for k in cells:
                sums[k[axis]] += x[k]
            for k in cells:
                t = target.get(k[axis])
                if t is not None:
                    x[k] = x[k] * t / sums[k[axis]] if sums[k[axis]] > 0 else 0.0
        change = max(abs(x[k] - before[k]) / max(abs(before[k]), 1.0) for k in cells)
        if change < TOLERANCE:
            break
    return {k: (x[k] if (k[0] in row_target or k[1] in col_target) else None) for k in cells}
