"""Funding rules engine: every MSE-CDP component and category, boundaries and refusals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources

import pytest

from clusterobs.programmes.rules import engine
from clusterobs.programmes.rules.engine import Money


def _file(name: str) -> dict:
    path = resources.files("clusterobs.programmes") / "data" / "rules" / name
    return json.loads(path.read_text(encoding="utf-8"))


V2007 = _file("msecdp-2007.json")
V2022 = engine.resolve(_file("msecdp-2022.json"), V2007)
SPV_OK = {
    "spv_members": 20,
    "spv_member_contribution_percent": "10",
    "max_member_equity_percent": "10",
}


def lakh(x) -> Money:
    return Money(Decimal(str(x)), "INR", "lakh")


def crore(x) -> Money:
    return Money(Decimal(str(x)), "INR", "crore")


def one(rule_set, key, cost, **facts):
    return engine.calculate(rule_set, facts=facts, costs={key: cost}).components[0]


def test_rule_files_are_valid_and_cite_sources():
    for rule_set in (V2007, V2022):
        engine.validate(rule_set)
        assert rule_set["source"]["document"]
    # Cited by the document's title (a visitor can follow it on /sources/), never a file name.
    assert V2007["source"]["document"] == "Changing Paradigms of Cluster Development"


@pytest.mark.parametrize(
    ("key", "cost", "special", "eligible_cost", "share", "grant"),
    [
        ("diagnostic-study", 2.5, None, "2.5", "100", "2.5"),
        ("diagnostic-study", 4, None, "2.5", "100", "2.5"),
        ("soft-interventions", 20, None, "20", "75", "15"),
        ("soft-interventions", 25, "60", "25", "90", "22.5"),
        ("soft-interventions", 40, "50", "25", "75", "18.75"),  # exactly 50% is not "more than"
        ("dpr", 5, None, "5", "100", "5"),
        ("dpr", 6, "80", "5", "100", "5"),  # no special share for DPR
        ("cfc", 1000, None, "1000", "70", "700"),
        ("cfc", 2000, "51", "1500", "90", "1350"),
        ("infrastructure", 800, None, "800", "60", "480"),
        ("infrastructure", 1200, "75", "1000", "80", "800"),
    ],
)
def test_2007_components(key, cost, special, eligible_cost, share, grant):
    facts = {"special_units_percent": special} if special else {}
    result = one(V2007, key, lakh(cost), **facts)
    assert result.eligible
    assert result.eligible_cost.amount == Decimal(eligible_cost)
    assert result.grant_share_percent == Decimal(share)
    assert result.grant == lakh(grant)
    assert result.beneficiary_share.amount == Decimal(str(cost)) - Decimal(grant)
    assert result.reasons and any("grant =" in r for r in result.reasons)


def test_amounts_carry_unit_and_convert():
    # Rs 1 crore of soft interventions is capped at Rs 25 lakh; answer in the unit given.
    result = one(V2007, "soft-interventions", crore(1))
    assert result.grant == crore("0.1875")
    assert result.eligible_cost.as_dict() == {"amount": "0.25", "currency": "INR", "unit": "crore"}
    assert "capped at Rs 25 lakh" in " ".join(result.reasons)


@pytest.mark.parametrize(
    ("cost", "region", "share", "grant"),
    [
        ("5", False, "70", "3.5"),
        ("10", False, "70", "7"),  # exactly Rs 10 crore: still the 5-10 band
        ("10.01", False, "60", "6.006"),
        ("30", False, "60", "18"),
        ("45", False, "60", "18"),  # eligible cost capped at Rs 30 crore
        ("8", True, "80", "6.4"),
        ("10", True, "80", "8"),
        ("20", True, "70", "14"),
    ],
)
def test_2022_cfc_bands(cost, region, share, grant):
    facts = {**SPV_OK, "aspirational_district": region}
    result = one(V2022, "cfc", crore(cost), **facts)
    assert result.eligible, result.reasons
    assert result.grant_share_percent == Decimal(share)
    assert result.grant == crore(grant)
    assert result.eligible_cost.amount <= 30


@pytest.mark.parametrize(
    "fact", ["north_eastern_or_hill_state", "island_territory", "aspirational_district"]
)
def test_2022_each_special_region_counts(fact):
    result = one(V2022, "cfc", crore(6), **SPV_OK, **{fact: True})
    assert result.grant_share_percent == Decimal(80)


def test_2022_cfc_refusals_name_every_failed_condition():
    below = one(V2022, "cfc", crore("4.99"), **SPV_OK)
    assert not below.eligible and "below the minimum Rs 5 crore" in " ".join(below.reasons)
    spv = one(
        V2022, "cfc", crore(8),
        spv_members=19, spv_member_contribution_percent="9.5", max_member_equity_percent="10.5",
    )  # fmt: skip
    text = " ".join(spv.reasons)
    assert not spv.eligible and spv.grant is None
    assert "at least 20 member enterprises" in text and "given spv_members = 19" in text
    assert "at least 10% of the CFC cost" in text and "more than 10% of the equity" in text
    missing = one(V2022, "cfc", crore(8))
    assert not missing.eligible and "spv_members not given" in " ".join(missing.reasons)


def test_2022_spv_boundaries_are_inclusive():
    ok = one(V2022, "cfc", crore(8), **SPV_OK)  # exactly 20 members, 10% and 10%
    assert ok.eligible


@pytest.mark.parametrize(
    ("estate", "cost", "region", "share", "grant"),
    [
        ("new", "5", False, "60", "3"),
        ("new", "15", False, "60", "9"),
        ("new", "20", False, "60", "9"),  # capped at Rs 15 crore
        ("new", "12", True, "70", "8.4"),
        ("upgrade", "10", False, "50", "5"),
        ("upgrade", "12", False, "50", "5"),  # capped at Rs 10 crore
        ("upgrade", "8", True, "60", "4.8"),
    ],
)
def test_2022_infrastructure(estate, cost, region, share, grant):
    result = one(V2022, "infrastructure", crore(cost), estate_type=estate, island_territory=region)
    assert result.eligible, result.reasons
    assert result.grant_share_percent == Decimal(share)
    assert result.grant == crore(grant)


def test_2022_infrastructure_refusals():
    assert not one(V2022, "infrastructure", crore(4), estate_type="new").eligible
    unknown = one(V2022, "infrastructure", crore(8))
    assert not unknown.eligible and "estate_type" in " ".join(unknown.reasons)


def test_2022_inherits_soft_components_and_says_so():
    result = one(V2022, "soft-interventions", lakh(25), special_units_percent="70")
    assert result.grant == lakh("22.5")
    assert "carried over unchanged from version 2007" in result.reasons[0]


def test_2022_cfc_ignores_2007_special_units_share():
    result = one(V2022, "cfc", crore(8), **SPV_OK, special_units_percent="90")
    assert result.grant_share_percent == Decimal(70)


def test_unknown_component_wrong_currency_and_nonpositive_cost_are_refused():
    calc = engine.calculate(
        V2007,
        facts={},
        costs={"marketing": lakh(1), "dpr": Money(Decimal(1), "USD", "lakh"), "cfc": lakh(0)},
    )
    reasons = [" ".join(c.reasons) for c in calc.components]
    assert "not a component" in reasons[0]
    assert "must be in INR" in reasons[1]
    assert "must be positive" in reasons[2]
    assert calc.total_grant.amount == 0


def test_totals_and_rounding_down_to_the_rupee():
    calc = engine.calculate(
        V2007, facts={}, costs={"soft-interventions": lakh("0.00013"), "dpr": lakh(1)}
    )
    # 75% of Rs 13 = Rs 9.75, paid as Rs 9 (grants are "up to" the share)
    assert calc.components[0].grant.rupees == Decimal(9)
    assert calc.total_grant.rupees == Decimal(100_009)


def test_version_selected_by_date():
    sets = [V2007, V2022]
    assert engine.select(sets, dt.date(2015, 1, 1))["version"] == "2007"
    assert engine.select(sets, dt.date(2022, 3, 31))["version"] == "2007"
    assert engine.select(sets, dt.date(2022, 4, 1))["version"] == "2022"
    assert engine.select(sets, dt.date(2000, 1, 1)) is None


def test_malformed_rule_set_is_rejected():
    bad = json.loads(json.dumps(V2007))
    bad["components"][0]["variants"][0]["bands"][0]["category_shares"] = {"nope": "90"}
    with pytest.raises(engine.RuleError, match="unknown category"):
        engine.validate(bad)
    with pytest.raises(engine.RuleError):
        Money(Decimal(1), "INR", "million")


def test_rule_sets_loaded_into_versioned_rows_and_api(reference, registry, api_client):
    from clusterobs.programmes.models import RuleSet

    rows = RuleSet.objects.order_by("valid_from")
    assert [r.version for r in rows] == ["2007", "2022"]
    assert rows[0].source.startswith("Changing Paradigms of Cluster Development, section V.II")
    response = api_client.post(
        "/api/funding-calculator/",
        {
            "scheme": "msecdp",
            "on": "2023-05-01",
            "facts": {**SPV_OK, "north_eastern_or_hill_state": True},
            "costs": {"cfc": {"amount": "1000", "unit": "lakh"}},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rule_version"] == "2022"
    assert body["components"][0]["grant"] == {"amount": "800", "currency": "INR", "unit": "lakh"}
    bad = api_client.post(
        "/api/funding-calculator/",
        {"scheme": "msecdp", "on": "1990-01-01", "costs": {"dpr": "1"}},
        format="json",
    )
    assert bad.status_code == 400 and "No msecdp funding rules" in bad.json()["detail"]


def test_calculator_page(reference, client):
    response = client.get(
        "/programmes/calculator/",
        {"scheme": "msecdp", "version": "2007", "unit": "lakh",
         "costs": "soft-interventions = 30\ndpr = 5", "facts": "special_units_percent = 60"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rs 22.5 lakh" in html and "capped at Rs 25 lakh" in html and "version 2007" in html
