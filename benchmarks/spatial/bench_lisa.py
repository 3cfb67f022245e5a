"""LISA (and Gi*, Moran) with 999 permutations on the U.S. counties, timed in one run.

Values: the number of EPA TRI manufacturing facilities (NAICS 31-33) per county per 1,000 km2
(real data: ``../shared/data/us_epa_tri_facilities``); boundaries: the 3,231 counties of the
vendored us-atlas (3,230 with a geometry). Peer: the same statistics called directly in esda.

    .venv/bin/python benchmarks/spatial/bench_lisa.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
TRI = REPO.parent / "shared" / "data" / "us_epa_tri_facilities" / "tri_facilities.csv.gz"


def main() -> None:
    import esda
    import shapely
    from pyproj import Geod

    from clusterobs.spatial.boundaries import builtin_boundaries
    from clusterobs.spatial.getis_ord import GetisOrdGiStar
    from clusterobs.spatial.lisa import LocalMoran
    from clusterobs.spatial.moran import GlobalMoran
    from clusterobs.spatial.weights import build_weights

    out: dict = {}
    t = time.perf_counter()
    counties = builtin_boundaries("county")
    out["read_boundaries_s"] = time.perf_counter() - t
    cache = Path(tempfile.mkdtemp(prefix="weights-"))
    t = time.perf_counter()
    w_full = build_weights(counties, "queen", cache_dir=cache)
    out["queen_weights_build_s"] = time.perf_counter() - t
    t = time.perf_counter()
    build_weights(counties, "queen", cache_dir=cache)
    out["queen_weights_cached_s"] = time.perf_counter() - t
    tri = pd.read_csv(TRI, dtype=str)
    manuf = tri[tri["primary_naics"].fillna("").str[:2].isin(["31", "32", "33"])]
    counts = manuf["county_fips"].value_counts()
    geod = Geod(ellps="WGS84")
    area = np.array([abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in counties.geometries])
    values = pd.Series(counts.reindex(list(counties.codes)).fillna(0).to_numpy() / area * 1000,
                       index=list(counties.codes))  # fmt: skip
    w = w_full
    y = values.reindex(w.ids).to_numpy()
    out["regions"] = w.n
    out["islands"] = len(w.islands)
    for name, fn in (
        ("moran_999_s", lambda: GlobalMoran(y, w, permutations=999)),
        ("lisa_999_s", lambda: LocalMoran(y, w, permutations=999)),
        ("gi_star_999_s", lambda: GetisOrdGiStar(y, w, permutations=999)),
    ):
        t = time.perf_counter()
        res = fn()
        out[name] = time.perf_counter() - t
        if name == "lisa_999_s":
            out["lisa_counts"] = res.counts()
        if name == "gi_star_999_s":
            out["gi_counts"] = res.counts()
    lw = w.to_libpysal("r")
    t = time.perf_counter()
    esda.Moran_Local(y, lw, permutations=999, seed=1, n_jobs=1)
    out["esda_moran_local_999_s"] = time.perf_counter() - t
    out["ratio_lisa_ours_over_esda"] = out["lisa_999_s"] / out["esda_moran_local_999_s"]
    out["shapely"] = shapely.__version__
    out["esda"] = esda.__version__
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=2, default=float))
    dest = REPO / "benchmarks" / "spatial" / "out"
    dest.mkdir(exist_ok=True)
    (dest / "lisa_results.json").write_text(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
