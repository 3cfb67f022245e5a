"""A plain pandas script computing the same CMP/ECO measures as ``clusterobs mapping build`` on
the CBP states (the peer of ``bench_small_build.py``; written apart from the engine).

    python benchmarks/mapping/plain_pandas_build.py CBP.parquet DEFINITION.csv OUT_DIR 2008 2011

Reads the CBP file, imputes suppressed cells at their size-class midpoints, keeps 6-digit rows,
joins the definition (same classification as the data, as the NAICS 2007 definition on CBP
2008-2011), sums clusters per state and year, and computes both LQs, shares, wages, the
percentile thresholds (numpy linear), the four U.S. Cluster Mapping flags, the three ECO stars,
employment and LQ rank percentiles, cluster strength, and the change table (consecutive pairs and
first-to-last: CAGR, job creation, expected job creation, LQ change, Dunn shift-share, ranks);
writes two Parquet files.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MIDPOINT = {"A": 10, "B": 60, "C": 175, "E": 375, "F": 750, "G": 1750, "H": 3750,
            "I": 7500, "J": 17500, "K": 37500, "L": 75000, "M": 100000}  # fmt: skip
WEB_LOCAL = range(101, 200)


def definition(path: Path) -> pd.DataFrame:
    d = pd.read_csv(path, dtype=str)
    return pd.DataFrame(
        {
            "naics": d["naics2007"],
            "cluster": d["cluster_id"],
            "traded": ~d["cluster_id"].astype(int).isin(WEB_LOCAL),
        }
    )


def quantile(df: pd.DataFrame, col: str, q: float, keys: list[str]) -> pd.Series:
    peers = df[df["employment"] > 0]
    t = peers.groupby(keys)[col].quantile(q)
    return df.join(t.rename("_q"), on=keys)["_q"]


def rank_pct(df: pd.DataFrame, col: str, keys: list[str], peers: pd.Series) -> tuple:
    v = df[col].where(peers & df[col].notna())
    g = v.groupby([df[k] for k in keys])
    asc = g.rank(method="min") - 1
    n = g.transform("count")
    return g.rank(method="min", ascending=False), np.floor(100 * (asc + 0.5) / n + 0.5)


def main(cbp: Path, defs: Path, out: Path, first: int, last: int) -> None:
    raw = pd.read_parquet(cbp, filters=[("year", ">=", first), ("year", "<=", last)])
    raw["emp"] = raw["emp"].astype("float64")
    suppressed = raw["empflag"].notna() & (raw["empflag"] != "")
    raw["employment"] = np.where(suppressed, raw["empflag"].map(MIDPOINT), raw["emp"])
    raw["reported"] = raw["emp"].where(~suppressed)
    raw["suppressed"] = suppressed  # a column: the merge below renumbers the rows
    totals = raw[raw["naics"] == "------"].set_index(["fipstate", "year"])["employment"]
    six = raw[raw["naics"].str.fullmatch(r"\d{6}")]
    six = six.merge(definition(defs), on="naics")
    ok = six["ap_nf"].fillna("") != "D"
    six["payroll"] = (six["ap"] * 1000.0).where(~six["suppressed"] & ok)
    six["wage_emp"] = six["reported"].where(six["payroll"].notna())
    keys = ["fipstate", "year", "cluster", "traded"]
    c = six.groupby(keys, as_index=False).agg(
        employment=("employment", "sum"),
        establishments=("est", "sum"),
        payroll=("payroll", "sum"),
        wage_emp=("wage_emp", "sum"),
    )
    c["wage"] = c["payroll"] / c["wage_emp"].where(c["wage_emp"] > 0)
    part = c.groupby(["fipstate", "year", "traded"])["employment"].transform("sum")
    nat_c = c.groupby(["year", "cluster"])["employment"].transform("sum")
    nat_part = c.groupby(["year", "traded"])["employment"].transform("sum")
    c["region_total"] = totals.reindex(pd.MultiIndex.from_frame(c[["fipstate", "year"]])).values
    nat_total = c.drop_duplicates(["fipstate", "year"]).groupby("year")["region_total"].sum()
    c["national_total"] = c["year"].map(nat_total)
    c["lq_traded_local"] = (c["employment"] / part) / (nat_c / nat_part)
    c["lq_total"] = (c["employment"] / c["region_total"]) / (nat_c / c["national_total"])
    c["region_share"] = c["employment"] / c["region_total"]
    c["national_share"] = c["employment"] / nat_c
    peer = ["year", "cluster"]
    q = {f"lq{p}": quantile(c, "lq_traded_local", p / 100, peer) for p in (25, 50, 75, 90)}
    size = (c["employment"] > quantile(c, "employment", 0.25, peer)) & (
        c["establishments"] > quantile(c, "establishments", 0.25, peer)
    )
    lq = c["lq_traded_local"]
    c["qualifying"] = (lq > q["lq25"]) & size & c["traded"]
    c["significant"] = (lq > q["lq50"]) & size & c["traded"]
    c["strong"] = (lq >= q["lq75"]) & (lq >= 1) & size & c["traded"]
    c["strong10"] = (lq >= q["lq90"]) & (lq >= 1) & size & c["traded"]
    c["star_size"] = c["employment"] >= quantile(c, "employment", 0.9, peer)
    c["star_specialisation"] = c["lq_total"] >= 2
    c["star_focus"] = c["region_share"] >= quantile(c, "region_share", 0.9, peer)
    c["eco_stars"] = c[["star_size", "star_specialisation", "star_focus"]].sum(axis=1)
    peers = c["employment"] > 0
    c["employment_rank"], c["employment_percentile"] = rank_pct(c, "employment", peer, peers)
    c["lq_rank"], c["lq_percentile"] = rank_pct(c, "lq_traded_local", peer, peers)
    strong_emp = c["employment"].where(c["strong"], 0.0)
    ry = c.groupby(["fipstate", "year"]).apply(
        lambda g: strong_emp[g.index].sum() / g.loc[g["traded"], "employment"].sum()
    )
    c.to_parquet(out / "cluster_region_year.parquet", index=False)
    ry.rename("cluster_strength").reset_index().to_parquet(out / "region_year.parquet")
    years = sorted(c["year"].unique())
    pairs = [*itertools.pairwise(years), (years[0], years[-1])]
    frames = []
    cell = ["fipstate", "cluster"]
    for a, b in pairs:
        s = c[c["year"] == a].set_index(cell)
        e = c[c["year"] == b].set_index(cell)
        j = s.join(e, how="outer", suffixes=("_s", "_e")).reset_index()
        e0, e1 = j["employment_s"].fillna(0.0), j["employment_e"].fillna(0.0)
        nat = c.groupby(["year", "cluster"])["employment"].sum()
        g_c = j["cluster"].map(nat.xs(b)) / j["cluster"].map(nat.xs(a)) - 1
        g_n = nat_total[b] / nat_total[a] - 1
        ch = pd.DataFrame({"fipstate": j["fipstate"], "cluster": j["cluster"], "start": a,
                           "end": b, "employment_start": e0, "employment_end": e1})  # fmt: skip
        ch["emp_cagr"] = np.where(e0 > 0, (e1 / e0.where(e0 > 0)) ** (1 / (b - a)) - 1, np.nan)
        ch["job_creation"] = e1 - e0
        ch["expected_job_creation"] = e0 * g_c
        ch["lq_change"] = j["lq_traded_local_e"] - j["lq_traded_local_s"]
        ch["ss_national_share"] = e0 * g_n
        ch["ss_industry_mix"] = e0 * (g_c - g_n)
        ch["ss_regional_share"] = e1 - e0 * (1 + g_c)
        p = e0 > 0
        ch["job_creation_rank"], _ = rank_pct(ch, "job_creation", ["cluster"], p)
        ch["emp_cagr_rank"], _ = rank_pct(ch, "emp_cagr", ["cluster"], p)
        frames.append(ch)
    pd.concat(frames).to_parquet(out / "cluster_region_change.parquet", index=False)


if __name__ == "__main__":
    cbp, defs, out, first, last = sys.argv[1:6]
    Path(out).mkdir(parents=True, exist_ok=True)
    main(Path(cbp), Path(defs), Path(out), int(first), int(last))
