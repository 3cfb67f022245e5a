"""Benchmark 3: the LQ and growth steps side by side with the peers ``ecomplexity`` and
``econcomplex`` on the same 3,000 x 1,000 matrix (two years), in one run, as ratios.

Install the peers with the ``bench`` extra (``pip install -e '.[bench]'``) and run
``.venv/bin/python benchmarks/mapping/bench_peers.py``. Each step is timed as the best of 3 runs.

* LQ, matrix: :class:`clusterobs.mapping.lq.LocationQuotient` vs ``econcomplex``'s
  ``location_quotient`` vs ``ecomplexity``'s RCA step (``ComplexityData``: its long-table
  input is rectangularised, then
  ``calculate_rca``; ecomplexity exposes RCA only inside its complexity pipeline).
* LQ, long table: our engine path (DuckDB group-bys + :func:`location_quotient`) on the 3 M-row
  long table vs ecomplexity's long-table RCA step.
* Growth: our :func:`clusterobs.mapping.change.cagr` (elementwise, 1 year) vs ``econcomplex``
  ``growth_matrix`` (ecomplexity has no growth step). Results are checked to agree.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from clusterobs.mapping.change import cagr
from clusterobs.mapping.engine import connect
from clusterobs.mapping.lq import LocationQuotient, location_quotient

R, C = 3000, 1000


def best(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    warnings.simplefilter("ignore")
    from ecomplexity.ComplexityData import ComplexityData
    from econcomplex.dynamics.growth import growth_matrix
    from econcomplex.specialization.location_quotient import location_quotient as ec_lq

    rng = np.random.default_rng(7)
    m0 = rng.integers(1, 5000, size=(R, C)).astype(float)
    m1 = m0 * rng.uniform(0.8, 1.3, size=(R, C))
    long = pd.DataFrame(
        {
            "year": 2010,
            "region": np.repeat(np.arange(R), C),
            "industry": np.tile(np.arange(C), R),
            "employment": m0.ravel(),
        }
    )
    results = {}

    results["lq_matrix_ours"], ours = best(lambda: LocationQuotient(m0).lq)
    results["lq_matrix_econcomplex"], theirs = best(lambda: np.asarray(ec_lq(m0)))
    assert np.allclose(ours, theirs)

    def ecomplexity_rca() -> np.ndarray:
        cd = ComplexityData(
            long, {"time": "year", "loc": "region", "prod": "industry", "val": "employment"},
            "coerce",
        )  # fmt: skip
        cd.create_full_df(2010)
        cd.calculate_rca()
        return cd.rca_t

    results["lq_long_ecomplexity"], rca = best(ecomplexity_rca)
    assert np.allclose(rca, ours)

    eng = connect()

    def engine_lq() -> np.ndarray:
        t = eng.table(long)
        reg = t.group_by("region").aggregate(e_r=t.employment.sum())
        ind = t.group_by("industry").aggregate(e_c=t.employment.sum())
        j = t.join(reg, "region").join(ind, "industry")
        df = eng.to_pandas(j.select("region", "industry", "employment", "e_r", "e_c"))
        total = df["employment"].sum()
        df["lq"] = location_quotient(df["employment"], df["e_r"], df["e_c"], total)
        return df

    results["lq_long_ours_engine"], df = best(engine_lq)
    df = df.sort_values(["region", "industry"])
    assert np.allclose(df["lq"].to_numpy(), ours.ravel())

    results["growth_ours"], g_ours = best(lambda: cagr(m0, m1, 1))
    results["growth_econcomplex"], g_theirs = best(
        lambda: np.asarray(growth_matrix(m0, m1, pct=False))
    )
    assert np.allclose(g_ours, g_theirs)

    for k, v in results.items():
        print(f"{k}_seconds={v:.4f}")
    ratios = {
        "lq_matrix_econcomplex_over_ours": ("lq_matrix_econcomplex", "lq_matrix_ours"),
        "lq_long_ecomplexity_over_ours_engine": ("lq_long_ecomplexity", "lq_long_ours_engine"),
        "growth_econcomplex_over_ours": ("growth_econcomplex", "growth_ours"),
    }
    for name, (a, b) in ratios.items():
        print(f"ratio_{name}={results[a] / results[b]:.2f}")


if __name__ == "__main__":
    main()
