"""``clusterobs spatial`` on the small fixtures: files written, errors leave nothing behind."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli.main import app
from tests.spatial.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("CLUSTEROBS_DATA_DIR", str(d))
    return d


def test_hotspots_from_a_values_file(tmp_path, data_dir):
    values = tmp_path / "values.csv"
    pd.DataFrame(
        {"region_code": [f"r{k}" for k in range(9)], "value": [9, 8, 1, 9, 7, 1, 1, 1, 0.5]}
    ).to_csv(values, index=False)
    out = tmp_path / "hot"
    res = runner.invoke(
        app,
        [
            "spatial",
            "hotspots",
            "--values",
            str(values),
            "--boundaries",
            str(FIXTURES / "lattice.geojson"),
            "--weights",
            "rook",
            "--permutations",
            "99",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["regions"] == 9 and summary["weights"]["kind"] == "rook"
    regions = pd.read_csv(out / "regions.csv")
    assert {"lisa_class", "gi_class", "gi_z", "spatial_cluster"} <= set(regions.columns)
    geo = json.loads((out / "hotspots.geojson").read_text())
    assert len(geo["features"]) == 9
    assert list((data_dir / "spatial" / "weights").glob("*.json"))  # cached


def test_hotspots_bad_weights_write_nothing(tmp_path, data_dir):
    values = tmp_path / "values.csv"
    values.write_text("region_code,value\nr0,1\nr1,2\nr2,3\n")
    out = tmp_path / "hot"
    res = runner.invoke(
        app,
        [
            "spatial",
            "hotspots",
            "--values",
            str(values),
            "--boundaries",
            str(FIXTURES / "lattice.geojson"),
            "--weights",
            "hex",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 1
    assert "--weights must be" in res.output
    assert not out.exists()


def test_kd_writes_and_publishes(tmp_path, data_dir):
    out = tmp_path / "kd"
    res = runner.invoke(
        app,
        [
            "spatial",
            "kd",
            "--points",
            str(FIXTURES / "points_lonlat.csv"),
            "--industry-column",
            "naics",
            "--industry",
            "3311",
            "--simulations",
            "19",
            "--r-max",
            "40",
            "--weight-column",
            "emp",
            "--m",
            "--out",
            str(out),
            "--name",
            "steel-test",
        ],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "kd.csv")
    assert list(table.columns[:7]) == [
        "r_km",
        "kd",
        "sim_mean",
        "local_lo",
        "local_hi",
        "global_lo",
        "global_hi",
    ]
    assert "m" in table.columns and len(table) == 41
    summary = json.loads((out / "summary.json").read_text())
    assert summary["kd"]["weighted"] is True
    assert summary["kd"]["distance"].startswith("Euclidean distance in EPSG:5070")
    assert summary["industry"]["method"] == "crosswalk"  # the embedded classifications
    assert summary["industry"]["points"] == 20
    assert (data_dir / "spatial" / "kd" / "steel-test" / "kd.csv").exists()


def test_concentration_from_a_long_file(tmp_path, data_dir):
    fk = pd.read_csv(FIXTURES / "fk2014_egc.csv")
    long = tmp_path / "long.csv"
    fk.rename(columns={"emp_firm": "employment"}).assign(establishments=1).groupby(
        ["region", "industry"], as_index=False
    )[["employment", "establishments"]].sum().to_csv(long, index=False)
    out = tmp_path / "conc"
    res = runner.invoke(
        app,
        [
            "spatial",
            "concentration",
            "--employment",
            str(long),
            "--establishments-col",
            "establishments",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "clusters.csv")
    assert set(table["industry_code"]) == {
        "Clothing trade",
        "Forestry",
        "Textiles dyeing",
        "Textiles trade",
    }
    assert (table["plant_herfindahl_method"] == "equal_within_region").all()
