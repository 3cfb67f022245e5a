"""Suppressed employment (midpoint and constrained imputation) and vintage crosswalks."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.classifications.crosswalk import crosswalk_weights, find_path
from clusterobs.classifications.naics import normalize, parent
from clusterobs.mapping.imputation import constrained_imputation
from clusterobs.mapping.pipeline import MappingOptions
from clusterobs.sources.schema import SIZE_CLASS_MIDPOINT
from tests.engine.conftest import build_frame


def test_midpoints_are_the_documented_ones() -> None:
    assert SIZE_CLASS_MIDPOINT == {
        "A": 10, "B": 60, "C": 175, "E": 375, "F": 750, "G": 1750, "H": 3750,
        "I": 7500, "J": 17500, "K": 37500, "L": 75000, "M": 100000,
    }  # fmt: skip


def test_naics_notation() -> None:
    assert [normalize(c) for c in ("------", "31----", "336///", "336---", "3361//")] == [
        "", "31", "336", "336", "3361",
    ]  # fmt: skip
    assert normalize("33611-") == normalize("33611/") == "33611"
    assert parent("336111") == "33611" and parent("336") == "31" and parent("31") == ""


def _suppressed_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["r0", "r0", "r1"],
            "industry": ["100000", "100001", "100000"],
            "year": 2010,
            "employment": [None, 50.0, 80.0],
            "flag": ["B", "", ""],
            "payroll": [None, 2_000_000.0, 4_000_000.0],
        }
    )


def test_midpoint_imputation_kept_apart_from_reported() -> None:
    res = build_frame(
        _suppressed_rows(), {"c": ["100000", "100001"]}, flag="flag", payroll="payroll"
    )
    r0 = res.cluster_region_year.set_index("region_code").loc["r0"]
    assert r0["employment"] == 60 + 50
    assert r0["employment_reported"] == 50
    assert r0["employment_imputed"] == 60
    assert r0["suppressed_cells"] == 1 and r0["imputation_method"] == "midpoint"
    # Wage: payroll over reported employment only.
    assert r0["wage"] == pytest.approx(2_000_000 / 50)


def test_constrained_imputation_adds_up_within_bounds() -> None:
    rows = pd.DataFrame(
        {
            "region_code": "01",
            "region_type": "state",
            "year": 2010,
            "industry_code": ["", "31", "311", "3111", "311111", "311112", "311113"],
            "employment_reported": [1000.0, 400.0, 400.0, 400.0, 100.0, None, None],
            "size_class": [None, None, None, None, None, "B", "C"],
        }
    )
    out = constrained_imputation(rows).set_index("industry_code")["employment"]
    # Residual 300 shared B:C as 60:175 -> 76.6 and 223.4; both inside their class bounds.
    assert out["311112"] == pytest.approx(300 * 60 / 235)
    assert out["311113"] == pytest.approx(300 * 175 / 235)
    assert out["311111"] + out["311112"] + out["311113"] == pytest.approx(400)


def test_constrained_imputation_clips_to_class_bounds() -> None:
    rows = pd.DataFrame(
        {
            "region_code": "01",
            "region_type": "state",
            "year": 2010,
            "industry_code": ["", "311111", "311112"],
            "employment_reported": [1000.0, None, None],
            "size_class": [None, "A", "C"],
        }
    )
    out = constrained_imputation(rows).set_index("industry_code")["employment"]
    assert out["311111"] == 19  # A: 0-19
    assert out["311112"] == 249  # C: 100-249


def test_constrained_option_in_pipeline() -> None:
    rows = pd.DataFrame(
        {
            "region": "r0",
            "industry": ["T", "100000", "100001"],
            "year": 2010,
            "employment": [None, 50.0, None],
            "flag": ["", "", "B"],
        }
    )
    rows.loc[0, "employment"] = 120.0
    res = build_frame(
        rows,
        {"c": ["100000", "100001"]},
        options=MappingOptions(imputation="constrained"),
        total_code="T",
        flag="flag",
    )
    r0 = res.cluster_region_year.iloc[0]
    assert r0["employment"] == pytest.approx(120)  # 50 + 70 (B, 20-99) = published total
    assert r0["imputation_method"] == "constrained"


def test_crosswalk_equal_split_conserves_employment(store) -> None:
    w = crosswalk_weights(store, "NAICS2002", "NAICS2007")
    assert w.groupby("from_code")["weight"].sum().to_numpy() == pytest.approx(1.0)
    split = w[w["weight"] < 1]
    assert len(split) > 0
    n = split.groupby("from_code")["to_code"].transform("size")
    assert split["weight"].to_numpy() == pytest.approx(1 / n.to_numpy())


def test_crosswalk_proportional_and_chained(store) -> None:
    assert find_path(store, "NAICS2017", "NAICS2007") == ["NAICS2017", "NAICS2012", "NAICS2007"]
    w = crosswalk_weights(store, "NAICS2017", "NAICS2007")
    assert w.groupby("from_code")["weight"].sum().to_numpy() == pytest.approx(1.0)
    eq = crosswalk_weights(store, "NAICS2002", "NAICS2007")
    multi = eq[eq["weight"] < 1]["from_code"].iloc[0]
    targets = eq[eq["from_code"] == multi]["to_code"].tolist()
    sizes = pd.Series({targets[0]: 3.0, **{t: 1.0 for t in targets[1:]}})
    prop = crosswalk_weights(
        store, "NAICS2002", "NAICS2007", rule="proportional", target_sizes=sizes
    )
    got = prop[prop["from_code"] == multi].set_index("to_code")["weight"]
    assert got[targets[0]] == pytest.approx(3.0 / (3.0 + len(targets) - 1))


def test_classification_import_from_the_official_files_equals_the_embedded_store(
    tmp_path, shared_data
) -> None:
    """``clusterobs classifications import`` on the published files reproduces the embedded
    store exactly (the embedded copy is that import, nothing else)."""
    import pandas as pd

    from clusterobs.classifications.store import import_classifications
    from clusterobs.data.catalog import CLASSIFICATIONS_DIR

    import_classifications(shared_data / "industry_classifications", tmp_path)
    for name in ("codes.parquet", "crosswalks.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / name), pd.read_parquet(CLASSIFICATIONS_DIR / name)
        )
