"""Statistics that never mislead: each defect found from outside, pinned (issue "Statistics that
never mislead"). Every test here failed on the engine before the fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions.model import custom_definition, validate_definition
from clusterobs.mapping import output, pipeline
from clusterobs.mapping.inputs import bundle_inputs, verify_inputs
from clusterobs.mapping.relatedness import colocation
from clusterobs.mapping.result import MappingOptions
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.generic import LongColumns, from_frame
from clusterobs.tables import atomic
from clusterobs.tables.engine import connect
from tests.engine.conftest import build_frame


def _regions(n: int = 12, *, establishments: bool) -> pd.DataFrame:
    """``n`` regions, a traded cluster growing with the region index and a flat filler."""
    rows = []
    for i in range(n):
        for code, emp in (("100000", 10.0 * (i + 1) ** 2), ("100001", 400.0)):
            row = {"region": f"r{i:02d}", "industry": code, "year": 2010, "employment": emp}
            if establishments:
                row["est"] = float(i + 1)
            rows.append(row)
    return pd.DataFrame(rows)


DEFN = {"T": ["100000"], "F": ["100001"]}


def test_without_establishments_the_size_test_is_skipped_and_named() -> None:
    res = build_frame(_regions(establishments=False), DEFN)
    crt = res.cluster_region_year
    t = crt[crt["cluster_code"] == "T"]
    assert t["establishments"].isna().all()  # missing stays missing, never 0
    assert t["strong"].sum() > 0 and t["qualifying"].sum() > 0  # flags do not all turn false
    lq, emp = t["lq_traded_local"], t["employment"]
    expected = (lq >= np.percentile(lq, 75)) & (lq >= 1) & (emp > np.percentile(emp, 25))
    assert (t["strong"] == expected).all()
    skipped = res.manifest["tests_skipped"]
    assert len(skipped) == 1 and "establishments" in skipped[0]["test"]
    assert (res.region_year["cluster_strength"] > 0).any()


def test_with_establishments_nothing_is_skipped() -> None:
    res = build_frame(_regions(establishments=True), DEFN, establishments="est")
    assert res.manifest["tests_skipped"] == []
    assert res.cluster_region_year["establishments"].notna().all()


def test_missing_establishments_stay_null_in_the_change_table() -> None:
    rows = pd.concat([_regions(establishments=False).assign(year=y) for y in (2010, 2011)])
    ch = build_frame(rows, DEFN).cluster_region_change
    assert ch["establishments_start"].isna().all() and ch["est_cagr"].isna().all()


def _naics2017_build(definition: pd.DataFrame, **options: object) -> pipeline.MappingResult:
    rows = pd.DataFrame(
        [
            {"region": r, "industry": code, "year": 2015, "employment": e}
            for r, e in (("a", 100.0), ("b", 50.0), ("c", 10.0))
            for code in ("336111", "336112", "334111")
        ]
    )
    eng = connect()
    src = from_frame(eng, rows, vintage="NAICS2017")
    d = validate_definition(definition, "NAICS2017", "defs.csv")
    return pipeline.build(
        src,
        d,
        engine=eng,
        store=ClassificationStore.load(),
        options=MappingOptions(**options),  # type: ignore[arg-type]
    )


def _definition(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "industry_code": codes,
            "cluster_code": "auto",
            "cluster_name": "Automotive",
            "subcluster_code": None,
            "subcluster_name": None,
            "traded_local": "traded",
        }
    )


BAD = ["336111", "123456", "334119", "336112 (P)"]  # 999999 is a real code: unclassified


def test_unknown_definition_codes_are_an_error_naming_each() -> None:
    with pytest.raises(InputValidationError) as err:
        _naics2017_build(_definition(BAD))
    text = str(err.value)
    assert "defs.csv" in text and "row 2" in text and "industry_code" in text
    assert "123456 (row 2: not a code of NAICS2017)" in text
    assert "334119 (row 3: not a code of NAICS2017)" in text  # NAICS 2007, gone since 2012
    assert "336112 (P) (row 4: partial-code marker" in text
    assert "--allow-unknown-codes" in text


def test_allowed_unknown_codes_are_listed_in_the_manifest() -> None:
    res = _naics2017_build(_definition(BAD), allow_unknown_codes=True)
    problems = res.manifest["definition_codes"]["problems"]
    assert [p["code"] for p in problems] == BAD[1:]
    assert res.manifest["definition_codes"]["checked"] is True


def test_an_aggregate_code_covers_the_detailed_codes_under_it() -> None:
    """A 5-digit NAICS industry in a definition sums its 6-digit industries (it used to be a
    dead row: only 6-digit codes matched)."""
    res = _naics2017_build(_definition(["33611", "334111"]))
    crt = res.cluster_region_year
    a = crt[crt["region_code"] == "a"]
    assert a["employment"].sum() == pytest.approx(300.0)  # 336111 + 336112 + 334111


def test_a_code_listed_under_another_listed_code_is_refused() -> None:
    with pytest.raises(InputValidationError, match="336111 lies under 33611"):
        _naics2017_build(_definition(["33611", "336111"]))


def test_a_code_no_data_vintage_reaches_is_reported() -> None:
    # 336111 exists in NAICS 2017; NAICS 2007 data reaches it through the crosswalks, but a
    # code created in 2017 with no predecessor would not: emulate with a store whose
    # crosswalk lacks the link.
    store = ClassificationStore.load()
    xw = store.crosswalks
    keep = ~((xw["to_code"] == "336112") | (xw["from_code"] == "336112"))
    cut = ClassificationStore(store.codes, xw[keep].reset_index(drop=True))
    rows = pd.DataFrame([{"region": "a", "industry": "336111", "year": 2010, "employment": 5.0}])
    eng = connect()
    src = from_frame(eng, rows, vintage="NAICS2007")
    d = validate_definition(_definition(["336111", "336112"]), "NAICS2017", "defs.csv")
    with pytest.raises(InputValidationError, match="336112 \\(row 2: no data code of NAICS2007"):
        pipeline.build(src, d, engine=eng, store=cut)


def test_an_empty_region_code_is_refused_with_its_row() -> None:
    rows = _regions(4, establishments=False)
    rows.loc[5, "region"] = " "
    with pytest.raises(InputValidationError) as err:
        build_frame(rows, DEFN)
    assert "row 6" in str(err.value) and "'region'" in str(err.value)
    assert "empty region code" in str(err.value)


def test_an_empty_industry_code_is_not_a_total_row() -> None:
    rows = _regions(4, establishments=False)
    rows.loc[2, "industry"] = ""
    with pytest.raises(InputValidationError, match=r"row 3.*'industry'"):
        build_frame(rows, DEFN)


def test_a_code_without_detail_beneath_it_is_counted_and_warned_about() -> None:
    """Found by the fuzz test: a row coded 'x' beside 6-digit rows was left out of every total
    without a word. Now it is in the manifest with its employment, and warned about; a real
    subtotal (a prefix of detailed codes) is counted apart."""
    from clusterobs.mapping import service

    rows = _regions(4, establishments=False)
    extra = [{"region": "r00", "industry": "x", "year": 2010, "employment": 7.0},
             {"region": "r01", "industry": "1000", "year": 2010, "employment": 500.0}]  # fmt: skip
    res = build_frame(pd.concat([rows, pd.DataFrame(extra)], ignore_index=True), DEFN)
    outside = res.manifest["rows_outside_the_detail_level"]
    assert outside["no_detail_rows"] == 1 and outside["no_detail_employment"] == 7.0
    assert outside["no_detail_code_count"] == 1
    assert outside["no_detail_codes"] == [
        {"vintage": "TEST", "code": "x", "rows": 1, "employment": 7.0}
    ]
    assert outside["subtotal_rows"] == 1 and outside["subtotal_employment"] == 500.0
    assert res.region_year["detailed_employment"].sum() == rows["employment"].sum()
    warned = [w for w in service.warnings(res.manifest) if "no detailed rows beneath" in w]
    assert len(warned) == 1 and "'x'" in warned[0] and "1 rows (7 employed)" in warned[0]


def _coverage_rows() -> pd.DataFrame:
    """Two vintages; in the first the detailed rows cover 60 % of the published total."""
    rows = []
    years = [(2000, "V1", 0.6), (2001, "V1", 0.6), (2002, "V1", 0.6)]
    years += [(2003, "V2", 1.0), (2004, "V2", 1.0), (2005, "V2", 1.0)]
    for year, vintage, cover in years:
        for r in range(5):
            detail = 100.0 + 10 * r
            rows.append({"region": f"r{r}", "industry": "100000", "year": year,
                         "employment": detail, "vintage": vintage})  # fmt: skip
            rows.append({"region": f"r{r}", "industry": "TOTAL", "year": year,
                         "employment": detail / cover, "vintage": vintage})  # fmt: skip
    return pd.DataFrame(rows)


def _coverage_build() -> pipeline.MappingResult:
    eng = connect()
    src = from_frame(
        eng, _coverage_rows(), columns=LongColumns(vintage="vintage"), total_code="TOTAL"
    )
    d = custom_definition({"T": ["100000"]}, "TEST")
    codes = pd.DataFrame(
        {"classification": ["V1", "V2", "TEST"], "code": "100000", "title": "t", "level": 6,
         "parent": "10000", "detailed": True}
    )  # fmt: skip
    crosswalks = pd.DataFrame(
        {"from_classification": ["V1", "V2"], "from_code": "100000",
         "to_classification": "TEST", "to_code": "100000", "note": "identity"}
    )  # fmt: skip
    return pipeline.build(src, d, engine=eng, store=ClassificationStore(codes, crosswalks))


def test_coverage_is_measured_and_its_breaks_are_flagged() -> None:
    res = _coverage_build()
    ry = res.region_year
    assert ry.loc[ry["year"] == 2000, "coverage"].to_numpy() == pytest.approx(0.6)
    assert (ry.loc[ry["year"] <= 2002, "coverage_flag"] == "low").all()
    assert (ry.loc[ry["year"] == 2003, "coverage_flag"] == "jump").all()
    assert ry.loc[ry["year"] >= 2004, "coverage_flag"].isna().all()
    messages = [w["message"] for w in res.manifest["coverage_warnings"]]
    assert any(m.startswith("2000: detailed industries cover less than 90%") for m in messages)
    assert any(m.startswith("2003: coverage moves") for m in messages)


def test_growth_across_a_break_is_flagged_and_the_default_stays_in_one_vintage() -> None:
    ch = _coverage_build().cluster_region_change
    pairs = set(zip(ch["start_year"], ch["end_year"], strict=True))
    assert {(2000, 2002), (2003, 2005), (2000, 2005)} <= pairs
    full = ch[(ch["start_year"] == 2000) & (ch["end_year"] == 2005)]
    assert full["vintage_break"].all() and full["coverage_break"].all()
    inside = ch[(ch["start_year"] == 2003) & (ch["end_year"] == 2005)]
    assert not inside["vintage_break"].any() and not inside["coverage_break"].any()
    low_pair = ch[(ch["start_year"] == 2000) & (ch["end_year"] == 2001)]
    assert not low_pair["coverage_break"].any()  # equally low: understated alike


def test_colocation_leaves_out_regions_with_employment_in_neither_cluster() -> None:
    lq = {"a": [2.0, 1.0, 0.5, None, None, None], "b": [1.5, None, 0.4, 3.0, None, None]}
    rows = []
    for cluster, values in lq.items():
        for i, v in enumerate(values):
            if v is not None:
                rows.append({"year": 2010, "region_type": "state", "region_code": f"r{i}",
                             "cluster_code": cluster, "subcluster_code": None, "traded": True,
                             "employment": 10.0, "lq_traded_local": v})  # fmt: skip
    df = pd.DataFrame(rows)
    df["subcluster_code"] = df["subcluster_code"].astype("string")
    got = colocation(df, year=2010, region_type="state")
    value = got.loc[got["cluster_code"] == "a", "colocation"].iloc[0]
    # Regions r0..r3 have employment in a or b (r4, r5 in neither are left out); a missing
    # cluster counts as LQ 0 in a region where the other one is present.
    expected = np.corrcoef([2.0, 1.0, 0.5, 0.0], [1.5, 0.0, 0.4, 3.0])[0, 1]
    assert value == pytest.approx(expected)


def test_manifest_names_the_classification_and_separates_unclustered_codes() -> None:
    rows = pd.DataFrame(
        [
            {"region": r, "industry": code, "year": 2015, "employment": e}
            for r, e in (("a", 100.0), ("b", 50.0))
            for code in ("336111", "722511", "999990")
        ]
    )
    eng = connect()
    src = from_frame(eng, rows, vintage="NAICS2017")
    d = validate_definition(_definition(["336111"]), "NAICS2017", "defs.csv")
    m = pipeline.build(src, d, engine=eng, store=ClassificationStore.load()).manifest
    assert "6-digit" not in json.dumps(m["conventions"])
    assert m["definition"]["classification"] == "NAICS2017"
    assert [c["code"] for c in m["unknown_industry_codes"]["by_code"]] == ["999990"]
    assert m["unclustered_industry_codes"]["count"] == 1  # 722511: valid, in no cluster
    assert m["unclustered_industry_codes"]["employment"] == pytest.approx(150.0)


def test_a_kept_input_does_not_change_when_the_original_is_rewritten(tmp_path: Path) -> None:
    original = tmp_path / "defs.csv"
    original.write_text("industry_code,cluster_code\n111,1\n")
    result = tmp_path / "result"
    result.mkdir()
    entry = bundle_inputs(result, {"definitions": str(original)})
    kept = result / entry["definitions"]
    assert os.stat(kept).st_ino != os.stat(original).st_ino  # a copy, not a hard link
    original.write_text("industry_code,cluster_code\n222,2\n")  # rewritten in place
    assert kept.read_text().startswith("industry_code,cluster_code\n111")
    assert verify_inputs(result, entry) == []
    kept.write_text("tampered\n")
    assert verify_inputs(result, entry) == [
        f"input definitions ({entry['definitions']}) has changed since the build "
        f"(SHA-256 {entry['sha256']['definitions'][:12]}… expected)"
    ]


def _small_result() -> pipeline.MappingResult:
    return build_frame(_regions(4, establishments=False), DEFN)


def test_a_killed_write_is_recovered_and_stale_temporaries_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "res"
    output.write_result(_small_result(), out)
    # A run killed between its two renames: the old result aside, no result, a temporary.
    out.rename(tmp_path / ".res.old")
    (tmp_path / ".res.abc123").mkdir()
    (tmp_path / ".res.abc123" / "cluster_region_year.parquet").write_text("partial")
    atomic.recover(out)
    assert (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_publishing_swaps_a_link_so_a_complete_result_is_always_there(tmp_path: Path) -> None:
    written = output.write_result(_small_result(), tmp_path / "built")
    store = tmp_path / "results"
    first = output.publish(written, store, "demo")
    v1 = first.resolve()
    second = output.publish(written, store, "demo")
    v2 = second.resolve()
    assert second.is_symlink() and v1 != v2 and (second / "manifest.json").exists()
    assert v1.exists()  # the previous version is kept for readers in flight
    output.publish(written, store, "demo")
    assert not v1.exists()  # ... and removed at the next publication
    assert sorted(p.name for p in store.iterdir()) == [".versions", "demo"]


def test_cli_error_keeps_bracketed_advice(tmp_path: Path) -> None:
    """Rich markup must not eat ``[spark]`` (or any bracketed text of a message)."""
    from clusterobs.cli import mapping

    defs = tmp_path / "d.csv"
    _definition(["336111"]).to_csv(defs, index=False)
    r = CliRunner().invoke(
        mapping.app,
        ["build", "--employment", str(tmp_path / "none [x].csv"), "--definitions", str(defs),
         "--classification", "NAICS2017", "--out", str(tmp_path / "o"), "--format", "long"],
    )  # fmt: skip
    assert r.exit_code == 1
    assert "none [x].csv" in " ".join(r.output.split())


def test_only_unclustered_industries_build_with_no_cluster_and_no_change_rows(
    tmp_path: Path,
) -> None:
    """Found by the fuzz test: a table whose industries are in no cluster has no cluster cell
    at all; the build reports the region totals (all unclustered) and empty cluster and change
    tables, rather than failing on the missing cells."""
    frame = pd.DataFrame(
        {
            "region": ["r1", "r1"],
            "industry": ["200000", "200000"],
            "year": [2010, 2011],
            "employment": [5.0, 0.0],
        }
    )
    result = build_frame(frame, DEFN)
    assert len(result.cluster_region_year) == 0 and len(result.cluster_region_change) == 0
    assert result.region_year["detailed_employment"].sum() == 5.0
    written = output.write_result(result, tmp_path / "res")
    change = pd.read_parquet(written / "cluster_region_change.parquet")
    assert len(change) == 0 and {"start_year", "end_year", "cluster_code"} <= set(change.columns)


def test_the_warning_about_codes_without_detail_says_how_many_it_does_not_name() -> None:
    from clusterobs.mapping import service

    codes = [{"vintage": "V", "code": f"c{i}", "rows": 1, "employment": 1.0} for i in range(130)]
    manifest = {
        "rows_outside_the_detail_level": {
            "no_detail_rows": 130,
            "no_detail_employment": 130.0,
            "no_detail_code_count": 130,
            "no_detail_codes": codes,
        }
    }
    (warned,) = service.warnings(manifest)
    assert "'c9' and 120 more, all listed in the manifest" in warned and "'c10'" not in warned
