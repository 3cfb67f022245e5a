"""The real CBP state data 2008-2011 with the U.S. Cluster Mapping NAICS 2007 definitions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import pipeline
from clusterobs.sources.cbp import read_cbp
from clusterobs.tables.engine import connect
from tests.engine.conftest import CBP, DPS_DEFS, RELATEDNESS, WEB_DEFS


def test_national_totals(cbp_result: pipeline.MappingResult) -> None:
    ry = cbp_result.region_year
    by_year = ry.groupby("year")["employment"].sum()
    assert by_year[2011] == pytest.approx(113.4e6, rel=0.001)
    assert by_year[2008] == pytest.approx(120.9e6, rel=0.001)
    assert len(ry[ry["year"] == 2011]) == 51
    assert ry["region_code"].str.len().eq(2).all()
    crt = cbp_result.cluster_region_year
    cl = crt[crt["subcluster_code"].isna() & (crt["year"] == 2011)]
    # National cluster employment is the sum over states.
    nat = cl.groupby("cluster_code")["employment"].sum()
    assert (cl.groupby("cluster_code")["national_employment"].first() == nat).all()
    # Traded + local = clustered; every detailed job accounted for.
    r = ry[ry["year"] == 2011]
    assert (r["traded_employment"] + r["local_employment"]).sum() == pytest.approx(
        r["clustered_employment"].sum()
    )
    assert r["mapped_share"].between(0, 1).all()


def test_strong_flags_satisfy_their_definition(cbp_result: pipeline.MappingResult) -> None:
    crt = cbp_result.cluster_region_year
    t = crt[crt["traded"] & crt["subcluster_code"].isna() & (crt["employment"] > 0)]
    checked = 0
    for _, g in t.groupby(["cluster_code", "year"]):
        lq = g["lq_traded_local"]
        p75 = np.percentile(lq, 75, method="linear")
        e25 = np.percentile(g["employment"], 25, method="linear")
        s25 = np.percentile(g["establishments"], 25, method="linear")
        expect = (lq >= p75) & (lq >= 1) & (g["employment"] > e25) & (g["establishments"] > s25)
        assert (g["strong"].astype(bool) == expect).all()
        checked += 1
    assert checked > 100
    assert crt.loc[~crt["traded"], "strong"].isna().all()
    cs = cbp_result.region_year["cluster_strength"]
    assert cs.between(0, 1).all() and cs.max() > 0.1


def test_change_and_relatedness(cbp_result: pipeline.MappingResult) -> None:
    ch = cbp_result.cluster_region_change
    pairs = set(zip(ch["start_year"], ch["end_year"], strict=True))
    assert pairs == {(2008, 2009), (2009, 2010), (2010, 2011), (2008, 2011)}
    c = ch.dropna(subset=["ss_national_share"])
    total = c["ss_national_share"] + c["ss_industry_mix"] + c["ss_regional_share"]
    assert total.to_numpy() == pytest.approx(c["job_creation"].to_numpy(), abs=1e-6)
    rel = cbp_result.related_clusters
    assert set(rel["relatedness"]) == {"strong", "weaker"}
    strong = pd.read_csv(RELATEDNESS)
    strong = strong[
        (strong.cr_all_pc >= 90)
        & (strong.rel_all_90_v3 == 1)
        & (strong.cluster_code != strong.cluster_code_2)
    ]
    assert (rel["relatedness"] == "strong").sum() == len(strong)
    assert cbp_result.colocation["colocation"].between(-1, 1).all()


def test_other_vintage_definitions_through_crosswalks(store) -> None:
    """NAICS 2017 (DPS 2016) definitions on NAICS 2007 data: 2007 -> 2012 -> 2017."""
    eng = connect()
    d = load_definition(DPS_DEFS, "NAICS2017")
    assert d.table["subcluster_code"].notna().any()
    res = pipeline.build(
        read_cbp(eng, CBP),
        d,
        engine=eng,
        store=store,
        options=pipeline.MappingOptions(years=(2011, 2011)),
    )
    share = res.manifest["mapped_share_of_employment"][2011]
    assert 0.9 < share <= 1.0
    assert "NAICS2007->NAICS2017" in res.manifest["vintage_mapping"]["NAICS2007"]
    crt = res.cluster_region_year
    sub = crt[crt["subcluster_code"].notna()]
    cl = crt[crt["subcluster_code"].isna()].set_index(["region_code", "cluster_code"])
    sums = sub.groupby(["region_code", "cluster_code"])["employment"].sum()
    assert sums.to_numpy() == pytest.approx(cl.loc[sums.index, "employment"].to_numpy())


def test_cli_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterobs.cli import mapping

    monkeypatch.setenv("CLUSTEROBS_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    # No classification import: the embedded classification store serves the build.
    out = tmp_path / "cbp2008_2011"
    args = [
        "build",
        "--employment", str(CBP),
        "--format", "cbp",
        "--definitions", str(WEB_DEFS),
        "--classification", "NAICS2007",
        "--years", "2008-2011",
        "--allow-unknown-codes",
        "--out", str(out),
    ]  # fmt: skip
    r = runner.invoke(mapping.app, args)
    assert r.exit_code == 0, r.output
    for name in ("cluster_region_year", "region_year", "cluster_region_change"):
        assert (out / f"{name}.parquet").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["engine"] == "duckdb" and manifest["imputation"] == "midpoint"
    assert (tmp_path / "data" / "results" / "cbp2008_2011" / "region_year.parquet").exists()
    crt = pd.read_parquet(out / "cluster_region_year.parquet")
    needed = [
        "region_code",
        "region_type",
        "cluster_code",
        "subcluster_code",
        "year",
        "traded",
        "employment",
        "employment_reported",
        "establishments",
        "wage",
        "lq_traded_local",
        "lq_total",
        "region_share",
        "national_share",
        "qualifying",
        "significant",
        "strong",
        "strong10",
        "star_size",
        "star_specialisation",
        "star_focus",
        "eco_stars",
        "employment_imputed",
        "imputation_method",
    ]
    assert set(needed) <= set(crt.columns)
    ch = pd.read_parquet(out / "cluster_region_change.parquet")
    assert {"emp_cagr", "job_creation", "expected_job_creation", "ss_regional_share"} <= set(
        ch.columns
    )
    # A bad run exits non-zero and writes nothing.
    bad = tmp_path / "bad.csv"
    bad.write_text("year,fipstate,naics,est,emp,emp_nf,empflag,ap,ap_nf\n2010,01,336111,-5,1,,,,\n")
    out2 = tmp_path / "bad_out"
    r = runner.invoke(mapping.app, [*args[:2], str(bad), *args[3:-1], str(out2)])
    assert r.exit_code == 1
    assert not out2.exists()
    assert not list(tmp_path.glob(".bad_out*"))
