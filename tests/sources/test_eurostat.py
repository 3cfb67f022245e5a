"""The Eurostat bulk TSV reader and the SBS importer, on rows cut from the real file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterobs.regions.nuts import correspondence
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.eurostat import (
    CANONICAL_COLUMNS,
    aggregate_nuts2,
    nace_code,
    read_eurostat_tsv,
    read_sbs,
)
from clusterobs.tables.engine import connect

HEADER = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \n"


def _tsv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "x.tsv"
    path.write_text(header + body)
    return path


def test_cells_keep_reported_confidential_and_missing_apart(sample_tsv: Path) -> None:
    t = read_eurostat_tsv(sample_tsv)
    assert t.dimensions == ["nace_r2", "indic_sb", "geo"]
    assert t.time_dimension == "time"
    assert t.periods == [str(y) for y in range(2015, 2007, -1)]
    c = t.cells.set_index(["nace_r2", "indic_sb", "geo", "year"])
    stuttgart = c.loc[("C29", "V16110", "DE11", 2015)]
    assert (stuttgart["value"], stuttgart["flags"], stuttgart["status"]) == (160445, "", "reported")
    flagged = c.loc[("C29", "V16110", "DE11", 2008)]
    assert (flagged["value"], flagged["flags"]) == (135146, "d")
    conf = c.loc[("D35", "V16110", "DE11", 2015)]
    assert conf["status"] == "confidential" and np.isnan(conf["value"])
    conf_d = c.loc[("C12", "V16110", "DE12", 2008)]  # ": cd"
    assert (conf_d["status"], conf_d["flags"]) == ("confidential", "cd")
    zero = c.loc[("C12", "V16110", "DE11", 2015)]
    assert (zero["value"], zero["status"]) == (0.0, "reported")
    missing = c.loc[("C29", "V16110", "DE41", 2015)]  # ":"
    assert missing["status"] == "missing" and np.isnan(missing["value"])
    # Every raw ": c..." cell is confidential, every ":" without c missing, every number reported.
    raw = pd.read_csv(sample_tsv, sep="\t", dtype=str)
    texts = raw.iloc[:, 1:].stack().str.strip()
    assert (t.cells["status"] == "confidential").sum() == texts.str.match(r"^:\s*[a-z]*c").sum()
    assert (t.cells["status"] == "reported").sum() == texts.str.match(r"^-?\d").sum()


@pytest.mark.parametrize(
    ("body", "row", "field", "message"),
    [
        ("C29,V16110,DE11\t1 2 \t1 \n", 1, "2015", "cannot read the value"),
        ("C29,V16110,DE11\t12x \t1 \n", 1, "2015", "unknown flag"),
        ("C29,V16110,DE11\t1 \t1 \nC10,V16110,DE11\t: q\t1 \n", 2, "2015", "unknown flag"),
        ("C29,V16110\t1 \t1 \n", 1, "nace_r2,indic_sb,geo", "does not have the 3 parts"),
        ("C29,V16110,DE11\t1 \t1 \nC29,V16110,DE11\t2 \t2 \n", 2, None, "listed twice"),
        ("C29,V16110,DE11,X\t1 \t1 \n", 1, None, "does not have the 3 parts"),
    ],
)
def test_bad_cells_name_file_row_and_field(
    tmp_path: Path, body: str, row: int, field: str | None, message: str
) -> None:
    path = _tsv(tmp_path, body)
    with pytest.raises(InputValidationError, match=message) as err:
        read_eurostat_tsv(path)
    assert err.value.file == str(path)
    assert err.value.row == row
    if field:
        assert err.value.field == field


def test_a_header_without_time_dimension_is_rejected(tmp_path: Path) -> None:
    path = _tsv(tmp_path, "C29,V16110,DE11\t1 \t1 \n", header="nace_r2,indic_sb,geo\t2015\t2014\n")
    with pytest.raises(InputValidationError, match="time dimension") as err:
        read_eurostat_tsv(path)
    assert err.value.row == 0


def test_nace_notation() -> None:
    assert nace_code("C29") == "29"
    assert nace_code("G451") == "45.1"
    assert nace_code("C1011") == "10.11"
    assert nace_code("C") == "C"
    assert nace_code("S95") == "95"
    assert nace_code("B-N_S95_X_K") is None


def test_sbs_canonical_table(sample_tsv: Path) -> None:
    imp = read_sbs(connect(), sample_tsv, negative="invalid")
    f = imp.frame
    assert list(f.columns[: len(CANONICAL_COLUMNS)]) == CANONICAL_COLUMNS
    row = f[(f["region_code"] == "DE11") & (f["industry_code"] == "29") & (f["year"] == 2015)]
    assert row["employment_reported"].tolist() == [160445.0]
    assert row["vintage"].tolist() == ["NACE2"]
    assert row["region_type"].tolist() == ["nuts2"]
    assert row["establishments"].iloc[0] > 0
    # Wages are EUR million in the file, EUR in the canonical table.
    raw = read_eurostat_tsv(sample_tsv).cells.set_index(["nace_r2", "indic_sb", "geo", "year"])
    assert row["payroll"].iloc[0] == pytest.approx(
        raw.loc[("C29", "V13320", "DE11", 2015)]["value"] * 1e6
    )
    # Confidential employment: null, size class "c" (the engine's suppression marker); flags kept.
    conf = f[(f["region_code"] == "DE11") & (f["industry_code"] == "35")]
    assert conf["employment_reported"].isna().all()
    assert (conf["size_class"] == "c").all()
    assert (conf["employment_status"] == "confidential").all()
    # Missing is not zero and not suppressed.
    assert not (f["size_class"].isna() & (f["employment_status"] == "confidential")).any()
    engine_rows = imp.source.frame
    assert len(engine_rows) == int(f["employment_status"].isin(["reported", "confidential"]).sum())
    zero = f[(f["region_code"] == "DE11") & (f["industry_code"] == "12") & (f["year"] == 2015)]
    assert zero["employment_reported"].tolist() == [0.0]
    assert zero["size_class"].isna().all()
    # Groups, divisions and sections keep their official notation.
    assert {"G", "45", "45.1", "C", "29"} <= set(f["industry_code"])
    # The growth-rate indicator in the sample is not read as a measure.
    assert imp.report.measures["employment"].startswith("V16110")
    assert imp.report.suppressed_cells == int((f["size_class"] == "c").sum()) > 0
    assert imp.source is not None and imp.source.measure == "persons employed"


def test_the_one_negative_value_fails_unless_kept_as_invalid(sample_tsv: Path) -> None:
    with pytest.raises(InputValidationError, match=r"negative value -8\.3") as err:
        read_sbs(None, sample_tsv)
    assert err.value.field == "2014"
    raw = sample_tsv.read_text().splitlines()
    assert raw[err.value.row].startswith("B06,V13320,NO06")
    imp = read_sbs(None, sample_tsv, negative="invalid")
    assert imp.report.invalid_cells == [
        {
            "indicator": "V13320",
            "nace_r2": "B06",
            "geo": "NO06",
            "year": 2014,
            "value": -8.3,
            "row": err.value.row,
        }
    ]
    cell = imp.frame[
        (imp.frame["region_code"] == "NO06")
        & (imp.frame["industry_code"] == "06")
        & (imp.frame["year"] == 2014)
    ]
    assert cell["payroll"].isna().all() and (cell["payroll_status"] == "invalid").all()


def test_levels_and_extra_regio(sample_tsv: Path) -> None:
    imp = read_sbs(None, sample_tsv, negative="invalid", levels=("country", "nuts1", "nuts2"))
    types = imp.frame.groupby("region_code")["region_type"].first()
    assert types["DE"] == "country" and types["DE1"] == "nuts1" and types["DE11"] == "nuts2"
    assert types["CZZZ"] == "extra_regio" and types["CZZ"] == "extra_regio"
    only2 = read_sbs(None, sample_tsv, negative="invalid")
    assert set(only2.frame["region_type"]) == {"nuts2", "extra_regio"}


def test_nuts_codes_are_matched_to_2021_and_unmatched_ones_listed(
    sample_tsv: Path, sample_history, sample_targets
) -> None:
    geo = read_eurostat_tsv(sample_tsv).cells["geo"].astype(str)
    corr = correspondence(set(geo), sample_history, sample_targets)
    by = corr.set_index("code")
    assert (by.loc["ITD3", "relation"], by.loc["ITD3", "target_code"]) == ("recoded", "ITH3")
    assert (by.loc["EL11", "relation"], by.loc["EL11", "target_code"]) == ("recoded", "EL51")
    assert (by.loc["DE11", "relation"], by.loc["DE11", "target_code"]) == ("same", "DE11")
    assert by.loc["DE41", "relation"] == "merged" and not by.loc["DE41", "matched"]
    assert by.loc["HU10", "relation"] == "split" and not by.loc["HU10", "matched"]
    assert by.loc["CZZZ", "relation"] == "extra_regio"
    imp = read_sbs(
        None,
        sample_tsv,
        negative="invalid",
        correspondence=corr,
        boundary_codes=sample_targets,
    )
    f = imp.frame
    # ITD3 (NUTS 2006, 2008-2010) and ITH3 (2011-) are one region in the output.
    ith3 = f[(f["region_code"] == "ITH3") & (f["industry_code"] == "29")]
    assert set(ith3["source_region_code"]) == {"ITD3", "ITH3"}
    assert ith3["year"].is_unique
    # Unmatched codes stay, as published, and are listed; nothing is dropped.
    assert {"DE41", "DE42", "HU10", "CZZZ"} <= set(f["region_code"])
    without = {r["code"] for r in imp.report.regions_without_boundary}
    assert {"DE41", "DE42", "HU10", "CZZZ"} <= without
    assert "ITD3" not in without and "DE11" not in without
    plain = read_sbs(None, sample_tsv, negative="invalid")
    assert len(plain.frame) == len(f)


def test_a_recoding_that_would_give_one_region_two_values_is_reverted(
    tmp_path: Path, sample_history, sample_targets
) -> None:
    body = "C29,V16110,ITD3\t5 \t6 \nC29,V16110,ITH3\t7 \t8 \n"
    path = _tsv(tmp_path, body)
    corr = correspondence({"ITD3", "ITH3"}, sample_history, sample_targets)
    imp = read_sbs(
        None, path, establishments=None, payroll=None, correspondence=corr, negative="invalid"
    )
    assert set(imp.frame["region_code"]) == {"ITD3", "ITH3"}
    relation = {r["code"]: r["relation"] for r in imp.report.regions_without_boundary}
    assert relation == {"ITD3": "collision"}


def test_aggregates_from_nuts2_match_the_published_nuts1_where_complete(sample_tsv: Path) -> None:
    imp = read_sbs(None, sample_tsv, negative="invalid", levels=("nuts1", "nuts2"))
    f = imp.frame
    agg = aggregate_nuts2(f, "nuts1").set_index(["region_code", "industry_code", "year"])
    pub = f[f["region_type"] == "nuts1"].set_index(["region_code", "industry_code", "year"])
    # DE1 (Baden-Wuerttemberg) = DE11 + DE12 + DE13 + DE14 for motor vehicles, every year.
    for year in range(2008, 2016):
        key = ("DE1", "29", year)
        assert agg.loc[key, "employment_reported"] == pub.loc[key, "employment_reported"]
        assert agg.loc[key, "children"] == 4
    # Energy (35) is confidential in every DE1 NUTS 2 region: the aggregate is suppressed too.
    energy = agg.loc[("DE1", "35", 2015)]
    assert np.isnan(energy["employment_reported"]) and energy["size_class"] == "c"
    assert energy["children_reported"] == 0


def test_the_embedded_copy_reads_without_the_published_file() -> None:
    from clusterobs.sources.eurostat import read_sbs_parquet

    imp = read_sbs_parquet(connect())
    f = imp.frame
    assert set(f["region_type"]) == {"nuts2"}
    assert set(f["year"]) == set(range(2008, 2016))
    de11 = f[(f["region_code"] == "DE11") & (f["industry_code"] == "29") & (f["year"] == 2015)]
    assert de11["employment_reported"].tolist() == [160445.0]
    assert f["employment_estimated"].isna().all()  # estimates only when asked for
    assert read_sbs_parquet(None, estimated=True).frame["employment_estimated"].notna().any()
    without = {r["code"]: r["relation"] for r in imp.report.regions_without_boundary}
    assert without["DE41"] == "merged" and without["HU10"] == "split"
    assert imp.report.suppressed_cells == int((f["size_class"] == "c").sum())
    assert imp.source is not None and imp.source.measure == "persons employed"
    # Rows whose persons employed is not available stay in the frame, not in the engine table.
    missing = f["employment_status"] == "missing"
    assert missing.sum() == 5138 and len(imp.source.frame) == len(f) - 5138
    assert "5,138 rows without persons employed" in imp.report.notes[-1]
