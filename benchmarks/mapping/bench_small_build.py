"""Benchmark: the CLI build of the CBP states 2008-2011 against a plain pandas script computing
the same CMP/ECO measures (``plain_pandas_build.py``), side by side in one run.

    .venv/bin/python benchmarks/mapping/bench_small_build.py [--pairs 5]

Both read the embedded CBP Parquet and the NAICS 2007 U.S. Cluster Mapping definition
(``tests/fixtures``), and write Parquet. Each pair runs the two commands one after the other as
fresh processes (start-up included: that is what a user waits for); the order alternates. Reported:
median wall time and median CPU time (user + system of the child, all threads) of each, and their
ratios (CLI / pandas). The outputs are checked to agree on every LQ, flag, star and rank.

Also timed in the same run, as a floor: a fresh Python that only imports the libraries the engine
stands on (pandas, PyArrow, Ibis, DuckDB) and opens an Ibis DuckDB connection, computing nothing.
No build on this stack can be faster than that floor, whatever it computes.
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


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def agree(pandas_dir: Path, cli_dir: Path) -> None:
    a = pd.read_parquet(pandas_dir / "cluster_region_year.parquet")
    b = pd.read_parquet(cli_dir / "cluster_region_year.parquet")
    b = b[b["subcluster_code"].isna()]
    m = a.merge(
        b, left_on=["fipstate", "year", "cluster"], right_on=["region_code", "year", "cluster_code"]
    )
    assert len(m) == len(a) == len(b), (len(a), len(b), len(m))
    for col in ("lq_traded_local", "lq_total", "strong", "eco_stars", "employment_percentile"):
        diff = (m[f"{col}_x"].astype(float) - m[f"{col}_y"].astype(float)).abs()
        assert (diff.fillna(0) < 1e-9).all(), col


def main(pairs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-small-"))
    env = {**os.environ, "CLUSTEROBS_DATA_DIR": str(tmp / "data")}
    cli = [str(BIN / "clusterobs"), "mapping", "build", "--employment", str(CBP),
           "--definitions", str(DEFS), "--classification", "NAICS2007", "--years", "2008-2011",
           "--out", str(tmp / "cli"), "--no-publish", "--allow-unknown-codes"]  # fmt: skip
    plain = [sys.executable, str(Path(__file__).parent / "plain_pandas_build.py"), str(CBP),
             str(DEFS), str(tmp / "pandas"), "2008", "2011"]  # fmt: skip
    floor = [sys.executable, "-c", FLOOR]
    results: dict[str, list[tuple[float, float]]] = {"cli": [], "pandas": [], "floor": []}
    for i in range(pairs):
        order = [("cli", cli), ("pandas", plain), ("floor", floor)]
        for name, cmd in order if i % 2 == 0 else order[::-1]:
            results[name].append(run(cmd, env))
    agree(tmp / "pandas", tmp / "cli")
    load = os.getloadavg()
    med = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in results.items()
    }
    for name, (wall, cpu) in med.items():
        print(f"{name}: median wall {wall:.2f} s, median CPU {cpu:.2f} s over {pairs} runs")
    print(f"ratio CLI/pandas: wall {med['cli'][0] / med['pandas'][0]:.2f}, "
          f"CPU {med['cli'][1] / med['pandas'][1]:.2f}; load average {load[0]:.1f}")  # fmt: skip
    floor_wall, floor_cpu = (med["floor"][i] / med["pandas"][i] for i in (0, 1))
    print(f"floor (engine libraries imported, nothing computed) / pandas: wall {floor_wall:.2f}, "
          f"CPU {floor_cpu:.2f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5)
    main(parser.parse_args().pairs)
