"""Bad input is an error naming file, row and field; unknown codes are reported, never dropped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.definitions.model import validate_definition
from clusterobs.mapping import pipeline
from clusterobs.sources.cbp import read_cbp
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.generic import LongColumns, read_long
from clusterobs.tables.engine import connect

HEADER = "year,fipstate,naics,est,emp,emp_nf,empflag,ap,ap_nf\n"
GOOD = [
    "2010,01,------,10,1000,G,,50000,G",
    "2010,01,336111,3,400,G,,20000,G",
    "2010,01,336112,2,0,D,B,0,D",
    "2010,02,------,5,500,G,,20000,G",
    "2010,02,336111,1,0,D,C,0,D",
    "2010,02,999999,1,30,G,,900,G",
]
DEFN = pd.DataFrame(
    {
        "industry_code": ["336111", "336112"],
        "cluster_code": ["5", "5"],
        "cluster_name": ["Automotive"] * 2,
        "subcluster_code": [None, None],
        "subcluster_name": [None, None],
        "traded_local": ["traded"] * 2,
    }
)


def _write(tmp_path: Path, lines: list[str], name: str = "cbp.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + "\n".join(lines) + "\n")
    return p


def _build(path: Path, store) -> pipeline.MappingResult:
    eng = connect()
    d = validate_definition(DEFN, "NAICS2007")
    return pipeline.build(read_cbp(eng, path), d, engine=eng, store=store)


def test_slash_and_dash_notation_and_unknown_codes_reported(tmp_path: Path, store) -> None:
    lines = [*GOOD, "2010,01,3361//,5,400,G,,20000,G", "2010,01,33611/,5,400,G,,20000,G"]
    res = _build(_write(tmp_path, lines), store)
    unknown = res.manifest["unknown_industry_codes"]
    assert unknown["count"] == 1
    assert unknown["by_code"][0]["code"] == "999999"
    assert unknown["by_code"][0]["employment"] == 30
    ry = res.region_year.set_index("region_code")
    assert ry.loc["02", "unknown_employment"] == 30
    # Every detailed job is clustered, unclustered-but-known, or unknown: nothing vanishes.
    assert ry.loc["02", "detailed_employment"] == 175 + 30


def test_negative_value_names_file_row_and_field(tmp_path: Path, store) -> None:
    lines = [*GOOD]
    lines[4] = "2010,02,336111,-1,0,D,C,0,D"
    path = _write(tmp_path, lines)
    with pytest.raises(InputValidationError) as err:
        _build(path, store)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 5, "est")
    assert "negative" in str(err.value)


def test_duplicate_key_names_the_second_row(tmp_path: Path, store) -> None:
    path = _write(tmp_path, [*GOOD, "2010,01,336111,3,400,G,,20000,G"])
    with pytest.raises(InputValidationError) as err:
        _build(path, store)
    assert err.value.row == 7 and err.value.field == "naics"
    assert "duplicate" in str(err.value)


def test_mixed_vintages_in_one_year(tmp_path: Path) -> None:
    p = tmp_path / "long.csv"
    p.write_text(
        "region,industry,year,employment,vintage\n"
        "a,336111,2010,5,NAICS2007\n"
        "a,336112,2010,5,NAICS2007\n"
        "b,336111,2010,5,NAICS2012\n"
    )
    eng = connect()
    src = read_long(eng, p, columns=LongColumns(vintage="vintage"))
    d = validate_definition(DEFN, "NAICS2007")
    with pytest.raises(InputValidationError) as err:
        pipeline.build(src, d, engine=eng)
    assert err.value.row == 3 and err.value.field == "vintage"


def test_text_in_numeric_column(tmp_path: Path) -> None:
    p = tmp_path / "long.csv"
    p.write_text("region,industry,year,employment\na,336111,2010,5\nb,336111,2010,many\n")
    eng = connect()
    src = read_long(eng, p)
    d = validate_definition(DEFN, "NAICS2007")
    with pytest.raises(InputValidationError) as err:
        pipeline.build(src, d, engine=eng)
    assert (err.value.row, err.value.field) == (2, "employment")


def test_unknown_region_codes_are_reported_and_kept(tmp_path: Path, store) -> None:
    from clusterobs.sources.regions import us_states

    lines = [*GOOD, "2010,99,------,5,500,G,,20000,G", "2010,99,336111,1,50,G,,2000,G"]
    eng = connect()
    d = validate_definition(DEFN, "NAICS2007")
    res = pipeline.build(
        read_cbp(eng, _write(tmp_path, lines)), d, engine=eng, store=store, regions=us_states()
    )
    assert res.manifest["unknown_region_codes"] == {"count": 1, "codes": ["99"]}
    assert "99" in set(res.cluster_region_year["region_code"])


def test_definition_errors() -> None:
    bad = DEFN.copy()
    bad.loc[1, "industry_code"] = "336111"
    with pytest.raises(InputValidationError) as err:
        validate_definition(bad, "NAICS2007", "defs.csv")
    assert (err.value.file, err.value.row, err.value.field) == ("defs.csv", 2, "industry_code")
    bad = DEFN.copy()
    bad.loc[0, "traded_local"] = "maybe"
    with pytest.raises(InputValidationError):
        validate_definition(bad, "NAICS2007")
