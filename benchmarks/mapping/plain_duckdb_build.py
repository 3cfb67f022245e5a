"""The same CMP/ECO measures as ``plain_pandas_build.py``, as one plain DuckDB SQL script with no
pandas, PyArrow or Ibis imported (a peer of ``bench_small_build.py``; written apart from the
engine).

    python benchmarks/mapping/plain_duckdb_build.py CBP.parquet DEFINITION.csv OUT_DIR 2008 2011

Why it exists: issue 11 asks the CLI's small build to take at most 0.8x a plain pandas script.
The engine runs on Ibis, whose import, connection and compilation of the build's expression
graphs already cost more than the pandas script's whole run. This script measures what the same
computation costs when SQL reaches DuckDB directly, i.e. the payoff of a small-input path that
runs SQL compiled ahead of time instead of Ibis at run time: the evidence for that design
decision, not a second implementation of the product.

Conventions are those of ``plain_pandas_build.py`` line for line: suppressed cells at their
size-class midpoints, 6-digit rows joined to the definition, linear-interpolated percentiles over
regions with employment, the four U.S. Cluster Mapping flags, three ECO stars, min-rank
percentiles, cluster strength and the change table of consecutive pairs and first-to-last.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

MIDPOINT = {"A": 10, "B": 60, "C": 175, "E": 375, "F": 750, "G": 1750, "H": 3750,
            "I": 7500, "J": 17500, "K": 37500, "L": 75000, "M": 100000}  # fmt: skip


def quantile(col: str, q: float) -> str:
    """Numpy-linear quantile of ``col`` over the peers (regions with employment) of a cell."""
    peers = "FILTER (WHERE employment > 0) OVER (PARTITION BY year, cluster)"
    return f"quantile_cont({col}, {q}) {peers}"


def ranks(col: str, keys: str, peers: str, prefix: str) -> str:
    """Descending min rank and the rounded min-rank percentile among the peers (nulls unranked)."""
    v = f"CASE WHEN {peers} AND {col} IS NOT NULL AND NOT isnan({col}) THEN {col} END"
    part = f"PARTITION BY {keys}, ({v}) IS NULL"
    return f"""
      CASE WHEN ({v}) IS NOT NULL THEN rank() OVER ({part} ORDER BY {v} DESC) END
        AS {prefix}_rank,
      CASE WHEN ({v}) IS NOT NULL THEN floor(100 * ((rank() OVER ({part} ORDER BY {v}) - 1) + 0.5)
        / count({v}) OVER (PARTITION BY {keys}) + 0.5) END AS {prefix}_percentile"""


def main(cbp: Path, defs: Path, out: Path, first: int, last: int) -> None:
    con = duckdb.connect()
    mid = " ".join(f"WHEN '{k}' THEN {v}" for k, v in MIDPOINT.items())
    con.execute(f"""
      CREATE TEMP TABLE raw AS
      SELECT fipstate, year, naics, est, ap, ap_nf,
             coalesce(empflag, '') <> '' AS suppressed,
             CASE WHEN coalesce(empflag, '') <> '' THEN CASE empflag {mid} END
                  ELSE CAST(emp AS DOUBLE) END AS employment,
             CASE WHEN coalesce(empflag, '') = '' THEN CAST(emp AS DOUBLE) END AS reported
      FROM read_parquet('{cbp}') WHERE year BETWEEN {first} AND {last}""")
    con.execute(f"""
      CREATE TEMP TABLE c AS
      WITH d AS (SELECT naics2007 AS naics, cluster_id AS cluster,
                        CAST(cluster_id AS INTEGER) NOT BETWEEN 101 AND 199 AS traded
                 FROM read_csv('{defs}', all_varchar = true)),
      six AS (
        SELECT r.*, d.cluster, d.traded,
               CASE WHEN NOT r.suppressed AND coalesce(r.ap_nf, '') <> 'D'
                    THEN r.ap * 1000.0 END AS payroll
        FROM raw r JOIN d USING (naics) WHERE regexp_full_match(r.naics, '\\d{{6}}')),
      agg AS (
        SELECT fipstate, year, cluster, traded, sum(employment) AS employment,
               sum(est) AS establishments, coalesce(sum(payroll), 0) AS payroll,
               coalesce(sum(CASE WHEN payroll IS NOT NULL THEN reported END), 0) AS wage_emp
        FROM six GROUP BY ALL),
      totals AS (SELECT fipstate, year, employment AS region_total FROM raw
                 WHERE naics = '------'),
      nat AS (SELECT year, sum(region_total) AS national_total FROM totals
              WHERE (fipstate, year) IN (SELECT DISTINCT fipstate, year FROM agg) GROUP BY year),
      shares AS (
        SELECT a.*, t.region_total, n.national_total,
               CASE WHEN wage_emp > 0 THEN payroll / wage_emp END AS wage,
               sum(employment) OVER (PARTITION BY fipstate, year, traded) AS part,
               sum(employment) OVER (PARTITION BY year, cluster) AS nat_c,
               sum(employment) OVER (PARTITION BY year, traded) AS nat_part
        FROM agg a LEFT JOIN totals t USING (fipstate, year) LEFT JOIN nat n USING (year)),
      lqs AS (
        SELECT *, (employment / part) / (nat_c / nat_part) AS lq_traded_local,
               (employment / region_total) / (nat_c / national_total) AS lq_total,
               employment / region_total AS region_share, employment / nat_c AS national_share
        FROM shares),
      thr AS (
        SELECT *, {quantile("lq_traded_local", 0.25)} AS lq25,
               {quantile("lq_traded_local", 0.5)} AS lq50,
               {quantile("lq_traded_local", 0.75)} AS lq75,
               {quantile("lq_traded_local", 0.9)} AS lq90,
               employment > {quantile("employment", 0.25)}
                 AND establishments > {quantile("establishments", 0.25)} AS size_ok,
               {quantile("employment", 0.9)} AS emp90,
               {quantile("region_share", 0.9)} AS share90
        FROM lqs),
      flags AS (
        SELECT *, coalesce(lq_traded_local > lq25 AND size_ok AND traded, false) AS qualifying,
               coalesce(lq_traded_local > lq50 AND size_ok AND traded, false) AS significant,
               coalesce(lq_traded_local >= lq75 AND lq_traded_local >= 1 AND size_ok AND traded,
                        false) AS strong,
               coalesce(lq_traded_local >= lq90 AND lq_traded_local >= 1 AND size_ok AND traded,
                        false) AS strong10,
               coalesce(employment >= emp90, false) AS star_size,
               coalesce(lq_total >= 2, false) AS star_specialisation,
               coalesce(region_share >= share90, false) AS star_focus
        FROM thr)
      SELECT fipstate, year, cluster, traded, employment, establishments, payroll, wage_emp, wage,
             region_total, national_total, lq_traded_local, lq_total, region_share,
             national_share, qualifying, significant, strong, strong10, star_size,
             star_specialisation, star_focus,
             CAST(star_size AS INT) + CAST(star_specialisation AS INT) + CAST(star_focus AS INT)
               AS eco_stars,
             {ranks("employment", "year, cluster", "employment > 0", "employment")},
             {ranks("lq_traded_local", "year, cluster", "employment > 0", "lq")}
      FROM flags""")
    con.execute(f"COPY c TO '{out / 'cluster_region_year.parquet'}' (FORMAT parquet)")
    con.execute(f"""
      COPY (SELECT fipstate, year,
                   sum(CASE WHEN strong THEN employment ELSE 0 END)
                     / sum(CASE WHEN traded THEN employment ELSE 0 END) AS cluster_strength
            FROM c GROUP BY fipstate, year ORDER BY fipstate, year)
      TO '{out / "region_year.parquet"}' (FORMAT parquet)""")
    con.execute(f"""
      COPY (
        WITH years AS (SELECT DISTINCT year FROM c),
        pairs AS (
          SELECT a.year AS start, min(b.year) AS "end" FROM years a JOIN years b ON b.year > a.year
          GROUP BY a.year
          UNION SELECT min(year), max(year) FROM years),
        nat AS (SELECT year, cluster, sum(employment) AS e FROM c GROUP BY ALL),
        natall AS (SELECT DISTINCT year, national_total FROM c),
        s AS (SELECT p.start, p."end", c.* FROM pairs p JOIN c ON c.year = p.start),
        e AS (SELECT p.start, p."end", c.* FROM pairs p JOIN c ON c.year = p."end"),
        j AS (
          SELECT coalesce(s.start, e.start) AS start, coalesce(s."end", e."end") AS "end",
                 coalesce(s.fipstate, e.fipstate) AS fipstate,
                 coalesce(s.cluster, e.cluster) AS cluster,
                 coalesce(s.employment, 0) AS e0, coalesce(e.employment, 0) AS e1,
                 e.lq_traded_local - s.lq_traded_local AS lq_change
          FROM s FULL JOIN e ON s.start = e.start AND s."end" = e."end"
                            AND s.fipstate = e.fipstate AND s.cluster = e.cluster),
        g AS (
          SELECT j.*, nb.e / na.e - 1 AS g_c, tb.national_total / ta.national_total - 1 AS g_n
          FROM j LEFT JOIN nat na ON na.year = j.start AND na.cluster = j.cluster
                 LEFT JOIN nat nb ON nb.year = j."end" AND nb.cluster = j.cluster
                 JOIN natall ta ON ta.year = j.start JOIN natall tb ON tb.year = j."end"),
        ch AS (
          SELECT fipstate, cluster, start, "end", e0 AS employment_start, e1 AS employment_end,
                 CASE WHEN e0 > 0 THEN pow(e1 / e0, 1.0 / ("end" - start)) - 1 END AS emp_cagr,
                 e1 - e0 AS job_creation, e0 * g_c AS expected_job_creation, lq_change,
                 e0 * g_n AS ss_national_share, e0 * (g_c - g_n) AS ss_industry_mix,
                 e1 - e0 * (1 + g_c) AS ss_regional_share
          FROM g)
        SELECT *, {ranks("job_creation", 'start, "end", cluster', "e0 > 0", "job_creation")},
               {ranks("emp_cagr", 'start, "end", cluster', "e0 > 0", "emp_cagr")}
        FROM (SELECT *, employment_start AS e0 FROM ch))
      TO '{out / "cluster_region_change.parquet"}' (FORMAT parquet)""")


if __name__ == "__main__":
    cbp, defs, out, first, last = sys.argv[1:6]
    Path(out).mkdir(parents=True, exist_ok=True)
    main(Path(cbp), Path(defs), Path(out), int(first), int(last))
