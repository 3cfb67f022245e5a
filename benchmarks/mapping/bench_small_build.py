"""Benchmark: the CLI build of the CBP states 2008-2011 against a plain pandas script computing
the same CMP/ECO measures (``plain_pandas_build.py``), side by side in one run.

    .venv/bin/python benchmarks/mapping/bench_small_build.py [--pairs 5]

Both read the embedded CBP Parquet and the NAICS 2007 U.S. Cluster Mapping definition
(``tests/fixtures``), and write Parquet. Each pair runs the two commands one after the other as
fresh processes (start-up included: that is what a user waits for); the order alternates. Reported:
median wall time and median CPU time (user + system of the child, all threads) of each, and their
ratios (CLI / pandas). Each peer's three tables are checked against the CLI's, value by value:
LQs, shares, wages, flags, stars, ranks, percentiles, cluster strength and the change table.

Also timed in the same run:
- a floor: a fresh Python that only imports the libraries the engine stands on (pandas, PyArrow,
  Ibis, DuckDB) and opens an Ibis DuckDB connection, computing nothing. No build on this stack can
  be faster than that floor, whatever it computes;
- ``plain_duckdb_build.py``: the same measures as plain DuckDB SQL, with neither pandas nor Ibis
  imported: what the small build could cost if SQL reached DuckDB without Ibis at run time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
CBP = REPO / "src" / "clusterobs" / "data" / "us" / "cbp_state_naics_2000_2011.parquet"
DEFS = REPO / "tests" / "fixtures" / "naics2007_to_cluster_uscmp_2014_web.csv"
BIN = Path(sys.executable).parent
FLOOR = "import pandas, pyarrow.parquet, ibis, duckdb; ibis.duckdb.connect()"
PEERS = {"pandas": "plain_pandas_build.py", "duckdb-sql": "plain_duckdb_build.py"}


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


CRT = ["employment", "establishments", "wage", "region_total", "national_total",
       "lq_traded_local", "lq_total", "region_share", "national_share", "qualifying",
       "significant", "strong", "strong10", "star_size", "star_specialisation", "star_focus",
       "eco_stars", "employment_rank", "employment_percentile", "lq_rank",
       "lq_percentile"]  # fmt: skip
CHANGE = ["employment_start", "employment_end", "emp_cagr", "job_creation",
          "expected_job_creation", "lq_change", "ss_national_share", "ss_industry_mix",
          "ss_regional_share", "job_creation_rank", "emp_cagr_rank"]  # fmt: skip
FLAGS = {"qualifying", "significant", "strong", "strong10"}
TABLES = {  # file: (peer keys, the CLI's names of them, columns compared)
    "cluster_region_year": (["fipstate", "year", "cluster"],
                            ["region_code", "year", "cluster_code"], CRT),
    "region_year": (["fipstate", "year"], ["region_code", "year"], ["cluster_strength"]),
    "cluster_region_change": (["fipstate", "cluster", "start", "end"],
                              ["region_code", "cluster_code", "start_year", "end_year"], CHANGE),
}  # fmt: skip


def agree(peer_dir: Path, cli_dir: Path) -> int:
    """Every compared value of a peer equals the CLI's (relative 1e-9; missing where the CLI's
    is missing), on the same rows; the number of values compared."""
    compared = 0
    for name, (keys, cli_keys, cols) in TABLES.items():
        a = pd.read_parquet(peer_dir / f"{name}.parquet")
        b = pd.read_parquet(cli_dir / f"{name}.parquet")
        if "subcluster_code" in b.columns:
            b = b[b["subcluster_code"].isna()]
        b = b.rename(columns=dict(zip(cli_keys, keys, strict=True)))
        m = a.merge(b, on=keys, suffixes=("_peer", "_cli"))
        assert len(m) == len(a) == len(b), (name, len(a), len(b), len(m))
        for col in cols:
            x, y = (m[f"{col}_{side}"].astype("float64") for side in ("peer", "cli"))
            if col in FLAGS:  # the CLI leaves them null (not applicable) on local clusters
                y = y.mask(y.isna() & ~m["traded_cli"].astype(bool), 0.0)
            same = (x - y).abs() <= 1e-9 * y.abs().clip(lower=1.0)
            assert (same | (x.isna() & y.isna())).all(), (peer_dir.name, name, col)
            compared += len(m)
    return compared


def main(pairs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-small-"))
    env = {**os.environ, "CLUSTEROBS_DATA_DIR": str(tmp / "data")}
    cli = [str(BIN / "clusterobs"), "mapping", "build", "--employment", str(CBP),
           "--definitions", str(DEFS), "--classification", "NAICS2007", "--years", "2008-2011",
           "--out", str(tmp / "cli"), "--no-publish", "--allow-unknown-codes"]  # fmt: skip
    order = [("cli", cli)]
    for name, script in PEERS.items():
        cmd = [sys.executable, str(Path(__file__).parent / script), str(CBP), str(DEFS),
               str(tmp / name), "2008", "2011"]  # fmt: skip
        order.append((name, cmd))
    order.append(("floor", [sys.executable, "-c", FLOOR]))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in order}
    for i in range(pairs):
        for name, cmd in order if i % 2 == 0 else order[::-1]:
            results[name].append(run(cmd, env))
    for name in PEERS:
        print(f"{name} agrees with the CLI on {agree(tmp / name, tmp / 'cli'):,} values")
    load = os.getloadavg()
    med = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in results.items()
    }
    for name, (wall, cpu) in med.items():
        print(f"{name}: median wall {wall:.2f} s, median CPU {cpu:.2f} s over {pairs} runs")
    print(f"ratio CLI/pandas: wall {med['cli'][0] / med['pandas'][0]:.2f}, "
          f"CPU {med['cli'][1] / med['pandas'][1]:.2f}; load average {load[0]:.1f}")  # fmt: skip
    for name in ("floor", "duckdb-sql"):
        wall, cpu = (med[name][i] / med["pandas"][i] for i in (0, 1))
        print(f"{name} / pandas: wall {wall:.2f}, CPU {cpu:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5)
    main(parser.parse_args().pairs)
