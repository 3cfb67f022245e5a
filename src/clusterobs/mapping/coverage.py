"""Coverage: how much of a region's published total its detailed industries add up to.

Why: clusters are sums of detailed industries. When the detailed rows of a year cover only part
of the published all-industry total (CBP's NAICS 1997 years lack most wholesale detail: 82 % in
California 2000-2002 against 98-100 % from 2003), a cluster's employment is understated in those
years and its growth across the break is an artefact (+26.9 % a year for California's
Distribution and Electronic Commerce 2000-2011). So, per region and year::

    coverage = detailed employment / published total employment   (null without a total row)

A region-year is flagged ``low`` when coverage < :data:`MIN_COVERAGE` and ``jump`` when it moves
by more than :data:`MAX_JUMP` from the region's previous year; the manifest, the CLI and the
observatory pages say so. Every change-table row says whether its two years use different
classification vintages (``vintage_break``) or whether the region's coverage breaks between them
(``coverage_break``), and the default growth period stays within one vintage (:func:`pairs`).
Detailed sums may exceed the total slightly (imputed midpoints, rounding in the source): that is
not flagged.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

MIN_COVERAGE = 0.90
MAX_JUMP = 0.05
COVERAGE_RULE = (
    f"coverage = detailed / published total employment; flagged below {MIN_COVERAGE:.0%} or "
    f"when it moves by more than {MAX_JUMP * 100:.0f} points from the previous year"
)


def with_coverage(region: pd.DataFrame) -> pd.DataFrame:
    """``region`` (one row per region and year, with ``total_row`` and
    ``detailed_employment``) plus ``coverage`` and ``coverage_flag`` (``low``, ``jump`` or
    null)."""
    region = region.sort_values(["region_type", "region_code", "year"], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = region["detailed_employment"] / region["total_row"].where(region["total_row"] > 0)
    region["coverage"] = cov.astype("float64")
    previous = region.groupby(["region_type", "region_code"])["coverage"].shift()
    jump = (region["coverage"] - previous).abs() > MAX_JUMP
    low = region["coverage"] < MIN_COVERAGE
    flag = np.select([low, jump], ["low", "jump"], default="")
    region["coverage_flag"] = pd.Series(flag, index=region.index).replace("", pd.NA)
    region["coverage_flag"] = region["coverage_flag"].astype("string")
    return region


def warnings(region: pd.DataFrame) -> list[dict[str, Any]]:
    """One warning per year and kind of flag, with the regions concerned."""
    out = []
    flagged = region[region["coverage_flag"].notna()]
    for (year, flag), part in flagged.groupby(["year", "coverage_flag"]):
        n, total = len(part), int((region["year"] == year).sum())
        median = float(part["coverage"].median())
        what = (
            f"detailed industries cover less than {MIN_COVERAGE:.0%} of the published total"
            if flag == "low"
            else f"coverage moves by more than {MAX_JUMP * 100:.0f} points from the year before"
        )
        out.append(
            {
                "year": int(year),
                "flag": str(flag),
                "regions": sorted(part["region_code"].astype(str)),
                "message": f"{int(year)}: {what} in {n} of {total} regions "
                f"(median coverage {median:.1%}); clusters are understated or not comparable",
            }
        )
    return out


def pairs(years: list[int], vintages: dict[int, str]) -> list[tuple[int, int]]:
    """Year pairs of the change table: consecutive years, first to last year of each run of one
    classification vintage (the default growth period of a page), and first to last overall
    (flagged as a vintage break when it crosses one)."""
    ys = sorted(set(years))
    out = list(itertools.pairwise(ys))
    runs = [list(g) for _, g in itertools.groupby(ys, key=lambda y: vintages.get(y, ""))]
    out += [(run[0], run[-1]) for run in runs if len(run) > 2]
    if len(ys) > 2:
        out.append((ys[0], ys[-1]))
    return list(dict.fromkeys(out))


def pair_breaks(
    region: pd.DataFrame, chosen: list[tuple[int, int]], vintages: dict[int, str]
) -> pd.DataFrame:
    """``r, start_year, end_year, vintage_break, coverage_break`` for every region and pair:
    a vintage break when the two years use different classifications; a coverage break when
    the region's coverage differs by more than :data:`MAX_JUMP` between them (two years of
    equally low coverage are understated alike and stay comparable)."""
    cov = region[["r", "year", "coverage", "coverage_flag"]]
    frames = []
    for start, end in chosen:
        s = cov[cov["year"] == start].set_index("r")
        e = cov[cov["year"] == end].set_index("r")
        j = s.join(e, how="outer", suffixes=("_s", "_e"))
        moved = (j["coverage_e"] - j["coverage_s"]).abs() > MAX_JUMP
        frames.append(
            pd.DataFrame(
                {
                    "r": j.index.astype("int64"),
                    "start_year": start,
                    "end_year": end,
                    "vintage_break": vintages.get(start) != vintages.get(end),
                    "coverage_break": moved.fillna(False).to_numpy(dtype=bool),
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            columns=["r", "start_year", "end_year", "vintage_break", "coverage_break"]
        )
    return pd.concat(frames, ignore_index=True)
