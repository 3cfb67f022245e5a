"""Kd with 99 simulations for NAICS 331110, 325211 and 336111 among all EPA TRI facilities:
ours against dbmss (R) and against a plain NumPy implementation, one run, timings and equality.

Run from the repository root (dbmss installed as in README.md; without R the dbmss columns are
left empty):

    .venv/bin/python benchmarks/spatial/bench_kd.py [--simulations 99] [--out DIR]

Both sides get the same planar coordinates (all 60,471 facilities projected to EPSG:5070, km):
dbmss works on planar coordinates, so the comparison uses them too (the CLI's default for this
file is great-circle distances, timed separately). r = 0..200 km by 1 km, unweighted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
TRI = DATA / "us_epa_tri_facilities" / "tri_facilities.csv.gz"
CODES = ["331110", "325211", "336111"]


def numpy_kd(xy_km: np.ndarray, r: np.ndarray, r_max: float) -> np.ndarray:
    """Plain NumPy Kd (the reference "no KD-tree, no exact-sum trick" implementation): all
    n(n-1)/2 distances with pdist, bw.nrd0 on those <= 2 r_max, reflected Gaussian kernel summed
    over every pair at every r, normalised by the mass on [0, inf)."""
    from scipy.spatial.distance import pdist
    from scipy.special import ndtr

    from clusterobs.spatial.points.bandwidth import bw_nrd0

    d = pdist(xy_km)
    h = bw_nrd0(d[d <= 2 * r_max])
    refl = d[d <= 4 * h]
    near = d[d <= r_max + 10 * h]
    num = np.zeros_like(r)
    for chunk in np.array_split(near, max(1, near.size // 20_000)):
        num += np.exp(-0.5 * ((r[:, None] - chunk[None, :]) / h) ** 2).sum(axis=1)
    num += np.exp(-0.5 * ((r[:, None] + refl[None, :]) / h) ** 2).sum(axis=1)
    num /= h * np.sqrt(2 * np.pi)
    denom = d.size - ndtr(-d / h).sum() + ndtr(-refl / h).sum()
    return num / denom


def main() -> None:
    from clusterobs.classifications.store import ClassificationStore, import_classifications
    from clusterobs.spatial.points.envelope import global_band, local_band
    from clusterobs.spatial.points.industries import match_industry
    from clusterobs.spatial.points.kd import DurantonOverman, KdOptions, random_location_draws
    from clusterobs.spatial.points.pointset import read_points
    from clusterobs.spatial.projection import choose_frame

    ap = argparse.ArgumentParser()
    ap.add_argument("--simulations", type=int, default=99)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "spatial" / "out")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kd-bench-"))
    classifications = work / "classifications"
    import_classifications(DATA / "industry_classifications", classifications)
    store = ClassificationStore.load(classifications)
    pts = read_points(TRI, industry_column="primary_naics")
    planar = choose_frame(pts.lon, pts.lat, "EPSG:5070")
    xy = planar.coordinates(pts.lon, pts.lat)
    geodesic = choose_frame(pts.lon, pts.lat)
    xyz = geodesic.coordinates(pts.lon, pts.lat)
    opt = KdOptions(r_max_km=200, r_step_km=1, simulations=args.simulations)
    pd.DataFrame({"r_km": opt.r}).to_csv(work / "r.csv", index=False)
    has_r = shutil.which("Rscript") is not None
    results = []
    for code in CODES:
        m = match_industry(pts.industry, code, store)
        row: dict = {"code": code, "n": m.n, "N": pts.n, "per_vintage": m.per_vintage}
        t = time.perf_counter()
        ours = DurantonOverman(xy, m.mask, planar, options=opt)
        row["ours_s"] = time.perf_counter() - t
        t = time.perf_counter()
        DurantonOverman(xyz, m.mask, geodesic, options=opt)
        row["ours_geodesic_s"] = time.perf_counter() - t
        t = time.perf_counter()
        DurantonOverman(xy, m.mask, planar,
                        options=KdOptions(r_max_km=200, simulations=args.simulations,
                                          mode="binned"))  # fmt: skip
        row["ours_binned_s"] = time.perf_counter() - t
        # Plain NumPy: observed + the same draws.
        xy_km = xy / 1000.0
        draws = list(random_location_draws(pts.n, m.n, args.simulations, opt.seed))
        t = time.perf_counter()
        np_obs = numpy_kd(xy_km[m.mask], opt.r, 200.0)
        np_sims = np.array([numpy_kd(xy_km[idx], opt.r, 200.0) for idx in draws])
        row["numpy_s"] = time.perf_counter() - t
        peak = ours.kd.max()
        row["numpy_max_abs_diff_rel_peak"] = float(np.abs(np_obs - ours.kd).max() / peak)
        glo, ghi = global_band(np_sims, 0.05)
        row["numpy_global_band_max_diff_rel_peak"] = float(
            max(np.abs(glo - ours.global_lo).max(), np.abs(ghi - ours.global_hi).max()) / peak
        )
        llo, lhi = local_band(np_sims, 0.05)
        row["numpy_local_band_max_diff_rel_peak"] = float(
            max(np.abs(llo - ours.local_lo).max(), np.abs(lhi - ours.local_hi).max()) / peak
        )
        if has_r:
            pd.DataFrame({"x_km": xy_km[:, 0], "y_km": xy_km[:, 1],
                          "type": np.where(m.mask, "I", "O")}).to_csv(
                work / "points.csv", index=False, float_format="%.6f")  # fmt: skip
            pd.DataFrame(np.array(draws) + 1).to_csv(
                work / f"draws_{code}.csv", index=False, header=False
            )
            proc = subprocess.run(
                ["Rscript", str(Path(__file__).with_name("kd_dbmss.R")), str(work), code,
                 str(args.simulations)],
                capture_output=True, text=True, check=True, env=os.environ.copy(),
            )  # fmt: skip
            timing = json.loads(proc.stdout.strip().splitlines()[-1])
            ref = pd.read_csv(work / f"dbmss_{code}.csv")
            row.update(
                dbmss_version=timing["dbmss"],
                dbmss_kdenvelope_s=timing["kdenvelope_s"],
                dbmss_kdenvelope_approx_s=timing["kdenvelope_approx_s"],
                speedup_vs_dbmss=timing["kdenvelope_s"] / row["ours_s"],
                speedup_binned_vs_dbmss_approx=timing["kdenvelope_approx_s"]
                / row["ours_binned_s"],
                dbmss_obs_max_abs_diff_rel_peak=float(np.abs(ref["kd"] - ours.kd).max() / peak),
                dbmss_same_draws_global_band_max_diff_rel_peak=float(
                    max(np.abs(ref["same_global_lo"] - ours.global_lo).max(),
                        np.abs(ref["same_global_hi"] - ours.global_hi).max()) / peak),
                dbmss_same_draws_local_band_max_diff_rel_peak=float(
                    max(np.abs(ref["same_local_lo"] - ours.local_lo).max(),
                        np.abs(ref["same_local_hi"] - ours.local_hi).max()) / peak),
                dbmss_own_draws_upper_band_mean_ratio=float(
                    np.mean(ref["env_hi"]) / np.mean(ours.local_hi)),
                dbmss_localised_at_same=bool(
                    ((ref["kd"] > ref["same_global_hi"]) == (ours.kd > ours.global_hi)).all()),
            )  # fmt: skip
        row["bandwidth_km"] = ours.bandwidth
        row["localised_at_km"] = ours.distance_ranges("global")
        results.append(row)
        print(json.dumps(row, default=float))
    load = os.getloadavg()
    summary = {"simulations": args.simulations, "load_average_after": load, "results": results}
    (args.out / "kd_results.json").write_text(json.dumps(summary, indent=2, default=float))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
