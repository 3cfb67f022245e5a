"""Bounded estimation of confidential Eurostat cells, on small tables whose answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterobs.sources.eurostat import read_sbs
from clusterobs.sources.eurostat_estimate import estimate_confidential, nace_section

C = "confidential"


def _frame(cells: dict[tuple[str, str], float | str], units: dict | None = None) -> pd.DataFrame:
    rows = []
    for (region, industry), v in cells.items():
        status = v if isinstance(v, str) else "reported"
        rows.append(
            {
                "source_region_code": region,
                "industry_code": industry,
                "year": 2015,
                "employment_value": np.nan if isinstance(v, str) else float(v),
                "employment_status": status,
                "establishments_value": (units or {}).get((region, industry), np.nan),
            }
        )
    return pd.DataFrame(rows)


def _estimates(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[float, str]]:
    out, _ = estimate_confidential(frame)
    est = out[out["employment_status"] == C]
    return {
        (r.source_region_code, r.industry_code): (r.employment_estimated, r.estimation_method)
        for r in est.itertuples()
    }


def test_cells_recoverable_by_difference_are_exact() -> None:
    # Truth: XX11 11 = 50, XX11 12 = 30, XX12 10 = 40, XX12 12 = 20.
    f = _frame(
        {
            ("XX1", "C"): 400, ("XX1", "10"): 210, ("XX1", "11"): 130, ("XX1", "12"): 60,
            ("XX11", "C"): 180, ("XX11", "10"): 100, ("XX11", "11"): C, ("XX11", "12"): C,
            ("XX12", "C"): 120, ("XX12", "10"): C, ("XX12", "11"): 60, ("XX12", "12"): C,
            ("XX13", "C"): 100, ("XX13", "10"): 70, ("XX13", "11"): 20, ("XX13", "12"): 10,
        }
    )  # fmt: skip
    est = _estimates(f)
    assert est == {
        ("XX11", "11"): (50.0, "difference"),
        ("XX11", "12"): (30.0, "difference"),
        ("XX12", "10"): (40.0, "difference"),
        ("XX12", "12"): (20.0, "difference"),
    }


def test_a_block_is_fitted_to_both_parent_totals() -> None:
    # Four confidential cells, two regions x two divisions: only their margins are known.
    # Row targets: XX11 100 - 0 = 100, XX12 50; column targets: 10: 90 - 20 = 70, 11: 80.
    f = _frame(
        {
            ("XX1", "C"): 170, ("XX1", "10"): 90, ("XX1", "11"): 80,
            ("XX11", "C"): 100, ("XX11", "10"): C, ("XX11", "11"): C,
            ("XX12", "C"): 50, ("XX12", "10"): C, ("XX12", "11"): C,
            ("XX13", "C"): 20, ("XX13", "10"): 20, ("XX13", "11"): 0,
        },
        units={("XX11", "10"): 3, ("XX11", "11"): 1, ("XX12", "10"): 1, ("XX12", "11"): 2,
               ("XX1", "10"): 5, ("XX1", "11"): 3},
    )  # fmt: skip
    est = _estimates(f)
    assert {m for _, m in est.values()} == {"ras"}
    v = {k: x for k, (x, _) in est.items()}
    assert all(x >= 0 for x in v.values())
    # Both margins hold (they are consistent here): 1e-4 persons is the fit's tolerance.
    assert v[("XX11", "10")] + v[("XX11", "11")] == pytest.approx(100, abs=1e-4)
    assert v[("XX12", "10")] + v[("XX12", "11")] == pytest.approx(50, abs=1e-4)
    assert v[("XX11", "10")] + v[("XX12", "10")] == pytest.approx(70, abs=1e-4)
    assert v[("XX11", "11")] + v[("XX12", "11")] == pytest.approx(80, abs=1e-4)
    # The seed (local units) tilts the fit: XX11 has 3 of 4 local units in division 10.
    assert v[("XX11", "10")] > v[("XX11", "11")]


def test_an_unavailable_sibling_makes_a_margin_unusable() -> None:
    # XX13's division 11 is ':' (not available): it may hide anything, so the column total of
    # division 11 cannot bound XX11/XX12; the row totals still do.
    f = _frame(
        {
            ("XX1", "C"): 170, ("XX1", "10"): 90, ("XX1", "11"): 80,
            ("XX11", "C"): 100, ("XX11", "10"): 60, ("XX11", "11"): C,
            ("XX12", "C"): 50, ("XX12", "10"): 10, ("XX12", "11"): C,
            ("XX13", "C"): 20, ("XX13", "10"): 20, ("XX13", "11"): "missing",
        }
    )  # fmt: skip
    est = _estimates(f)
    # Each row has one confidential child: exact by difference from the row total.
    assert est[("XX11", "11")] == (40.0, "difference")
    assert est[("XX12", "11")] == (40.0, "difference")


def test_without_any_usable_total_nothing_is_estimated() -> None:
    f = _frame({("XX11", "10"): C, ("XX11", "11"): 5, ("XX12", "10"): 7})
    est = _estimates(f)
    assert np.isnan(est[("XX11", "10")][0]) and est[("XX11", "10")][1] is pd.NA


def test_estimation_is_off_by_default_and_never_touches_reported_values(sample_tsv: Path) -> None:
    plain = read_sbs(None, sample_tsv, negative="invalid")
    assert plain.frame["employment_estimated"].isna().all()
    assert plain.report.estimated_cells == 0
    est = read_sbs(None, sample_tsv, negative="invalid", estimate="bounded")
    f = est.frame
    conf = f["employment_status"] == "confidential"
    assert f.loc[~conf, "employment_estimated"].isna().all()
    assert f.loc[conf, "employment_reported"].isna().all()
    pd.testing.assert_series_equal(f["employment_reported"], plain.frame["employment_reported"])
    assert est.report.estimated_cells == int(f["employment_estimated"].notna().sum()) > 0
    # Energy (35) in the four DE1 regions: only the DE1 column total bounds them.
    energy = f[
        (f["industry_code"] == "35") & f["region_code"].str.match(r"DE1\d") & (f["year"] == 2015)
    ]
    de1 = read_sbs(None, sample_tsv, negative="invalid", levels=("nuts1",)).frame
    total = de1[
        (de1["region_code"] == "DE1") & (de1["industry_code"] == "35") & (de1["year"] == 2015)
    ]
    assert energy["employment_estimated"].sum() == pytest.approx(
        total["employment_reported"].iloc[0], rel=1e-9
    )


def test_nace_sections() -> None:
    assert nace_section("29") == "C"
    assert nace_section("45") == "G"
    assert nace_section("95") == "S"
    assert nace_section("04") is None
