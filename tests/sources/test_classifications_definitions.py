"""NIC 2008, the concordances at the data's level, the carried U.S. definition and the India
product clusters (synthetic stores where the answer is known; the shipped files as they are)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.classifications import nic
from clusterobs.classifications.concordance import (
    linkage,
    nace_level_code,
    weights_at_level,
)
from clusterobs.classifications.store import CODE_COLUMNS, ClassificationStore
from clusterobs.definitions import DEFINITION_COLUMNS, load_definition
from clusterobs.definitions.carry import carry

PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "clusterobs" / "data"
DEFINITIONS = PACKAGE_DATA / "definitions"
NIC_FILE = PACKAGE_DATA / "classifications" / "nic2008_structure.csv"


def test_nic_structure_takes_census_titles_unless_cut_short() -> None:
    isic = pd.DataFrame(
        {
            "code": ["C", "10", "107", "1074", "1075"],
            "title": [
                "Manufacturing",
                "Manufacture of food products",
                "Manufacture of other food products",
                "Manufacture of macaroni, noodles, couscous and similar farinaceous products",
                "Manufacture of prepared meals and dishes",
            ],
            "level": ["section", "division", "group", "class", "class"],
        }
    )
    census = pd.DataFrame(
        {
            "code": ["1074", "1075", "9910"],
            "title": [
                "Manufacture of macaroni, noodles, couscous and similar farinaceous",  # cut
                "Manufacture of prepared meals and dishes (NIC wording)",
                "Blank",
            ],
        }
    )
    s = nic.structure(isic, census).set_index("code")
    assert s.loc["1074", "title"].endswith("farinaceous products")
    assert s.loc["1074", "title_source"] == "ISIC Rev.4"
    assert s.loc["1075", "title"].endswith("(NIC wording)")
    assert s.loc["10", "parent"] == "C" and s.loc["1074", "parent"] == "107"
    assert "9910" not in s.index  # a census pseudo-code is not a NIC code


def test_nic_code_list_detailed_codes_are_the_leaves(tmp_path: Path) -> None:
    path = tmp_path / "nic.csv"
    path.write_text("code,title\nC,Manufacturing\n13,Textiles\n131,Spinning\n1311,Prep\n"
                    "13111,Cotton ginning\n13112,Cotton spinning\n1312,Weaving\n")  # fmt: skip
    codes = nic.read_code_list(path)
    assert list(codes.columns) == CODE_COLUMNS
    detailed = set(codes.loc[codes["detailed"], "code"])
    assert detailed == {"13111", "13112", "1312"}  # sub-classes where given, else the class
    links = nic.isic_links(codes)
    assert dict(zip(links["from_code"], links["to_code"], strict=True)) == {
        "13111": "1311", "13112": "1311", "1312": "1312"
    }  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("code,title\n13,Textiles\n13x1,Oops\n")
    with pytest.raises(ValueError, match=r"row 2, field 'code': '13x1' is not a NIC 2008 code"):
        nic.read_code_list(bad)


def test_the_shipped_nic_list_is_isic_rev4_down_to_the_class() -> None:
    codes = nic.read_code_list(NIC_FILE)
    by_level = codes.groupby("level").size().to_dict()
    assert by_level == {1: 21, 2: 88, 3: 238, 4: 419}  # UNSD ISIC Rev.4: 21/88/238/419
    assert codes.loc[codes["detailed"], "level"].eq(4).all()
    assert len(nic.isic_links(codes)) == 419


def _store() -> ClassificationStore:
    """NAICS 2017 -> ISIC 4 <- NACE 2 for a few codes (links as in the official files)."""
    codes = pd.DataFrame(
        [
            ("NAICS2017", "336111", "Automobile Manufacturing", 6, "33611", True),
            ("NAICS2017", "336390", "Other Motor Vehicle Parts", 6, "33639", True),
            ("NAICS2017", "441110", "New Car Dealers", 6, "44111", True),
            ("ISIC4", "2910", "Motor vehicles", 4, "291", True),
            ("ISIC4", "2930", "Parts", 4, "293", True),
            ("ISIC4", "4510", "Sale of motor vehicles", 4, "451", True),
            ("ISIC4", "4530", "Sale of parts", 4, "453", True),
            ("NACE2", "29.10", "Motor vehicles", 4, "29.1", True),
            ("NACE2", "29.32", "Other parts", 4, "29.3", True),
            ("NACE2", "45.11", "Sale of cars", 4, "45.1", True),
            ("NACE2", "45.19", "Sale of other vehicles", 4, "45.1", True),
            ("NACE2", "45.32", "Retail of parts", 4, "45.3", True),
        ],
        columns=CODE_COLUMNS,
    )
    xw = pd.DataFrame(
        [
            ("NAICS2017", "336111", "ISIC4", "2910", "official"),
            ("NAICS2017", "336390", "ISIC4", "2930", "official"),
            ("NAICS2017", "441110", "ISIC4", "4510", "official"),
            ("NAICS2017", "441110", "ISIC4", "4530", "official"),
            ("NACE2", "29.10", "ISIC4", "2910", "official"),
            ("NACE2", "29.32", "ISIC4", "2930", "official"),
            ("NACE2", "45.11", "ISIC4", "4510", "official"),
            ("NACE2", "45.19", "ISIC4", "4510", "official"),
            ("NACE2", "45.32", "ISIC4", "4530", "official"),
        ],
        columns=["from_classification", "from_code", "to_classification", "to_code", "note"],
    )
    return ClassificationStore(codes, xw)


def test_weights_at_the_data_level_add_up_to_one_per_source_code() -> None:
    store = _store()
    div = weights_at_level(store, "NAICS2017", "NACE2", nace_level_code("division"))
    assert div.groupby("from_code")["weight"].sum().round(12).eq(1.0).all()
    assert set(div.loc[div["from_code"] == "441110", "to_code"]) == {"45"}
    sbs = weights_at_level(store, "NAICS2017", "NACE2", nace_level_code("sbs"))
    car_dealers = sbs[sbs["from_code"] == "441110"].set_index("to_code")["weight"]
    # 441110 links to ISIC 4510 and 4530 (1/2 each); 4510 is NACE 45.11 + 45.19 (group 45.1).
    assert car_dealers.to_dict() == pytest.approx({"45.1": 0.5, "45.3": 0.5})
    per, summary = linkage(
        div, pd.Series(["336111", "441110", "999999"]), pd.Series({"336111": 3.0, "999999": 1.0})
    )
    assert per.set_index("code")["linked"].to_dict() == {
        "336111": True, "441110": True, "999999": False
    }  # fmt: skip
    assert summary["share_codes_linked"] == pytest.approx(2 / 3)
    assert summary["share_size_linked"] == pytest.approx(3 / 4)


def _definition(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(
        rows, columns=["industry_code", "cluster_code", "cluster_name", "traded_local"]
    )
    df["subcluster_code"] = df["cluster_code"] + ".1"
    df["subcluster_name"] = "only"
    return df[DEFINITION_COLUMNS]


def test_carry_gives_each_code_to_its_largest_cluster_and_reports_what_is_lost() -> None:
    definition = _definition(
        [
            ("a1", "4", "Automotive", "traded"),
            ("a2", "4", "Automotive", "traded"),
            ("m1", "32", "Metalworking", "traded"),
            ("r1", "108", "Local Motor Vehicle", "local"),
            ("x1", "99", "Never linked", "traded"),
        ]
    )
    weights = pd.DataFrame(
        {
            "from_code": ["a1", "a2", "a2", "m1", "m1", "r1", "u1"],
            "to_code": ["29", "29", "25", "25", "28", "45", "45"],
            "weight": [1.0, 0.5, 0.5, 0.5, 0.5, 1.0, 1.0],
        }
    )
    sizes = pd.Series({"a1": 100.0, "a2": 40.0, "m1": 60.0, "r1": 50.0, "u1": 80.0, "x1": 5.0})
    c = carry(definition, weights, sizes)
    got = c.table.set_index("industry_code")["cluster_code"].to_dict()
    # 29: Automotive 120; 25: Metalworking 30 > Automotive 20; 28: Metalworking 30;
    # 45: unclustered u1 (80) beats Local Motor Vehicle (50) -> no cluster.
    assert got == {"29": "4", "25": "32", "28": "32"}
    shares = c.shares.set_index("cluster_code")
    assert shares.loc["4", "mapped_share"] == pytest.approx(120 / 140)
    assert shares.loc["32", "mapped_share"] == pytest.approx(1.0)
    assert shares.loc["32", "purity"] == pytest.approx(60 / 80)
    assert shares.loc["108", "mapped_share"] == 0 and shares.loc["108", "target_codes"] == 0
    assert c.unlinked["industry_code"].tolist() == ["x1"]
    a45 = c.assignment.set_index("code").loc["45"]
    assert pd.isna(a45["cluster_code"]) and a45["runner_up"] == "108"
    assert a45["share"] == pytest.approx(80 / 130)
    assert list(c.table.columns) == DEFINITION_COLUMNS
    assert c.table.set_index("industry_code").loc["29", "subcluster_code"] == "4.1"


def test_carry_uses_code_counts_where_no_employment_reaches_a_code() -> None:
    definition = _definition(
        [("f1", "2", "Agricultural", "traded"), ("f2", "20", "Forestry", "traded")]
    )
    weights = pd.DataFrame(
        {"from_code": ["f1", "f1", "f2"], "to_code": ["01", "02", "02"], "weight": [0.5, 0.5, 1.0]}
    )
    c = carry(definition, weights, pd.Series(dtype=float))
    a = c.assignment.set_index("code")
    assert (a["basis"] == "code count").all()
    assert a.loc["01", "cluster_code"] == "2" and a.loc["02", "cluster_code"] == "20"


@pytest.mark.parametrize(
    ("name", "classification", "pattern"),
    [
        ("uscmp_nace2_division", "NACE2", r"\d{2}"),
        ("uscmp_nace2_sbs", "NACE2", r"\d{2}|4[5-7]\.\d"),
        ("uscmp_nic2008_class", "NIC2008", r"\d{4}"),
        ("india_product_clusters_nic2008", "NIC2008", r"\d{4}"),
    ],
)
def test_shipped_definitions_are_valid_canonical_files(name, classification, pattern) -> None:
    path = DEFINITIONS / f"{name}.csv"
    d = load_definition(path, classification)
    codes = d.table["industry_code"]
    assert codes.str.fullmatch(pattern).all()
    assert codes.is_unique
    if classification == "NIC2008":
        nic_codes = set(pd.read_csv(NIC_FILE, dtype=str)["code"])
        assert set(codes) <= nic_codes
    if name.startswith("uscmp"):
        shares = pd.read_csv(DEFINITIONS / f"{name}_shares.csv", dtype={"cluster_code": str})
        assert set(d.table["cluster_code"]) <= set(shares["cluster_code"])
        assert shares["mapped_share"].dropna().between(0, 1).all()
        # Each cluster's codes in the file are the codes the shares table counts.
        n = d.table.groupby("cluster_code").size()
        assert (shares.set_index("cluster_code")["target_codes"].reindex(n.index) == n).all()


def test_india_product_clusters_follow_the_source_typology() -> None:
    d = load_definition(DEFINITIONS / "india_product_clusters_nic2008.csv", "NIC2008")
    names = set(d.clusters["cluster_name"])
    for product in ("Textiles", "Handloom", "Leather", "Food processing", "Handicrafts",
                    "Chemicals", "Engineering", "Gems and jewellery", "Sports goods"):  # fmt: skip
        assert any(n.startswith(product) for n in names), product
    by_code = d.table.set_index("industry_code")["cluster_name"]
    assert by_code["1312"].startswith("Handloom")
    assert by_code["1520"].startswith("Leather")
    assert by_code["3230"] == "Sports goods"
    assert d.table["traded"].all()
