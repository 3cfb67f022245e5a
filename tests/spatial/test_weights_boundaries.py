"""Boundaries, distance frames and spatial weights (kinds, islands, cache, restriction)."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest

from clusterobs.sources.errors import InputValidationError
from clusterobs.spatial.boundaries import builtin_boundaries, from_geojson, read_boundaries
from clusterobs.spatial.projection import EARTH_RADIUS_M, choose_frame
from clusterobs.spatial.weights import WeightsSpec, build_weights
from tests.spatial.conftest import FIXTURES, LATTICE, QUEEN, ROOK


def test_lattice_reads_codes_and_names(lattice):
    assert list(lattice.codes) == LATTICE
    assert lattice.name_of("r4") == "Cell 4"


def test_queen_and_rook_on_the_lattice(lattice):
    assert build_weights(lattice, "queen").neighbors == QUEEN
    assert build_weights(lattice, "rook").neighbors == ROOK


def test_knn_and_distance_band_on_the_lattice(lattice):
    knn = build_weights(lattice, "knn:2")
    assert all(len(v) == 2 for v in knn.neighbors.values())
    # Centre cells are 1 degree (about 111 km at the equator) apart, diagonals about 157 km.
    band = build_weights(lattice, "distance:120")
    assert band.neighbors == ROOK
    assert band.frame.kind == "geodesic"
    assert build_weights(lattice, "distance:160").neighbors == QUEEN


@pytest.mark.parametrize("text", ["hexagon", "knn:0", "knn:x", "distance:-5", "queen:3"])
def test_bad_weight_specs_are_refused(text):
    with pytest.raises(ValueError, match="--weights"):
        WeightsSpec.parse(text)


def test_islands_are_reported_for_us_states():
    states = builtin_boundaries("state")
    w = build_weights(states, "queen")
    assert {"02", "15"} <= set(w.islands)  # Alaska and Hawaii
    assert "72" in w.islands  # Puerto Rico
    assert w.neighbors["26"] == ["18", "39", "55"]  # Michigan: Indiana, Ohio, Wisconsin


def test_restrict_keeps_links_and_recomputes_knn(lattice):
    queen = build_weights(lattice, "queen").restrict(["r0", "r1", "r8"])
    assert queen.neighbors == {"r0": ["r1"], "r1": ["r0"], "r8": []}
    assert queen.islands == ["r8"]
    knn = build_weights(lattice, "knn:1").restrict(["r0", "r8"])
    assert knn.neighbors == {"r0": ["r8"], "r8": ["r0"]}


def test_weights_cache_is_keyed_by_the_file(lattice, tmp_path):
    cache = tmp_path / "weights"
    first = build_weights(lattice, "queen", cache_dir=cache)
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    stored = json.loads(files[0].read_text())
    assert stored["neighbors"] == QUEEN
    # A cached entry is read back (edit it to prove it is used, not rebuilt).
    stored["neighbors"]["r0"] = ["r1"]
    files[0].write_text(json.dumps(stored))
    assert build_weights(lattice, "queen", cache_dir=cache).neighbors["r0"] == ["r1"]
    # A changed boundary file has another fingerprint, so new weights.
    changed = tmp_path / "lattice.geojson"
    shutil.copy(FIXTURES / "lattice.geojson", changed)
    changed.write_text(changed.read_text() + "\n")
    again = build_weights(read_boundaries(changed), "queen", cache_dir=cache)
    assert again.neighbors == first.neighbors == QUEEN
    assert len(list(cache.glob("*.json"))) == 2


def test_boundary_errors_name_the_file(tmp_path):
    bad = tmp_path / "dup.geojson"
    feats = [
        {
            "type": "Feature",
            "properties": {"code": "A"},
            "geometry": {"type": "Point", "coordinates": [0, 0]},
        },
        {
            "type": "Feature",
            "properties": {"code": "A"},
            "geometry": {"type": "Point", "coordinates": [1, 1]},
        },
    ]
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(InputValidationError, match=r"dup\.geojson.*'A' appears twice"):
        read_boundaries(bad)
    with pytest.raises(InputValidationError, match="no code field 'nope'"):
        read_boundaries(FIXTURES / "lattice.geojson", code_field="nope")


def test_regions_without_geometry_are_reported():
    regions = from_geojson(["a", "b"], [{"type": "Point", "coordinates": [0, 0]}, None], ["A", "B"])
    assert regions.codes == ("a",)
    assert regions.without_geometry == ("b",)


def test_auto_frame_picks_regional_projections_else_geodesic():
    conus = choose_frame(np.array([-100.0, -80.0]), np.array([35.0, 42.0]))
    assert conus.crs == "EPSG:5070"
    europe = choose_frame(np.array([2.0, 13.0]), np.array([48.0, 52.0]))
    assert europe.crs == "EPSG:3035"
    india = choose_frame(np.array([77.0, 80.0]), np.array([12.0, 28.0]))
    assert india.crs == "EPSG:7755"
    mixed = choose_frame(np.array([-100.0, 144.8]), np.array([35.0, 13.5]))  # with Guam
    assert mixed.kind == "geodesic"
    with pytest.raises(ValueError, match="not a projected CRS"):
        choose_frame(np.array([0.0]), np.array([0.0]), "EPSG:4326")


def test_geodesic_distances_equal_the_haversine_formula():
    """Detroit-Chicago and Detroit-Honolulu: chord to arc equals haversine on the same sphere."""
    lon = np.array([-83.0458, -87.6298, -157.8583])
    lat = np.array([42.3314, 41.8781, 21.3069])
    frame = choose_frame(lon, lat, "geodesic")
    xyz = frame.coordinates(lon, lat)
    for j in (1, 2):
        chord = np.linalg.norm(xyz[0] - xyz[j])
        p1, p2 = math.radians(lat[0]), math.radians(lat[j])
        dl = math.radians(lon[j] - lon[0])
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        haversine = 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
        assert float(frame.true_distance(chord)) == pytest.approx(haversine, rel=1e-12)
        assert frame.tree_radius(haversine) == pytest.approx(chord, rel=1e-12)
