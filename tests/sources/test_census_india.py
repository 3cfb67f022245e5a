"""The Census of India B-18 importer and the Indian district codes, on rows cut from the real
Mizoram file (Windows-1252 bytes unchanged)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.regions import india
from clusterobs.sources.census_india import (
    COUNT_COLUMNS,
    hierarchy_mismatches,
    read_b18,
    read_b18_frame,
)
from clusterobs.sources.errors import InputValidationError
from clusterobs.tables.engine import connect

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_levels_codes_and_counts(sample_b18: Path) -> None:
    f, facts = read_b18_frame(sample_b18)
    assert facts["encoding"] == "cp1252"
    assert not f["industry_code"].str.contains("`").any()
    assert set(f["level"]) == {"total", "division", "group", "class"}
    total = f[(f["region_code"] == "15") & (f["level"] == "total")].iloc[0]
    assert total["industry_code"] == ""
    assert total["region_type"] == "state" and total["region_name"] == "MIZORAM"
    assert (total["main_total_persons"], total["marginal_total_persons"]) == (185730, 29084)
    row = f[(f["region_code"] == "15") & (f["industry_code"] == "1622")]
    assert row["title"].iloc[0] == "Manufacture of builders’ carpentry and joinery"
    assert row["level"].iloc[0] == "class"
    row = f[(f["region_code"] == "281") & (f["industry_code"] == "1629")]
    assert row["region_type"].iloc[0] == "district" and row["region_name"].iloc[0] == "Mamit"
    assert set(COUNT_COLUMNS) <= set(f.columns)
    # Persons = males + females and total = rural + urban in every row of the published table.
    for kind in ("main", "marginal"):
        p = f[f"{kind}_total_persons"]
        assert (p == f[f"{kind}_total_males"] + f[f"{kind}_total_females"]).all()
        assert (p == f[f"{kind}_rural_persons"] + f[f"{kind}_urban_persons"]).all()


@pytest.mark.parametrize(
    ("measure", "column"),
    [("main", "main_workers"), ("marginal", "marginal_workers"), ("total", None)],
)
def test_measures_are_main_marginal_or_their_sum(sample_b18: Path, measure, column) -> None:
    imp = read_b18(connect(), sample_b18, measure=measure)
    f = imp.frame
    expected = f["main_workers"] + f["marginal_workers"] if column is None else f[column]
    pd.testing.assert_series_equal(f["employment_reported"], expected, check_names=False)
    label = {"main": "main workers", "marginal": "marginal workers"}.get(
        measure, "main + marginal workers"
    )
    assert (f["measure"] == label).all()
    assert imp.source is not None and imp.source.measure == label
    assert "employment" not in imp.source.measure
    assert f["establishments"].isna().all() and f["payroll"].isna().all()
    assert set(f["year"]) == {2011} and set(f["vintage"]) == {"NIC2008"}


def test_district_totals_equal_their_divisions_and_the_hierarchy_is_checked(
    sample_b18: Path,
) -> None:
    f, _ = read_b18_frame(sample_b18)
    for region, part in f.groupby("region_code"):
        total = part.loc[part["level"] == "total", "main_total_persons"].sum()
        divisions = part.loc[part["level"] == "division", "main_total_persons"].sum()
        assert total == divisions, region
    assert hierarchy_mismatches(f).empty
    bad = f.copy()
    i = bad.index[(bad["region_code"] == "281") & (bad["industry_code"] == "1629")][0]
    bad.loc[i, "main_total_persons"] += 1
    m = hierarchy_mismatches(bad)
    assert m[["region_code", "parent_code", "parent_level"]].values.tolist() == [
        ["281", "162", "group"]
    ]


def _corrupt(src: Path, tmp_path: Path, old: bytes, new: bytes) -> Path:
    data = src.read_bytes()
    assert old in data
    path = tmp_path / "b18.csv"
    path.write_bytes(data.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (b",185730,", b",18x730,", "Main Workers - Total -  Persons", "not a count"),
        (b",185730,", b",-5,", "Main Workers - Total -  Persons", "not a count"),
        (b"`15,`000,STATE - MIZORAM,`00", b"`15,`0x0,STATE - MIZORAM,`00", "District Code",
         "3-digit code"),
        (b"STATE - MIZORAM,`00,", b"Somewhere,`00,", "India/States", "neither"),
    ],
)  # fmt: skip
def test_bad_rows_name_file_row_and_field(
    sample_b18: Path, tmp_path: Path, old: bytes, new: bytes, field: str, message: str
) -> None:
    path = _corrupt(sample_b18, tmp_path, old, new)
    with pytest.raises(InputValidationError, match=message) as err:
        read_b18(None, path)
    assert err.value.file == str(path) and err.value.row == 1 and err.value.field == field


def test_a_duplicate_row_fails(sample_b18: Path, tmp_path: Path) -> None:
    lines = sample_b18.read_bytes().split(b"\n")
    path = tmp_path / "dup.csv"
    path.write_bytes(b"\n".join([*lines[:3], lines[2], *lines[3:]]))
    with pytest.raises(InputValidationError, match="listed twice") as err:
        read_b18(None, path)
    assert err.value.row == 3


def test_unknown_codes_and_regions_without_boundary_are_reported(sample_b18: Path) -> None:
    districts = india.district_boundaries(FIXTURES / "india_districts_mizoram_bbox.geojson")
    have = set(districts["code"].dropna()) - {"282"}
    imp = read_b18(
        None,
        sample_b18,
        region_types=("district", "state"),
        boundary_codes=have | {"15"},
        known_codes={"10", "13", "14", "16", "62", "1629"},
    )
    assert [r["code"] for r in imp.report.regions_without_boundary] == ["282"]
    assert "1629" not in imp.report.unknown_codes and "1622" in imp.report.unknown_codes
    assert "" not in imp.report.unknown_codes


def test_district_codes_and_boundaries() -> None:
    assert india.district_code(99) == "099"
    assert india.district_code("`110") == "110"
    with pytest.raises(ValueError):
        india.district_code("1100")
    d = india.district_boundaries(FIXTURES / "india_districts_mizoram_bbox.geojson")
    assert sorted(d["code"]) == [str(c) for c in range(281, 289)]
    assert set(d["state_code"]) == {"15"} and d["has_geometry"].all()


def test_region_table(sample_b18: Path) -> None:
    imp = read_b18(None, sample_b18, region_types=("district", "state"))
    regions = india.region_table(imp.frame).set_index("code")
    assert regions.loc["281", "type"] == "district" and regions.loc["281", "parent"] == "15"
    assert regions.loc["15", "name"] == "Mizoram" and regions.loc["15", "type"] == "state"
