"""Complexity engine against ``ecomplexity`` on a 3,000 x 1,000 x 10 panel, and CBP builds.

Run from the repository root (``ecomplexity`` is the ``bench`` extra)::

    .venv/bin/python benchmarks/complexity/bench_complexity.py            # everything
    .venv/bin/python benchmarks/complexity/bench_complexity.py --skip-cbp # panel only

Each side runs in its own fresh subprocess (same input file, same BLAS threads) so that its
peak resident memory (``ru_maxrss``) is its own; a third process compares the outputs year by
year. See README.md for what each side computes and RESULTS.md for the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
CBP = (
    REPO.parent / "shared" / "data" / "us_cbp_state_2000_2011" / "cbp_state_naics_2000_2011.csv.gz"
)
COLS = {"time": "year", "loc": "region", "prod": "industry", "val": "employment"}


def generate(path: Path, regions: int, industries: int, years: int, seed: int = 15) -> None:
    """A nested panel: region capability c, industry complexity q; a region has an industry
    with probability sigmoid(8 (c - q)) (complex industries in capable regions only), size
    ~ lognormal region size x industry size, slowly changing over the years. Only non-zero
    cells are listed (as County Business Patterns does)."""
    rng = np.random.default_rng(seed)
    c = rng.random(regions)
    q = rng.random(industries)
    size_r = rng.lognormal(3.0, 1.2, regions)
    size_p = rng.lognormal(0.0, 1.0, industries)
    has = rng.random((regions, industries)) < 1 / (1 + np.exp(-8 * (c[:, None] - q[None, :])))
    base = np.outer(size_r, size_p) * rng.lognormal(0.0, 0.8, (regions, industries))
    rcodes = np.array([f"R{i:05d}" for i in range(regions)], dtype=object)
    pcodes = np.array([f"{100000 + j:06d}" for j in range(industries)], dtype=object)
    frames = []
    for k in range(years):
        drift = rng.lognormal(0.0, 0.1, (regions, industries))
        e = rng.poisson(base * drift * has).astype(np.float64)
        r, p = np.nonzero(e)
        frames.append(
            pd.DataFrame(
                {
                    "year": np.full(len(r), 2001 + k, dtype=np.int64),
                    "region": pd.array(rcodes[r], dtype="str"),
                    "industry": pd.array(pcodes[p], dtype="str"),
                    "employment": e[r, p],
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df.to_parquet(path, index=False)
    print(f"generated {len(df):,} non-zero cells of {regions * industries * years:,} -> {path}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_ours(panel: Path, out: Path) -> dict:
    from clusterobs.complexity import ComplexityOptions, compute_complexity

    df = pd.read_parquet(panel)
    n_ind = df["industry"].nunique()
    loaded = peak_mb()
    t, cpu = time.perf_counter(), time.process_time()
    # Full proximity (every related pair) as a long table, like ecomplexity's proximity().
    res = compute_complexity(
        df,
        region="region",
        industry="industry",
        region_type=None,
        options=ComplexityOptions(neighbours=n_ind),
    )
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = peak_mb()
    res.region.to_parquet(out / "ours_region.parquet")
    res.industry.to_parquet(out / "ours_industry.parquet")
    res.density.to_parquet(out / "ours_density.parquet")
    res.proximity.to_parquet(out / "ours_proximity.parquet")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mb": round(peak),
        "rss_after_loading_input_mb": round(loaded),
        "rows": {"density": len(res.density), "proximity": len(res.proximity)},
    }


def worker_ecomplexity(panel: Path, out: Path) -> dict:
    from ecomplexity import ecomplexity, proximity

    warnings.simplefilter("ignore")
    df = pd.read_parquet(panel)
    loaded = peak_mb()
    t, cpu = time.perf_counter(), time.process_time()
    cdata = ecomplexity(df, COLS, check_logsupermodularity=False, verbose=False)
    prox = proximity(df, COLS)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = peak_mb()
    keep = ["year", "region", "industry", "rca", "mcp", "diversity", "ubiquity", "eci", "pci"]
    keep += ["density", "coi", "cog"]
    cdata[keep].to_parquet(out / "ecx_output.parquet")
    prox.to_parquet(out / "ecx_proximity.parquet")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mb": round(peak),
        "rss_after_loading_input_mb": round(loaded),
        "rows": {"output": len(cdata), "proximity": len(prox)},
    }


def worker_compare(panel: Path, out: Path) -> dict:
    """Max absolute differences per quantity, year by year (ours vs ecomplexity)."""
    import pyarrow.parquet as pq

    from clusterobs.complexity.compute import ComplexityOptions, statistics_of
    from clusterobs.complexity.matrix import matrices_from_long
    from clusterobs.complexity.outlook import complexity_outlook_gain, complexity_outlook_index

    diffs: dict[str, float] = {}

    def note(name: str, a: np.ndarray, b: np.ndarray) -> None:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        assert a.shape == b.shape, (name, a.shape, b.shape)
        both_nan = np.isnan(a) & np.isnan(b)
        d = np.where(both_nan, 0.0, np.abs(a - b))
        d = np.nan_to_num(d, nan=np.inf)
        diffs[name] = max(diffs.get(name, 0.0), float(d.max()) if d.size else 0.0)

    years = sorted(pd.read_parquet(panel, columns=["year"])["year"].unique())
    region = pd.read_parquet(out / "ours_region.parquet")
    industry = pd.read_parquet(out / "ours_industry.parquet")
    for y in years:
        y = int(y)
        theirs = pq.read_table(out / "ecx_output.parquet", filters=[("year", "=", y)]).to_pandas()
        theirs = theirs.sort_values(["region", "industry"]).reset_index(drop=True)
        ours = pq.read_table(out / "ours_density.parquet", filters=[("year", "=", y)]).to_pandas()
        ours = ours.sort_values(["region_code", "industry_code"]).reset_index(drop=True)
        assert (
            ours["region_code"].astype(str).to_numpy() == theirs["region"].astype(str).to_numpy()
        ).all()
        note("rca", ours["rca"], theirs["rca"])
        note("presence", ours["present"].astype(float), theirs["mcp"])
        note("density", ours["density"], theirs["density"])
        t_reg = theirs.groupby("region", sort=True)[["eci", "diversity", "coi"]].first()
        o_reg = region[region["year"] == y].set_index("region_code").sort_index()
        note("eci", o_reg["eci"], t_reg["eci"])
        note("diversity", o_reg["diversity"], t_reg["diversity"])
        t_ind = theirs.groupby("industry", sort=True)[["pci", "ubiquity"]].first()
        o_ind = industry[industry["year"] == y].set_index("industry_code").sort_index()
        note("pci", o_ind["pci"], t_ind["pci"])
        note("ubiquity", o_ind["ubiquity"], t_ind["ubiquity"])
        # Proximity: ours lists every pair with phi > 0 except the diagonal.
        tp = pq.read_table(out / "ecx_proximity.parquet", filters=[("year", "=", y)]).to_pandas()
        op = pq.read_table(out / "ours_proximity.parquet", filters=[("year", "=", y)]).to_pandas()
        codes = sorted(tp["industry_1"].unique())
        pos = {c: i for i, c in enumerate(codes)}
        n = len(codes)
        t_phi = np.zeros((n, n))
        t_phi[tp["industry_1"].map(pos), tp["industry_2"].map(pos)] = tp["proximity"]
        o_phi = np.eye(n)
        o_phi[
            op["industry_code"].astype(str).map(pos),
            op["related_industry_code"].astype(str).map(pos),
        ] = op["proximity"]
        note("proximity", o_phi, t_phi)
        # COI and COG in ecomplexity's convention, from our statistics (see outlook.py).
        df = pq.read_table(panel, filters=[("year", "=", y)]).to_pandas()
        (m,) = matrices_from_long(df, region="region", industry="industry", region_type=None)
        s = statistics_of(m, ComplexityOptions())
        ec = s.complexity
        coi = complexity_outlook_index(s.presence, s.density, ec.kp_raw)
        coi = (coi - coi.mean()) / coi.std()
        note("coi (ecomplexity convention)", coi, t_reg["coi"].to_numpy())
        cog = complexity_outlook_gain(s.presence, s.phi, ec.kp_raw / ec.eci_std)
        note("cog (ecomplexity convention)", cog.ravel(), theirs["cog"].to_numpy())
        del theirs, ours, tp, op
    return {k: float(f"{v:.3g}") for k, v in diffs.items()}


def worker_cbp(years: str) -> dict:
    """``clusterobs complexity build`` on the CBP state file, in this process (RSS is its own)."""
    from typer.testing import CliRunner

    from clusterobs.cli.main import app

    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"cx-bench-cbp-{years}"
    t, cpu = time.perf_counter(), time.process_time()
    res = CliRunner().invoke(
        app,
        [
            "complexity",
            "build",
            "--employment",
            str(CBP),
            "--classification",
            "NAICS2007",
            "--years",
            years,
            "--out",
            str(out),
        ],
    )
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    if res.exit_code != 0:
        raise RuntimeError(res.output)
    m = json.loads((out / "manifest.json").read_text())
    return {
        "years": years,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mb": round(peak_mb()),
        "rows": m["rows"],
    }


def run(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", choices=["ours", "ecomplexity", "compare", "cbp"])
    ap.add_argument("--regions", type=int, default=3000)
    ap.add_argument("--industries", type=int, default=1000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--cbp-years", default="2008-2011")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cx-bench"))
    ap.add_argument("--skip-cbp", action="store_true")
    ap.add_argument("--skip-peer", action="store_true")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    panel = a.workdir / f"panel_{a.regions}x{a.industries}x{a.years}.parquet"
    if a.worker:
        fn = {
            "ours": lambda: worker_ours(panel, a.workdir),
            "ecomplexity": lambda: worker_ecomplexity(panel, a.workdir),
            "compare": lambda: worker_compare(panel, a.workdir),
            "cbp": lambda: worker_cbp(a.cbp_years),
        }[a.worker]
        print(json.dumps(fn()))
        return
    if not panel.exists():
        generate(panel, a.regions, a.industries, a.years)
    dims = ["--regions", str(a.regions), "--industries", str(a.industries)]
    dims += ["--years", str(a.years), "--workdir", str(a.workdir)]
    report: dict = {"load_average_start": [round(x, 2) for x in os.getloadavg()]}
    report["panel"] = {"regions": a.regions, "industries": a.industries, "years": a.years}
    report["ours"] = run("--worker", "ours", *dims)
    print("ours", report["ours"], flush=True)
    if not a.skip_peer:
        report["ecomplexity"] = run("--worker", "ecomplexity", *dims)
        print("ecomplexity", report["ecomplexity"], flush=True)
        report["speed_ratio"] = round(
            report["ecomplexity"]["seconds"] / report["ours"]["seconds"], 1
        )
        report["cpu_ratio"] = round(
            report["ecomplexity"]["cpu_seconds"] / report["ours"]["cpu_seconds"], 1
        )
        report["memory_ratio"] = round(
            report["ecomplexity"]["peak_rss_mb"] / report["ours"]["peak_rss_mb"], 2
        )
        report["max_abs_difference"] = run("--worker", "compare", *dims)
        print("differences", report["max_abs_difference"], flush=True)
    if not a.skip_cbp and CBP.exists():
        report["cbp"] = [
            run("--worker", "cbp", "--cbp-years", ys, *dims)
            for ys in ("2011", "2008-2011", "2000-2011")
        ]
        print("cbp", report["cbp"], flush=True)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))
    (a.workdir / "report.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
