"""A result keeps its own copies of its inputs, with checksums, so it can move and still be read."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterobs.mapping.inputs import bundle_inputs, input_path
from tests.engine.conftest import CBP, DPS_DEFS, RELATEDNESS


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundle_copies_files_and_keeps_other_values(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "defs.csv").write_text("industry_code,cluster_code\n111,1\n")
    (src / "emp.csv").write_text("region,industry\n")
    result = tmp_path / "result"
    result.mkdir()
    entry = bundle_inputs(
        result,
        {
            "employment": str(src / "emp.csv"),
            "format": "long",
            "definitions": str(src / "defs.csv"),
            "regions": "built-in U.S. states",
            "relatedness": None,
        },
    )
    assert entry["definitions"] == "inputs/defs.csv" and entry["format"] == "long"
    assert entry["regions"] == "built-in U.S. states" and entry["relatedness"] is None
    assert entry["sha256"]["definitions"] == _sha(src / "defs.csv")
    assert entry["original_paths"]["employment"] == str((src / "emp.csv").resolve())
    # The original may disappear; the result still has its copy.
    shutil.rmtree(src)
    assert input_path(result, entry, "definitions") == result / "inputs" / "defs.csv"
    assert input_path(result, entry, "relatedness") is None
    assert input_path(result, {"definitions": str(tmp_path / "gone.csv")}, "definitions") is None


def test_bundle_refuses_a_missing_input(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="input definitions"):
        bundle_inputs(tmp_path, {"definitions": str(tmp_path / "nope.csv")})


def test_cli_result_is_self_contained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterobs.cli import mapping

    monkeypatch.setenv("CLUSTEROBS_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    # No classification import: the embedded classification store serves the build.
    out = tmp_path / "built"
    args = [
        "build", "--employment", str(CBP), "--definitions", str(DPS_DEFS),
        "--classification", "NAICS2017", "--relatedness", str(RELATEDNESS),
        "--years", "2010-2011", "--no-subclusters", "--out", str(out),
    ]  # fmt: skip
    r = runner.invoke(mapping.app, args)
    assert r.exit_code == 0, r.output
    published = tmp_path / "data" / "results" / "built"
    moved = tmp_path / "elsewhere" / "built"
    shutil.copytree(published, moved)
    inputs = json.loads((moved / "manifest.json").read_text())["inputs"]
    for key, source in (("employment", CBP), ("definitions", DPS_DEFS)):
        path = input_path(moved, inputs, key)
        assert path is not None and path.is_relative_to(moved)
        assert inputs["sha256"][key] == _sha(source)
    assert input_path(moved, inputs, "relatedness").name == RELATEDNESS.name
    # The DPS 2016 (Emsi) definition numbers clusters like the relatedness table: every traded
    # cluster the data has carries the table's code and name (48 of 51; CBP has no jobs in
    # Forestry, Music and Sound Recording, Performing Arts industries of the definition).
    import pandas as pd

    table = pd.read_csv(RELATEDNESS, dtype=str, usecols=["cluster_code", "cluster_name"])
    table = table.drop_duplicates()
    crt = pd.read_parquet(
        moved / "cluster_region_year.parquet", columns=["cluster_code", "cluster_name"]
    )
    ours = crt.drop_duplicates().merge(table, on="cluster_code", suffixes=("", "_table"))
    assert len(ours) >= 48
    assert (ours["cluster_name"] == ours["cluster_name_table"]).all()
