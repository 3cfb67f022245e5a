"""European and Indian builds checked against an independent recomputation.

The engine (``mapping.pipeline.build``) runs on the embedded data shipped in the package (so
these tests need nothing beside the repository): Eurostat ``sbs_r_nuts06_r2`` (NUTS 2 x NACE
division, 2008-2015, persons employed, local units, wages) with the U.S. benchmark definition
carried to NACE divisions, and the Census of India 2011 B-18 (85 districts x NIC class, main +
marginal workers) with the U.S. definition carried to NIC classes and with the India product
clusters. :func:`reference` below recomputes LQs, shares and ECO stars in plain pandas/numpy
from the canonical rows and the definition file, written from the formulas in
``docs/methodology.md`` without using the engine's modules; the two must agree for every
region, cluster, sub-cluster and year.

Conventions the reference states for itself (the engine's, checked here, not borrowed):
a cell without a published number (confidential, or not available) adds nothing to a sum; only
codes of the definition's code length are summed; a region's total is its all-industry row
(``industry_code == ""``) where the data have one (India), else the sum of those codes (the
SBS file has no total row); national = sum over the regions of the build.

Where the pipeline cannot yet do what the European and Indian data need, the single assertion
is marked ``xfail`` with the reason (issue 11 and the integrator's pipeline work).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterobs.classifications.store import ClassificationStore
from clusterobs.definitions import load_definition
from clusterobs.mapping import pipeline
from clusterobs.sources.census_india import read_b18_parquet
from clusterobs.sources.eurostat import read_sbs_parquet
from clusterobs.tables.engine import connect

DEFINITIONS = Path(__file__).resolve().parents[2] / "src" / "clusterobs" / "data" / "definitions"
# Sums of the same numbers in another order differ in the last bits (about 1e-16 relative);
# 1e-9 is far below any published digit and far above that noise.
RTOL = 1e-9


def reference(canon: pd.DataFrame, definition: pd.DataFrame) -> pd.DataFrame:
    """LQs, shares and ECO stars from first principles (see the module docstring)."""
    d = definition[["industry_code", "cluster_code", "subcluster_code", "traded"]]
    width = int(d["industry_code"].str.len().mode().iloc[0])
    rows = canon.assign(e=canon["employment_reported"].fillna(0.0))
    keys = ["region_code", "year"]
    detailed = rows[rows["industry_code"].str.len() == width]
    total_rows = rows[rows["industry_code"] == ""].groupby(keys)["e"].sum()
    region_total = detailed.groupby(keys)["e"].sum()
    region_total = total_rows.combine_first(region_total).rename("region_total")
    cells = detailed.merge(d, on="industry_code", how="inner")
    by_cluster = cells.groupby([*keys, "cluster_code", "traded"], as_index=False)["e"].sum()
    by_cluster["subcluster_code"] = None
    by_sub = cells.dropna(subset=["subcluster_code"])
    by_sub = by_sub.groupby([*keys, "cluster_code", "subcluster_code", "traded"], as_index=False)[
        "e"
    ].sum()
    out = pd.concat([by_cluster, by_sub], ignore_index=True)
    tl = (
        by_cluster.assign(
            t=np.where(by_cluster["traded"], by_cluster["e"], 0.0),
            loc=np.where(by_cluster["traded"], 0.0, by_cluster["e"]),
        )
        .groupby(keys)[["t", "loc"]]
        .sum()
    )
    out = out.merge(region_total.reset_index(), on=keys, how="left")
    out = out.merge(tl.reset_index(), on=keys, how="left")
    group = ["cluster_code", "subcluster_code", "year"]
    out["subcluster_code"] = out["subcluster_code"].astype(object)
    nat = out.groupby(group, dropna=False)["e"].transform("sum")
    years = region_total.groupby("year").sum()
    nat_total = out["year"].map(years)
    nat_t = out["year"].map(tl.groupby("year")["t"].sum())
    nat_l = out["year"].map(tl.groupby("year")["loc"].sum())

    def div(a, b):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = a / b
        return np.where(np.isfinite(r), r, np.nan)

    own_r = np.where(out["traded"], out["t"], out["loc"])
    own_n = np.where(out["traded"], nat_t, nat_l)
    out["lq_traded_local"] = div(div(out["e"], own_r), div(nat, own_n))
    out["lq_total"] = div(div(out["e"], out["region_total"]), div(nat, nat_total))
    out["region_share"] = div(out["e"], out["region_total"])
    out["national_share"] = div(out["e"], nat)
    star_size, star_focus = np.zeros(len(out), bool), np.zeros(len(out), bool)
    for _, idx in out.groupby(group, dropna=False).groups.items():
        part = out.loc[idx]
        peers = part["e"] > 0
        if not peers.any():
            continue
        e90 = np.percentile(part.loc[peers, "e"], 90, method="linear")
        s = part.loc[peers, "region_share"].dropna()
        s90 = np.percentile(s, 90, method="linear") if len(s) else np.nan
        pos = out.index.get_indexer(idx)
        star_size[pos] = peers.to_numpy() & (part["e"].to_numpy() >= e90)
        star_focus[pos] = peers.to_numpy() & (part["region_share"].to_numpy() >= s90)
    out["star_size"] = star_size
    out["star_specialisation"] = (out["e"] > 0) & (out["lq_total"] >= 2)
    out["star_focus"] = star_focus
    out["eco_stars"] = out[["star_size", "star_specialisation", "star_focus"]].sum(axis=1)
    return out.rename(columns={"e": "employment"})


def _compare(result: pipeline.MappingResult, ref: pd.DataFrame) -> int:
    crt = result.cluster_region_year.copy()
    for df in (crt, ref):
        df["sub"] = df["subcluster_code"].astype(object).where(df["subcluster_code"].notna(), "")
        df["region_code"] = df["region_code"].astype(str)
        df["cluster_code"] = df["cluster_code"].astype(str)
    keys = ["region_code", "year", "cluster_code", "sub"]
    m = crt.merge(ref, on=keys, how="outer", suffixes=("", "_ref"), indicator=True)
    assert (m["_merge"] == "both").all(), m.loc[m["_merge"] != "both", [*keys, "_merge"]].head()
    np.testing.assert_allclose(m["employment"], m["employment_ref"], rtol=RTOL)
    for col in ("lq_traded_local", "lq_total", "region_share", "national_share"):
        np.testing.assert_allclose(
            m[col].astype(float), m[f"{col}_ref"].astype(float), rtol=RTOL, equal_nan=True,
            err_msg=col,
        )  # fmt: skip
    for col in ("star_size", "star_specialisation", "star_focus", "eco_stars"):
        bad = m[m[col].astype(int) != m[f"{col}_ref"].astype(int)]
        assert bad.empty, (col, bad[[*keys, "employment", col, f"{col}_ref"]].head())
    return len(m)


@pytest.fixture(scope="module")
def eu():
    eng = connect()
    imp = read_sbs_parquet(eng, region_types=("nuts2",))
    definition = load_definition(DEFINITIONS / "uscmp_nace2_division.csv", "NACE2")
    result = pipeline.build(imp.source, definition, engine=eng)
    return imp, definition, result


@pytest.fixture(scope="module")
def india():
    eng = connect()
    imp = read_b18_parquet(eng, measure="total")
    definition = load_definition(DEFINITIONS / "uscmp_nic2008_class.csv", "NIC2008")
    result = pipeline.build(imp.source, definition, engine=eng)
    return imp, definition, result


def test_eu_lq_shares_and_stars_agree_for_every_nuts2_region(eu) -> None:
    imp, definition, result = eu
    n = _compare(result, reference(imp.source.frame, definition.table))
    crt = result.cluster_region_year
    # 318 NUTS 2 codes published, 19 recoded onto others; Mayotte (FRY5) has no persons employed.
    assert crt["region_code"].nunique() == 298
    assert set(crt["year"]) == set(range(2008, 2016))
    assert n == len(crt)
    stuttgart = crt[
        (crt["region_code"] == "DE11")
        & (crt["year"] == 2015)
        & (crt["cluster_code"] == "4")
        & crt["subcluster_code"].isna()
    ]
    assert stuttgart["employment"].tolist() == [160445.0]  # Automotive = NACE 29 here
    assert stuttgart["eco_stars"].tolist() == [3]


def test_india_lq_shares_and_stars_agree_for_every_district(india) -> None:
    imp, definition, result = india
    _compare(result, reference(imp.source.frame, definition.table))
    crt = result.cluster_region_year
    assert crt["region_code"].nunique() == 85
    assert (result.region_year["employment"] > 0).all()


def test_india_product_clusters_agree_for_every_district() -> None:
    eng = connect()
    imp = read_b18_parquet(eng, measure="main")
    definition = load_definition(DEFINITIONS / "india_product_clusters_nic2008.csv", "NIC2008")
    result = pipeline.build(imp.source, definition, engine=eng)
    _compare(result, reference(imp.source.frame, definition.table))
    crt = result.cluster_region_year
    textiles = crt[(crt["cluster_code"] == "IN01") & crt["subcluster_code"].isna()]
    # West Bengal districts dominate textiles and garments among the five states.
    top = textiles.sort_values("employment", ascending=False)["region_code"].iloc[0]
    assert top.startswith("3")  # all-India district codes 327-345 are West Bengal


def test_one_year_has_no_change_rows_rather_than_zero_change(india) -> None:
    _, _, result = india
    assert len(result.cluster_region_change) == 0


def test_eu_change_table_exists_for_the_years(eu) -> None:
    _, _, result = eu
    ch = result.cluster_region_change
    assert {(2008, 2015), (2014, 2015)} <= set(zip(ch["start_year"], ch["end_year"], strict=True))


def test_eu_local_units_feed_the_size_test(eu) -> None:
    """Eurostat publishes local units, so the U.S. Cluster Mapping size test can run; strong
    clusters exist (unlike a source without establishments, below)."""
    _, _, result = eu
    crt = result.cluster_region_year
    traded = crt[crt["traded"] & crt["subcluster_code"].isna()]
    assert traded["strong"].fillna(False).any()
    # Local units are published for most cells (87 % of traded cluster rows have some; the
    # others sum only confidential or unavailable local units).
    assert (traded["establishments"] > 0).mean() > 0.8


def test_india_without_establishments_skips_the_size_test_and_says_so(india) -> None:
    """Census worker tables have no establishments: they stay null, the U.S. Cluster Mapping
    size test on establishments is skipped and named, and strong clusters still exist."""
    imp, _, result = india
    assert "establishments" not in imp.source.raw_field
    crt = result.cluster_region_year
    traded = crt[crt["traded"] & crt["subcluster_code"].isna()]
    assert traded["strong"].fillna(False).any()
    assert traded["establishments"].isna().all()
    skipped = result.manifest["tests_skipped"]
    assert len(skipped) == 1 and "establishments" in skipped[0]["test"]


def test_india_builds_with_nic_in_the_classification_store() -> None:
    """With NIC 2008 in the store (the shipped list added to the embedded store), the carried
    definition's codes are checked against it and every one can receive workers."""
    from clusterobs.classifications import nic
    from clusterobs.data.catalog import CLASSIFICATIONS_DIR

    base = ClassificationStore.load(CLASSIFICATIONS_DIR)
    codes = nic.read_code_list(DEFINITIONS.parent / "classifications" / "nic2008_structure.csv")
    store = ClassificationStore(
        pd.concat([base.codes, codes], ignore_index=True),
        pd.concat([base.crosswalks, nic.isic_links(codes)], ignore_index=True),
    )
    eng = connect()
    imp = read_b18_parquet(eng, measure="total")
    definition = load_definition(DEFINITIONS / "uscmp_nic2008_class.csv", "NIC2008")
    result = pipeline.build(imp.source, definition, engine=eng, store=store)
    unknown = {r["code"] for r in result.manifest["unknown_industry_codes"]["by_code"]}
    assert unknown == {"2031", "9910", "9920"}  # census codes outside NIC 2008 (4-digit ones)
    _compare(result, reference(imp.source.frame, definition.table))


def test_manifest_names_workers_not_employment(india) -> None:
    _, _, result = india
    assert result.manifest["input"]["measure"] == "main + marginal workers"


def test_confidential_cells_are_not_labelled_midpoint(eu) -> None:
    _, _, result = eu
    crt = result.cluster_region_year
    with_suppressed = crt[crt["suppressed_cells"] > 0]
    assert len(with_suppressed)
    assert (with_suppressed["imputation_method"] != "midpoint").all()


def test_bounded_estimates_can_be_used_as_imputed_employment() -> None:
    eng = connect()
    imp = read_sbs_parquet(eng, region_types=("nuts2",), estimated=True)
    definition = load_definition(DEFINITIONS / "uscmp_nace2_division.csv", "NACE2")
    result = pipeline.build(
        imp.source, definition, engine=eng, options=pipeline.MappingOptions(imputation="source")
    )
    crt = result.cluster_region_year
    assert (crt["employment_imputed"] > 0).any()


def test_sbs_level_definition_uses_the_g_groups() -> None:
    eng = connect()
    imp = read_sbs_parquet(eng, region_types=("nuts2",), detail="leaves")
    definition = load_definition(DEFINITIONS / "uscmp_nace2_sbs.csv", "NACE2")
    result = pipeline.build(imp.source, definition, engine=eng)
    groups = definition.table[definition.table["industry_code"].str.contains(".", regex=False)]
    clusters = set(groups["cluster_code"])
    crt = result.cluster_region_year
    got = crt[crt["cluster_code"].isin(clusters) & (crt["employment"] > 0)]
    assert set(got["cluster_code"]) == clusters


def test_division_data_with_the_nace_store_loaded() -> None:
    from clusterobs.data.catalog import CLASSIFICATIONS_DIR

    store = ClassificationStore.load(CLASSIFICATIONS_DIR)
    eng = connect()
    imp = read_sbs_parquet(eng, region_types=("nuts2",))
    definition = load_definition(DEFINITIONS / "uscmp_nace2_division.csv", "NACE2")
    result = pipeline.build(imp.source, definition, engine=eng, store=store)
    assert result.cluster_region_year["employment"].sum() > 0
