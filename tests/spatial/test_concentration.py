"""Concentration indices on the documented examples of the R package REAT 3.0.3 (Wieland).

Expected values are the ones printed in REAT's help pages (``ellison.a``, ``herf``, ``gini``,
``gini.conc``, ``krugman.spec``) or, for ``ellison.a2`` on the FK2014_EGC data, REAT's output for
its documented example. REAT has no Maurel-Sedillot index: MS is checked on the same examples
against its formula written out here. Tolerances: REAT prints 7-12 significant digits.
"""

from __future__ import annotations

import pandas as pd
import pytest

from clusterobs.spatial.concentration import plant_herfindahl
from clusterobs.spatial.concentration.ellison_glaeser import EllisonGlaeser
from clusterobs.spatial.concentration.gini import Gini, LocationalGini
from clusterobs.spatial.concentration.herfindahl import Herfindahl
from clusterobs.spatial.concentration.krugman import KrugmanSpecialisation
from clusterobs.spatial.concentration.maurel_sedillot import MaurelSedillot
from clusterobs.spatial.concentration.table import concentration_by_industry
from tests.spatial.conftest import FIXTURES

# ellison.a example (Farhauer & Kröll 2014): ten plants in Vienna, Linz and Graz.
PLANT_REGION = ["Wien"] * 5 + ["Linz"] * 4 + ["Graz"]
PLANT_EMP = [200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000]
REGION_TOTAL = {"Wien": 500000, "Linz": 400000, "Graz": 100000}
GDP = [
    460.69,
    549.19,
    124.16,
    65.29,
    31.59,
    109.27,
    263.44,
    39.87,
    258.53,
    645.59,
    131.95,
    35.03,
    112.66,
    56.22,
    85.61,
    56.81,
]


def test_ellison_glaeser_reat_example():
    eg = EllisonGlaeser.from_plants(PLANT_EMP, PLANT_REGION, REGION_TOTAL)
    assert eg.gamma == pytest.approx(0.05990628, abs=5e-9)
    assert eg.H_method == "plants"


def _ms_by_hand(industry: dict, totals: dict, h: float) -> float:
    e, t = sum(industry.values()), sum(totals.values())
    s2 = sum((industry.get(r, 0) / e) ** 2 for r in totals)
    x2 = sum((v / t) ** 2 for v in totals.values())
    return ((s2 - x2) / (1 - x2) - h) / (1 - h)


def test_maurel_sedillot_on_the_reat_example():
    by_region = {
        r: sum(e for e, g in zip(PLANT_EMP, PLANT_REGION, strict=True) if g == r)
        for r in REGION_TOTAL
    }
    h = sum((e / sum(PLANT_EMP)) ** 2 for e in PLANT_EMP)
    ms = MaurelSedillot(
        [by_region[r] for r in REGION_TOTAL], list(REGION_TOTAL.values()), plant_herfindahl=h
    )
    assert ms.gamma == pytest.approx(_ms_by_hand(by_region, REGION_TOTAL, h), abs=1e-15)
    assert pytest.approx(0.2446887755102041, abs=1e-15) == ms.H


REAT_A2 = {  # ellison.a2(FK2014_EGC$emp_firm, FK2014_EGC$industry, FK2014_EGC$region)
    "Clothing trade": (-0.0937938445647, 0.01790965339642, 0.1312435000000),
    "Forestry": (0.1683800334283, 0.08826293376242, 0.0924055325255),
    "Textiles dyeing": (-0.0801253944492, 0.02776481067084, 0.1455998263703),
    "Textiles trade": (-0.1304013405494, 0.00273496619033, 0.1220805919245),
}


def test_ellison_glaeser_reat_fk2014_industries():
    df = pd.read_csv(FIXTURES / "fk2014_egc.csv", dtype={"region": str})
    totals = df.groupby("region")["emp_firm"].sum()  # as ellison.a2: all firms of the region
    for industry, (gamma, g, hhi) in REAT_A2.items():
        sub = df[df["industry"] == industry]
        eg = EllisonGlaeser.from_plants(sub["emp_firm"], sub["region"], totals)
        assert eg.gamma == pytest.approx(gamma, abs=1e-12)
        assert pytest.approx(g, abs=1e-13) == eg.G
        assert pytest.approx(hhi, abs=1e-13) == eg.H
        by_region = sub.groupby("region")["emp_firm"].sum().to_dict()
        ms = MaurelSedillot(
            [by_region.get(r, 0) for r in totals.index], totals.to_numpy(), plant_herfindahl=eg.H
        )
        assert ms.gamma == pytest.approx(_ms_by_hand(by_region, totals.to_dict(), eg.H), abs=1e-14)


def test_table_equal_size_approximation_is_exact_for_equal_plants():
    """The per-industry table with the equal-size approximation, when every region has one
    plant size, equals the exact plant Herfindahl: a case built so that the two coincide."""
    rows = pd.DataFrame(
        {
            "industry_code": ["x", "x", "x"],
            "region_code": ["a", "b", "c"],
            "employment": [100.0, 100.0, 200.0],
            "establishments": [1, 1, 2],
        }
    )
    totals = pd.DataFrame({"region_code": ["a", "b", "c"], "total": [1000.0, 3000.0, 6000.0]})
    t = concentration_by_industry(rows, totals).iloc[0]
    h = plant_herfindahl.from_plants([100, 100, 100, 100])
    assert t["plant_herfindahl"] == pytest.approx(h, abs=1e-15)
    eg = EllisonGlaeser([100, 100, 200], [1000, 3000, 6000], plant_herfindahl=h)
    assert t["eg_gamma"] == pytest.approx(eg.gamma, abs=1e-15)
    assert t["plant_herfindahl_method"] == "equal_within_region"


def test_equal_size_approximation_is_a_lower_bound():
    exact = plant_herfindahl.from_plants([10, 90, 50, 50])
    approx = plant_herfindahl.equal_within_region([100, 100], [2, 2])
    assert approx <= exact
    assert approx == pytest.approx((100**2 / 2 + 100**2 / 2) / 200**2)


def test_size_classes_use_class_midpoints():
    h = plant_herfindahl.from_size_classes({"n1_4": 2, "n100_249": 1})
    assert h == pytest.approx((2 * 2.5**2 + 174.5**2) / (2 * 2.5 + 174.5) ** 2)
    with pytest.raises(ValueError, match="unknown size classes"):
        plant_herfindahl.from_size_classes({"n7_8": 1})


def test_herfindahl_reat_examples():
    h = Herfindahl([20, 50, 20, 10])
    assert pytest.approx(0.34, abs=1e-12) == h.H
    assert h.H_normalised == pytest.approx(0.12, abs=1e-12)
    assert h.equivalent_number == pytest.approx(2.94, abs=5e-3)
    assert pytest.approx(0.125, abs=5e-4) == Herfindahl(GDP).H


def test_gini_reat_examples():
    g = Gini([20, 50, 20, 10])
    assert pytest.approx(0.3, abs=1e-12) == g.G
    assert g.G_normalised == pytest.approx(0.4, abs=1e-12)
    weighted = Gini([500, 1500, 2500, 4000, 7500, 15000], sizes=[1000, 1200, 1600, 400, 200, 600])
    assert pytest.approx(0.5278, abs=5e-5) == weighted.G
    assert pytest.approx(0.5009, abs=5e-5) == Gini(GDP).G


def test_locational_gini_reat_example():
    g = LocationalGini([500, 500, 1000, 7000, 1000], [20000, 15000, 20000, 40000, 5000])
    assert pytest.approx(0.4068966, abs=5e-8) == g.G


def test_krugman_reat_example():
    assert pytest.approx(2.0) == KrugmanSpecialisation([20, 10, 70, 0, 0], [0, 0, 0, 60, 40]).K
    assert pytest.approx(0.0, abs=1e-15) == KrugmanSpecialisation([1, 2, 3], [2, 4, 6]).K


def test_missing_employment_is_an_error_not_zero():
    with pytest.raises(ValueError, match="value 2 is missing"):
        Herfindahl([1.0, float("nan"), 3.0])
