"""Point files and industry matching across NAICS vintages."""

from __future__ import annotations

import numpy as np
import pytest

from clusterobs.sources.errors import InputValidationError
from clusterobs.spatial.points.industries import match_industry
from clusterobs.spatial.points.pointset import read_points
from tests.spatial.conftest import FIXTURES

CSV = FIXTURES / "points_lonlat.csv"


def test_reads_points_with_missing_industries():
    p = read_points(CSV, industry_column="naics", weight_column="emp")
    assert p.n == 80
    assert p.missing_industry == 9  # empty codes stay missing, never '0'
    assert p.weight is not None and p.weight.min() >= 1


@pytest.mark.parametrize(
    "cell,value,field,message",
    [
        ("latitude", "", "latitude", "missing or not a number"),
        ("longitude", "-190", "longitude", "outside"),
        ("emp", "-3", "emp", "negative"),
    ],
)
def test_bad_rows_are_named(tmp_path, cell, value, field, message):
    lines = CSV.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index(cell)] = value
    lines[5] = ",".join(row)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputValidationError, match=message) as err:
        read_points(bad, industry_column="naics", weight_column="emp")
    assert err.value.row == 5 and err.value.field == field
    assert "bad.csv" in str(err.value)


def test_missing_column_is_named():
    with pytest.raises(InputValidationError, match="no column 'primary_naics'"):
        read_points(CSV, industry_column="primary_naics")


def test_steel_mills_matched_across_vintages(small_store):
    codes = np.array(
        ["331111", "331111", "331112", "331110", "336111", None, "999999"], dtype=object
    )
    m = match_industry(codes, "331110", small_store)
    assert m.target_vintage == "NAICS2017"
    assert m.mask.tolist() == [True, True, True, True, False, False, False]
    table = m.codes.set_index("code")
    assert table.loc["331111", "vintages"] == "NAICS2002, NAICS2007"
    assert table.loc["331110", "status"] == "full"
    assert m.per_vintage == {"NAICS2002": 3, "NAICS2007": 3, "NAICS2012": 1, "NAICS2017": 1}


def test_partial_matches_need_a_request(small_store):
    """999991 (2002) was split into 999992 and 999993: half of it is the target."""
    codes = np.array(["999991", "999992", "999993"], dtype=object)
    m = match_industry(codes, "999992", small_store)
    assert m.mask.tolist() == [False, True, False]
    row = m.codes.set_index("code").loc["999991"]
    assert row["status"] == "partial" and row["share"] == pytest.approx(0.5)
    assert not row["included"]
    m2 = match_industry(codes, "999992", small_store, include_partial=True)
    assert m2.mask.tolist() == [True, True, False]


def test_higher_level_targets_and_literal_matching(small_store):
    codes = np.array(["331111", "336111", "336112"], dtype=object)
    assert match_industry(codes, "3361", small_store).mask.tolist() == [False, True, True]
    literal = match_industry(codes, "3311", None)
    assert literal.mask.tolist() == [True, False, False]
    assert literal.method.startswith("literal")
    with pytest.raises(ValueError, match="not a code"):
        match_industry(codes, "123456", small_store)
