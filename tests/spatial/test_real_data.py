"""The spatial statistics on real data: the embedded CBP states, definitions and U.S.
boundaries, and (skipped without ``../shared/data``) the EPA TRI facility points."""

from __future__ import annotations

import esda
import geopandas
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import Queen

from clusterobs.data.catalog import path as data_path
from tests.spatial.conftest import FIXTURES
from tests.support import FIXTURES as TEST_FIXTURES

CBP = data_path("us_cbp_state")
WEB_DEFS = TEST_FIXTURES / "naics2007_to_cluster_uscmp_2014_web.csv"


@pytest.fixture(scope="module")
def classifications():
    from clusterobs.classifications.store import ClassificationStore

    return ClassificationStore.load()  # the embedded store


@pytest.fixture(scope="module")
def cbp_result(tmp_path_factory, classifications):
    """The CBP state data 2010-2011 built and written like ``clusterobs mapping build``."""
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import output, pipeline
    from clusterobs.sources.cbp import read_cbp
    from clusterobs.sources.regions import us_states
    from clusterobs.tables.engine import connect

    eng = connect()
    result = pipeline.build(
        read_cbp(eng, CBP),
        load_definition(WEB_DEFS, "NAICS2007"),
        engine=eng,
        store=classifications,
        regions=us_states(),
        options=pipeline.MappingOptions(years=(2010, 2011), allow_unknown_codes=True),
    )
    result.manifest["inputs"] = {"employment": str(CBP), "format": "cbp"}
    return output.write_result(result, tmp_path_factory.mktemp("results") / "cbp-states")


def test_fixture_is_what_the_engine_computes(cbp_result):
    from clusterobs.spatial.results import measure_values

    table = measure_values(cbp_result, cluster="5", measure="lq_total", year=2011)
    fixture = pd.read_csv(FIXTURES / "states_automotive_2011.csv", dtype={"region_code": str})
    merged = table.frame.merge(fixture, on="region_code")
    assert len(merged) == 51
    assert np.allclose(merged["value"], merged["lq_total"], rtol=1e-10)


def test_states_moran_equals_esda_on_the_census_boundaries(cbp_result):
    from clusterobs.spatial.boundaries import read_boundaries
    from clusterobs.spatial.moran import GlobalMoran
    from clusterobs.spatial.results import measure_values
    from clusterobs.spatial.weights import build_weights

    path = data_path("us_states_boundaries")
    table = measure_values(cbp_result, cluster="5", measure="lq_total", year=2011)
    values = table.frame.set_index("region_code")["value"]
    w = build_weights(read_boundaries(path, layer="states"), "queen").restrict(sorted(values.index))
    ours = GlobalMoran(values.reindex(w.ids).to_numpy(), w, permutations=0)
    gdf = geopandas.read_file(path, layer="states")
    gdf = gdf[gdf["id"].isin(values.index)].sort_values("id").reset_index(drop=True)
    ref_w = Queen.from_dataframe(gdf, ids=gdf["id"].tolist(), use_index=False)
    ref_w.transform = "r"
    ref = esda.Moran(values.reindex(ref_w.id_order).to_numpy(), ref_w, permutations=0)
    assert abs(ours.I - ref.I) <= 1e-9  # same data and weights, two code paths


def test_county_lisa_runs_on_all_counties():
    from clusterobs.spatial.boundaries import read_boundaries
    from clusterobs.spatial.lisa import LocalMoran
    from clusterobs.spatial.weights import build_weights

    counties = read_boundaries(data_path("us_counties_boundaries"), layer="counties")
    w = build_weights(counties, "queen")
    rng = np.random.default_rng(0)
    lm = LocalMoran(rng.lognormal(size=w.n), w, permutations=99)
    assert w.n > 3100
    assert lm.counts().get("island", 0) == len(w.islands)


def test_tri_steel_mills_across_vintages_and_kd(classifications, shared_data):
    from clusterobs.spatial.points.industries import match_industry
    from clusterobs.spatial.points.kd import DurantonOverman, KdOptions
    from clusterobs.spatial.points.pointset import read_points
    from clusterobs.spatial.projection import choose_frame

    tri = shared_data / "us_epa_tri_facilities" / "tri_facilities.csv.gz"
    pts = read_points(tri, industry_column="primary_naics")
    assert pts.n == 60_471 and pts.missing_industry == 1_227  # SOURCE.md
    m = match_industry(pts.industry, "331110", classifications)
    counts = m.codes.set_index("code")["points"].to_dict()
    assert counts == {"331110": 11, "331111": 217, "331112": 31}
    assert m.per_vintage["NAICS2007"] == 248 and m.per_vintage["NAICS2012"] == 11
    frame = choose_frame(pts.lon, pts.lat)
    assert frame.kind == "geodesic"  # facilities in Alaska, Hawaii and the territories
    kd = DurantonOverman(
        frame.coordinates(pts.lon, pts.lat), m.mask, frame, options=KdOptions(simulations=19)
    )
    assert kd.n == 259 and kd.localised
