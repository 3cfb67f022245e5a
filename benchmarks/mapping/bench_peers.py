"""Benchmark 3: the LQ and growth steps side by side with the peers ``ecomplexity`` and
``econcomplex`` on the same 3,000 x 1,000 matrix (two years), in one run, as ratios.

Install the peers with the ``bench`` extra (``pip install -e '.[bench]'``) and run
``.venv/bin/python benchmarks/mapping/bench_peers.py``. Each step is timed as the best of 3 runs.
Ours is always the engine's one implementation (:func:`clusterobs.mapping.lq.with_lqs`,
:func:`clusterobs.mapping.change.cagr`, run on DuckDB) on the 3 M-row long table:

* LQ vs ``econcomplex``'s ``location_quotient`` on the matrix and vs ``ecomplexity``'s RCA step
  (``ComplexityData``: its long-table input is rectangularised, then ``calculate_rca``;
  ecomplexity exposes RCA only inside its complexity pipeline).
* Growth (1 year) vs ``econcomplex`` ``growth_matrix`` (ecomplexity has no growth step).

Results are checked to agree.
"""

from __future__ import annotations

import time
import warnings

import ibis
import numpy as np
import pandas as pd

from clusterobs.mapping.change import cagr
from clusterobs.mapping.lq import with_lqs
from clusterobs.tables.engine import connect

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
    eng = connect()

    def engine_lq() -> np.ndarray:
        t = eng.table(long)
        reg = t.group_by("region").aggregate(e_r=t.employment.sum())
        ind = t.group_by("industry").aggregate(e_c=t.employment.sum())
        total = t.employment.sum().as_scalar()
        j = t.join(reg, "region").join(ind, "industry")
        # Every industry is its own (traded) cluster: lq_total is the matrix LQ (RCA).
        cells = j.mutate(
            traded=True,
            region_total=j.e_r,
            traded_employment=j.e_r,
            local_employment=0.0,
            national_employment=j.e_c,
            national_total=total,
            national_traded=total,
            national_local=0.0,
            wage_payroll=0.0,
            wage_employment=0.0,
        )
        out = with_lqs(cells).select("region", "industry", "lq_total")
        df = eng.to_pandas(out.order_by(["region", "industry"]))
        return df["lq_total"].to_numpy().reshape(R, C)

    results["lq_long_ours_engine"], ours = best(engine_lq)
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

    pairs = pd.DataFrame({"e0": m0.ravel(), "e1": m1.ravel()})

    def engine_growth() -> np.ndarray:
        t = eng.table(pairs)
        return eng.to_pandas(t.select(g=cagr(t.e0, t.e1, ibis.literal(1.0))))["g"].to_numpy()

    results["growth_ours_engine"], g_ours = best(engine_growth)
    results["growth_econcomplex"], g_theirs = best(
        lambda: np.asarray(growth_matrix(m0, m1, pct=False))
    )
    assert np.allclose(g_ours, np.asarray(g_theirs).ravel())

    for k, v in results.items():
        print(f"{k}_seconds={v:.4f}")
    ratios = {
        "lq_matrix_econcomplex_over_ours_engine": ("lq_matrix_econcomplex", "lq_long_ours_engine"),
        "lq_long_ecomplexity_over_ours_engine": ("lq_long_ecomplexity", "lq_long_ours_engine"),
        "growth_econcomplex_over_ours_engine": ("growth_econcomplex", "growth_ours_engine"),
    }
    for name, (a, b) in ratios.items():
        print(f"ratio_{name}={results[a] / results[b]:.2f}")


if __name__ == "__main__":
    main()
