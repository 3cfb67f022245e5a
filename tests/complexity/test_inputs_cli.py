"""From source files to published files: imputation, detail level, CLI, manifest, bad input.

Runs on the small CBP sample kept in the repository (tests/complexity/data/SOURCE.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli.main import app
from clusterobs.complexity.inputs import industry_panel
from clusterobs.complexity.outputs import DENSITY_FILE, FILES, INDUSTRY_FILE, REGION_FILE
from clusterobs.data.catalog import path as data_path
from clusterobs.sources.cbp import read_cbp
from clusterobs.sources.schema import SIZE_CLASS_MIDPOINT
from clusterobs.tables.engine import connect
from tests.complexity.conftest import SAMPLE_CBP, SAMPLE_DEFS

runner = CliRunner()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    df = pd.read_csv(SAMPLE_CBP, dtype=str, keep_default_na=False)
    df["code"] = df["naics"].str.replace("-", "").str.replace("/", "")
    return df


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cx") / "sample"
    result = runner.invoke(
        app,
        [
            "complexity",
            "build",
            "--employment",
            str(SAMPLE_CBP),
            "--classification",
            "NAICS2007",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_midpoint_imputation_and_detail(raw: pd.DataFrame) -> None:
    eng = connect()
    panel = industry_panel(eng, read_cbp(eng, SAMPLE_CBP))
    cells = panel.cells
    assert cells["industry_code"].str.len().eq(6).all()
    six = raw[raw["code"].str.len() == 6]
    assert len(cells) == len(six)
    sup = six[six["empflag"] != ""].iloc[0]
    row = cells[
        (cells["region_code"] == sup["fipstate"])
        & (cells["industry_code"] == sup["code"])
        & (cells["year"] == int(sup["year"]))
    ].iloc[0]
    assert row["employment"] == SIZE_CLASS_MIDPOINT[sup["empflag"]]
    assert row["employment_imputed"] == row["employment"]
    rep = six[six["empflag"] == ""].iloc[0]
    row = cells[
        (cells["region_code"] == rep["fipstate"])
        & (cells["industry_code"] == rep["code"])
        & (cells["year"] == int(rep["year"]))
    ].iloc[0]
    assert row["employment"] == float(rep["emp"]) and row["employment_imputed"] == 0.0
    assert panel.notes["imputation"] == "midpoint"
    assert panel.notes["suppressed_cells"] == int((six["empflag"] != "").sum())


def test_constrained_imputation_keeps_reported_cells(raw: pd.DataFrame) -> None:
    eng = connect()
    mid = industry_panel(eng, read_cbp(eng, SAMPLE_CBP)).cells
    con = industry_panel(eng, read_cbp(eng, SAMPLE_CBP), imputation="constrained").cells
    j = mid.merge(con, on=["region_type", "region_code", "industry_code", "year"])
    reported = j["employment_imputed_x"] == 0
    assert (j.loc[reported, "employment_x"] == j.loc[reported, "employment_y"]).all()
    assert (j.loc[~reported, "employment_x"] != j.loc[~reported, "employment_y"]).any()


def test_cli_build_writes_files_and_manifest(built: Path, raw: pd.DataFrame) -> None:
    assert sorted(p.name for p in built.iterdir()) == sorted([*FILES, "manifest.json"])
    region = pd.read_parquet(built / REGION_FILE)
    assert list(region.columns) == [
        "region_type",
        "region_code",
        "year",
        "diversity",
        "eci",
        "coi",
    ]
    industry = pd.read_parquet(built / INDUSTRY_FILE)
    for col in ("industry_code", "year", "ubiquity", "pci", "employment", "wage"):
        assert col in industry.columns
    dens = pd.read_parquet(built / DENSITY_FILE)
    for col in ("region_code", "industry_code", "year", "rca", "present", "density", "cog"):
        assert col in dens.columns
    assert dens["region_code"].map(type).eq(str).all()
    # 8 states x every 6-digit code of the year, listed or not (absent cells are 0).
    for year, g in dens.groupby("year"):
        n_codes = raw[(raw["year"] == str(year)) & (raw["code"].str.len() == 6)]["code"].nunique()
        assert len(g) == 8 * n_codes
    # RCA of one cell by hand from the table's own employment.
    d11 = dens[dens["year"] == 2011]
    cell = d11[(d11["region_code"] == "06") & (d11["industry_code"] == "541511")].iloc[0]
    e_r = d11.loc[d11["region_code"] == "06", "employment"].sum()
    e_p = d11.loc[d11["industry_code"] == "541511", "employment"].sum()
    want = (cell["employment"] / e_r) / (e_p / d11["employment"].sum())
    assert cell["rca"] == pytest.approx(want, rel=1e-12)
    assert cell["present"] == (want >= 1)
    m = json.loads((built / "manifest.json").read_text())
    assert m["imputation"] == "midpoint" and m["threshold"] == 1.0
    assert "establishment" in m["absent_cells"]
    assert {y["year"] for y in m["years"]} == {2010, 2011}
    r11 = region[region["year"] == 2011]
    assert np.corrcoef(r11["diversity"], r11["eci"])[0, 1] > 0


def test_cli_cluster_level_rca_is_the_mapping_lq_total(tmp_path: Path) -> None:
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import pipeline

    out = tmp_path / "clusters"
    args = ["complexity", "build", "--employment", str(SAMPLE_CBP), "--classification"]
    args += ["NAICS2007", "--level", "cluster", "--definitions", str(SAMPLE_DEFS)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    dens = pd.read_parquet(out / DENSITY_FILE)
    eng = connect()
    mapped = pipeline.build(
        read_cbp(eng, SAMPLE_CBP),
        load_definition(SAMPLE_DEFS, "NAICS2007"),
        engine=eng,
        store=ClassificationStore.empty(),
        options=pipeline.MappingOptions(subclusters=False),
    ).cluster_region_year
    j = dens.merge(
        mapped,
        left_on=["region_code", "industry_code", "year"],
        right_on=["region_code", "cluster_code", "year"],
        how="left",
    )
    assert len(j) == len(dens)
    listed = j["cluster_code"].notna()
    assert j.loc[listed, "rca"].to_numpy() == pytest.approx(
        j.loc[listed, "lq_total"].to_numpy(), rel=1e-9
    )
    # A region x cluster the mapping result does not list has no employment: RCA 0.
    assert (~listed).any()
    assert (j.loc[~listed, "employment_x"] == 0).all() and (j.loc[~listed, "rca"] == 0).all()
    names = pd.read_parquet(out / INDUSTRY_FILE)["industry_name"]
    assert names.notna().all()


def _long_csv(path: Path, rows: list[tuple]) -> Path:
    pd.DataFrame(rows, columns=["region", "industry", "year", "employment"]).to_csv(
        path, index=False
    )
    return path


def _build_long(src: Path, out: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "complexity",
            "build",
            "--employment",
            str(src),
            "--format",
            "long",
            "--classification",
            "X",
            "--out",
            str(out),
            *extra,
        ],
    )


GOOD = [("a", "11", 2020, 5), ("a", "12", 2020, 1), ("b", "11", 2020, 2), ("b", "12", 2020, 9)]


def test_duplicate_row_is_named_and_nothing_written(tmp_path: Path) -> None:
    src = _long_csv(tmp_path / "emp.csv", [*GOOD, ("b", "12", 2020, 3)])
    out = tmp_path / "out"
    result = _build_long(src, out)
    assert result.exit_code == 1
    assert "row 5" in result.output and "duplicate" in result.output
    assert "emp.csv" in result.output
    assert not out.exists()


def test_missing_value_refused_or_its_industry_dropped(tmp_path: Path) -> None:
    src = tmp_path / "emp.csv"
    src.write_text("region,industry,year,employment\na,11,2020,5\na,12,2020,\nb,11,2020,2\n")
    result = _build_long(src, tmp_path / "out")
    assert result.exit_code == 1
    assert "row 2" in result.output and "'employment'" in result.output
    # An empty employment in a long table is the file's error (the reader refuses it before
    # any panel is formed), so --missing drop-industry cannot turn it into a dropped industry.
    out = tmp_path / "out2"
    result = _build_long(src, out, "--missing", "drop-industry")
    assert result.exit_code == 1 and "row 2" in result.output
    assert not out.exists()


def test_confidential_cells_without_estimate_drop_their_industry(tmp_path: Path) -> None:
    """Eurostat confidential cells (no value, no size class): refused by default, or their
    industry left out of that year and listed in the manifest."""
    emp = data_path("eu_sbs_nuts2")
    args = ["--employment", str(emp), "--format", "eurostat", "--classification", "NACE2"]
    refused = runner.invoke(
        app, ["complexity", "build", *args, "--out", str(tmp_path / "a"), "--years", "2015"]
    )
    assert refused.exit_code == 1 and "--missing drop-industry" in refused.output
    out = tmp_path / "b"
    done = runner.invoke(
        app,
        [
            "complexity",
            "build",
            *args,
            "--out",
            str(out),
            "--years",
            "2015",
            "--missing",
            "drop-industry",
        ],
    )
    assert done.exit_code == 0, done.output
    dropped = json.loads((out / "manifest.json").read_text())["panel"]["dropped_for_missing_cells"]
    kept = set(pd.read_parquet(out / INDUSTRY_FILE)["industry_code"])
    assert dropped and kept and not kept & {c for codes in dropped.values() for c in codes}
    assert all(len(c) == 2 for c in kept)  # NACE divisions, the mapping engine's level
    # Eurostat's own bounded estimates (--imputation source) fill most confidential cells:
    # more divisions survive, and those still without an estimate are still listed.
    out2 = tmp_path / "c"
    more = ["--out", str(out2), "--years", "2015", "--missing", "drop-industry"]
    done = runner.invoke(app, ["complexity", "build", *args, *more, "--imputation", "source"])
    assert done.exit_code == 0, done.output
    manifest = json.loads((out2 / "manifest.json").read_text())
    assert manifest["imputation"] == "source"
    kept2 = set(pd.read_parquet(out2 / INDUSTRY_FILE)["industry_code"])
    assert len(kept2) > 2 * len(kept)


def test_mixed_levels_and_absent_cells(tmp_path: Path) -> None:
    src = _long_csv(tmp_path / "mixed.csv", [*GOOD, ("a", "1", 2020, 6)])
    result = _build_long(src, tmp_path / "out")
    assert result.exit_code == 1 and "several levels" in result.output
    result = _build_long(src, tmp_path / "out", "--industry-length", "2")
    assert result.exit_code == 0, result.output
    src = _long_csv(tmp_path / "gap.csv", GOOD[:3])
    result = _build_long(src, tmp_path / "out3", "--absent", "error")
    assert result.exit_code == 1 and "no row for region=b industry=12" in result.output
    assert _build_long(src, tmp_path / "out4").exit_code == 0


def test_write_complexity_adds_files_to_a_mapping_result(tmp_path: Path) -> None:
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.complexity.outputs import write_complexity
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import output, pipeline
    from clusterobs.mapping.inputs import bundle_inputs

    eng = connect()
    res = pipeline.build(
        read_cbp(eng, SAMPLE_CBP),
        load_definition(SAMPLE_DEFS, "NAICS2007"),
        engine=eng,
        store=ClassificationStore.empty(),
    )
    res.manifest["inputs"] = {
        "employment": str(SAMPLE_CBP),
        "format": "cbp",
        "definitions": str(SAMPLE_DEFS),
    }
    written = output.write_result(res, tmp_path / "result")
    manifest = json.loads((written / "manifest.json").read_text())
    manifest["inputs"] = bundle_inputs(written, manifest["inputs"])
    (written / "manifest.json").write_text(json.dumps(manifest))
    entry = write_complexity(written, level="cluster")
    assert entry["level"] == "cluster" and entry["imputation"] == "midpoint"
    assert json.loads((written / "manifest.json").read_text())["complexity"]["level"] == "cluster"
    for name in FILES:
        assert (written / name).exists()
    assert not list(written.glob(".*.tmp"))
    # Industry level from the CBP file kept in the result.
    entry = write_complexity(written, level="industry")
    ind = pd.read_parquet(written / INDUSTRY_FILE)
    assert ind["industry_code"].str.len().eq(6).all() and entry["level"] == "industry"


def test_mapping_build_with_complexity_on_census_workers(tmp_path: Path) -> None:
    """``mapping build --format census-in --measure main --complexity``: the mapping tables and
    the clusters' complexity files in one result, the measure named in the manifest."""
    out = tmp_path / "india"
    args = [
        "mapping", "build",
        "--employment", str(data_path("india_b18")), "--format", "census-in",
        "--measure", "main",
        "--definitions", str(data_path("india_product_clusters")),
        "--classification", "NIC2008", "--definitions-format", "canonical",
        "--out", str(out), "--no-publish", "--complexity",
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input"]["measure"] == "main workers"
    assert manifest["complexity"]["level"] == "cluster"
    for name in FILES:
        assert (out / name).exists(), name
    region = pd.read_parquet(out / REGION_FILE)
    assert region["region_code"].nunique() == 85


def test_columns_option_is_checked(tmp_path: Path) -> None:
    src = _long_csv(tmp_path / "emp.csv", GOOD)
    result = _build_long(src, tmp_path / "out", "--columns", "region=region,colour=x")
    assert result.exit_code == 1 and "--columns" in result.output and "'colour=x'" in result.output
