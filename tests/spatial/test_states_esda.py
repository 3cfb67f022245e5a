"""On the U.S. states, Moran's I of a cluster LQ equals esda.Moran on the same weights (1e-9).

The weights of the comparison are built independently here (geopandas + libpysal.Queen on the
vendored us-atlas file), the values are the Automotive cluster's LQ in 2011 (fixture derived from
CBP; the real-data version in test_real_data.py rebuilds it from the Census file).
"""

from __future__ import annotations

import esda
import geopandas
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import Queen

from clusterobs.spatial.boundaries import BUILTIN, builtin_boundaries
from clusterobs.spatial.getis_ord import GetisOrdGiStar
from clusterobs.spatial.hotspots import analyse
from clusterobs.spatial.lisa import LocalMoran
from clusterobs.spatial.moran import GlobalMoran
from clusterobs.spatial.weights import build_weights
from tests.spatial.conftest import FIXTURES

# Same data, same weights, two code paths: only floating-point summation order differs.
TOL = 1e-9


@pytest.fixture(scope="module")
def lq() -> pd.Series:
    df = pd.read_csv(FIXTURES / "states_automotive_2011.csv", dtype={"region_code": str})
    return df.set_index("region_code")["lq_total"]


@pytest.fixture(scope="module")
def esda_weights(lq):
    path, layer = BUILTIN["state"]
    gdf = geopandas.read_file(path, layer=layer)
    gdf = gdf[gdf["id"].isin(lq.index)].sort_values("id").reset_index(drop=True)
    return Queen.from_dataframe(gdf, ids=gdf["id"].tolist(), use_index=False, silence_warnings=True)


def test_moran_equals_esda(lq, esda_weights):
    ours_w = build_weights(builtin_boundaries("state"), "queen").restrict(sorted(lq.index))
    values = lq.reindex(ours_w.ids).to_numpy()
    ours = GlobalMoran(values, ours_w, permutations=0)
    esda_w = esda_weights
    esda_w.transform = "r"
    ref = esda.Moran(lq.reindex(esda_w.id_order).to_numpy(), esda_w, permutations=0)
    assert pytest.approx(ref.I, abs=TOL) == ours.I
    assert ours.z_norm == pytest.approx(ref.z_norm, abs=TOL)
    assert ours.z_rand == pytest.approx(ref.z_rand, abs=TOL)
    assert ours.I > 0.4  # automotive LQs cluster strongly in the Great Lakes states


def test_local_statistics_equal_esda(lq, esda_weights):
    ours_w = build_weights(builtin_boundaries("state"), "queen").restrict(sorted(lq.index))
    values = lq.reindex(ours_w.ids).to_numpy()
    lm = LocalMoran(values, ours_w, permutations=99)
    esda_weights.transform = "r"
    ref = esda.Moran_Local(values, esda_weights, permutations=0)
    assert np.allclose(lm.Is, ref.Is, atol=TOL, rtol=0)
    g = GetisOrdGiStar(values, ours_w, permutations=99)
    esda_weights.transform = "b"
    ref_g = esda.G_Local(values, esda_weights, transform="B", star=True, permutations=0)
    assert np.allclose(g.z_norm, ref_g.Zs, atol=TOL, rtol=0)


def test_automotive_hot_spot_crosses_state_borders(lq):
    fig = pd.read_csv(FIXTURES / "states_automotive_2011.csv", dtype={"region_code": str})
    national = {"employment": 851650.0, "total": 113425965.0, "reference_total": 31931049.0}
    a = analyse(
        lq,
        builtin_boundaries("state"),
        figures=fig.rename(columns={"lq_total": "value"}),
        national=national,
        seed=1,
    )
    assert a.unmatched == []
    assert set(a.no_data) == {"60", "66", "69", "72", "78"}  # territories: no CBP data
    top = a.clusters[0]
    assert top.cross_border
    assert {"26", "39", "18"} <= set(top.members)  # Michigan, Ohio, Indiana
    assert top.name.startswith("Michigan – Ohio – Indiana")
    # Combined LQ recomputed by hand from the fixture's employment figures.
    sub = fig.set_index("region_code").loc[top.members]
    expected = (sub["employment"].sum() / sub["region_total"].sum()) / (851650.0 / 113425965.0)
    assert top.lq_total == pytest.approx(expected, rel=1e-12)
    assert sum(top.shares.values()) == pytest.approx(1.0, abs=1e-12)
