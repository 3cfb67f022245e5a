"""The importers on the complete published files (skipped when ../shared/data is absent), and
the embedded package data rebuilt from them must equal the shipped files."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterobs.regions import nuts
from clusterobs.sources.census_india import read_b18, read_b18_frame
from clusterobs.sources.eurostat import read_eurostat_tsv, read_sbs, read_sbs_parquet
from tests.sources.conftest import (
    DATA,
    EU_TSV,
    INDIA_DIR,
    NUTS_BOUNDARIES,
    NUTS_HISTORY,
    needs_real_data,
)

pytestmark = needs_real_data
REPO = Path(__file__).resolve().parents[2]
PACKAGE_DATA = REPO / "src" / "clusterobs" / "data"


@pytest.fixture(scope="module")
def eu_import():
    history = nuts.NutsHistory.read(NUTS_HISTORY)
    targets = set()
    for level in (0, 1, 2):
        path = NUTS_BOUNDARIES / f"NUTS_RG_60M_2021_4326_LEVL_{level}.geojson"
        targets |= set(nuts.boundary_codes(path)["code"])
    geo = read_eurostat_tsv(EU_TSV, keep={"indic_sb": ["V16110"]}).cells["geo"].astype(str)
    corr = nuts.correspondence(set(geo), history, targets)
    return read_sbs(
        None,
        EU_TSV,
        levels=("country", "nuts1", "nuts2"),
        correspondence=corr,
        boundary_codes=targets,
        negative="invalid",
    )


def test_stuttgart_motor_vehicles(eu_import) -> None:
    f = eu_import.frame
    de11 = f[(f["region_code"] == "DE11") & (f["industry_code"] == "29")].set_index("year")
    assert de11.loc[2015, "employment_reported"] == 160445
    assert (de11.loc[2008, "employment_reported"], de11.loc[2008, "employment_flags"]) == (
        135146,
        "d",
    )


def test_every_confidential_cell_is_suppressed_in_the_output(eu_import) -> None:
    """Key by key: each ``: c...`` cell of the three measures in the file is null with status
    confidential in the output, and persons employed carries the engine's suppression marker."""
    f = eu_import.frame
    measures = {"V16110": "employment", "V11210": "establishments", "V13320": "payroll"}
    confidential = []
    with gzip.open(EU_TSV, "rt") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        years = [int(h) for h in header[1:]]
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            nace, indic, geo = cells[0].split(",")
            if indic not in measures:
                continue
            for year, text in zip(years, cells[1:], strict=True):
                t = text.strip()
                if t.startswith(":") and "c" in t[1:]:
                    confidential.append((nace, measures[indic], geo, year))
    assert len(confidential) > 50_000
    key = f.set_index(["source_region_code", "industry_code", "year"])
    from clusterobs.sources.eurostat import nace_code

    seen = 0
    for nace, measure, geo, year in confidential:
        if len(geo) > 4:
            continue
        row = key.loc[(geo, nace_code(nace), year)]
        assert row[f"{measure}_status"] == "confidential", (nace, measure, geo, year)
        value = row["employment_reported"] if measure == "employment" else row[measure]
        assert np.isnan(value)
        if measure == "employment":
            assert row["size_class"] == "c"
        seen += 1
    assert seen == len(confidential)
    emp = sum(1 for _, m, _, _ in confidential if m == "employment")
    assert (f["size_class"] == "c").sum() == emp == eu_import.report.suppressed_cells


def test_nuts_2010_codes_are_matched_to_their_2021_successors(eu_import) -> None:
    f = eu_import.frame
    recoded = {r["code"]: r["target_code"] for r in eu_import.report.recoded_regions}
    # Greece: NUTS 2010 EL11 (Anatoliki Makedonia, Thraki) is NUTS 2021 EL51.
    assert recoded["EL11"] == "EL51"
    assert recoded["FR21"] == "FRF2" and recoded["PL11"] == "PL71"
    el51 = f[(f["region_code"] == "EL51") & (f["industry_code"] == "C")]
    assert set(el51["source_region_code"]) == {"EL11", "EL51"}
    assert el51["year"].is_unique
    # Splits, merges and UK 2010 codes are listed without a boundary, with their rows kept.
    without = {r["code"]: r["relation"] for r in eu_import.report.regions_without_boundary}
    assert without["DE41"] == "merged" and without["HU10"] == "split"
    assert without["UKI1"] == "split"
    assert {"DE41", "HU10", "UKI1"} <= set(f["region_code"])
    corr = eu_import.correspondence.set_index("code")
    # Matched across a recorded boundary change, and flagged: UKM2 lost UKM24 to UKM9 in 2016.
    assert corr.loc["UKM2", "relation"] == "recoded_boundary_shift"
    assert corr.loc["UKM2", "target_code"] == "UKM7"
    assert "lost ex-ukm24" in corr.loc["UKM2", "note"]


def test_nuts1_sums_of_nuts2_agree_with_the_published_nuts1(eu_import) -> None:
    from clusterobs.sources.eurostat import aggregate_nuts2

    f = eu_import.frame
    agg = aggregate_nuts2(f, "nuts1")
    pub = f[f["region_type"] == "nuts1"]
    keys = ["region_code", "industry_code", "year"]
    m = agg.merge(pub[[*keys, "employment_reported"]], on=keys, suffixes=("", "_published"))
    both = m.dropna(subset=["employment_reported", "employment_reported_published"])
    close = (both["employment_reported"] - both["employment_reported_published"]).abs() <= 1
    # 97 % agree to one person; the others are NUTS 1 codes whose published version is not
    # the 2021 one (PL1, ITD, ITE, FR9 ...), where the NUTS 2 children were recoded away.
    assert close.mean() > 0.95
    # Baden-Wuerttemberg (same NUTS 1 and NUTS 2 codes in every version): 707 of 713 cells;
    # the 6 others (F and 43 with flag i, 45.3, 62, 72, 82) differ in the published cells.
    de1 = close[both["region_code"] == "DE1"]
    assert len(de1) == 713 and int((~de1).sum()) == 6


def test_the_five_indian_state_totals_equal_their_districts_division_rows() -> None:
    paths = sorted(INDIA_DIR.glob("*.csv"))
    assert len(paths) == 5
    f = read_b18(None, paths, region_types=("district", "state")).frame
    states = f[(f["region_type"] == "state") & (f["industry_code"] == "")].set_index("region_code")
    divisions = f[(f["region_type"] == "district") & (f["level"] == "division")]
    for measure in ("main_workers", "marginal_workers", "employment_reported"):
        sums = divisions.groupby("state_code")[measure].sum()
        pd.testing.assert_series_equal(
            states[measure].sort_index(), sums.sort_index(), check_names=False
        )
    assert states.loc["08", "main_workers"] == 9_017_944
    assert states.loc["19", "main_workers"] == 15_619_759
    assert f["region_code"][f["region_type"] == "district"].nunique() == 85


def test_india_files_add_up_and_pseudo_codes_are_reported() -> None:
    nic = pd.read_csv(PACKAGE_DATA / "classifications" / "nic2008_structure.csv", dtype=str)
    imp = read_b18(None, sorted(INDIA_DIR.glob("*.csv")), known_codes=set(nic["code"]))
    assert imp.checks["hierarchy_mismatches"].empty
    assert imp.report.unknown_codes == ["2031", "991", "9910", "992", "9920"]
    frames = [read_b18_frame(p)[0] for p in sorted(INDIA_DIR.glob("*.csv"))]
    assert sum(len(x) for x in frames) == imp.report.rows_read


def _script():
    path = REPO / "scripts" / "data" / "build_embedded_eu_india.py"
    spec = importlib.util.spec_from_file_location("build_embedded_eu_india", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_definitions_and_nic_list_are_what_the_script_builds(tmp_path: Path) -> None:
    script = _script()
    nic_path = script.build_nic(DATA, tmp_path)
    script.build_definitions(DATA, nic_path, tmp_path)
    for rel in ("classifications/nic2008_structure.csv",
                "definitions/uscmp_nace2_division.csv",
                "definitions/uscmp_nace2_sbs.csv",
                "definitions/uscmp_nic2008_class.csv",
                "definitions/uscmp_nace2_division_shares.csv",
                "definitions/uscmp_nic2008_class_shares.csv"):  # fmt: skip
        assert (tmp_path / rel).read_text() == (PACKAGE_DATA / rel).read_text(), rel


def test_shipped_eu_and_india_data_are_what_the_script_builds(tmp_path: Path) -> None:
    script = _script()
    script.build_eu(DATA, tmp_path)
    script.build_india(DATA, PACKAGE_DATA / "classifications" / "nic2008_structure.csv", tmp_path)
    for rel in ("eu/sbs_r_nuts06_r2.parquet", "india/census2011_b18.parquet"):
        fresh = pd.read_parquet(tmp_path / rel)
        shipped = pd.read_parquet(PACKAGE_DATA / rel)
        pd.testing.assert_frame_equal(fresh, shipped)
    for rel in ("eu/regions.csv", "eu/nuts_correspondence.csv", "india/regions.csv"):
        assert (tmp_path / rel).read_text() == (PACKAGE_DATA / rel).read_text(), rel
    for rel in ("eu/sbs_r_nuts06_r2.parquet", "india/census2011_b18.parquet"):
        assert (PACKAGE_DATA / rel).stat().st_size < 3_000_000


def test_embedded_eu_nuts2_rows_equal_a_fresh_import(eu_import) -> None:
    shipped = read_sbs_parquet(None).frame
    fresh = eu_import.frame[eu_import.frame["region_type"] == "nuts2"].reset_index(drop=True)
    cols = ["region_code", "industry_code", "year", "employment_reported", "size_class"]
    pd.testing.assert_frame_equal(
        shipped[cols].reset_index(drop=True), fresh[cols], check_dtype=False
    )


def test_nic_and_nace_join_the_stored_crosswalks(tmp_path: Path) -> None:
    """Through the classification store: NIC 2008 imported from the shipped list, NAICS 2017
    reaches NACE Rev.2 and NIC 2008 by ISIC Rev.4, with weights adding up to one."""
    from clusterobs.classifications.concordance import nace_level_code, weights_at_level
    from clusterobs.classifications.crosswalk import find_path
    from clusterobs.classifications.store import ClassificationStore, import_classifications

    counts = import_classifications(
        DATA / "industry_classifications",
        tmp_path,
        nic2008=PACKAGE_DATA / "classifications" / "nic2008_structure.csv",
    )
    assert counts["NIC2008"] == 766
    store = ClassificationStore.load(tmp_path)
    assert len(store.detailed_codes("NIC2008")) == 419
    assert find_path(store, "NAICS2017", "NIC2008") == ["NAICS2017", "ISIC4", "NIC2008"]
    assert find_path(store, "NAICS2017", "NACE2") == ["NAICS2017", "ISIC4", "NACE2"]
    w = weights_at_level(store, "NAICS2017", "NACE2", nace_level_code("division"))
    assert w.groupby("from_code")["weight"].sum().sub(1).abs().max() < 1e-12
    auto = w[w["from_code"] == "336111"].set_index("to_code")["weight"]
    assert auto.to_dict() == {"29": 1.0}
