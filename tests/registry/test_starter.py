"""Starter content from the seed documents: complete, cited, and consistent."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from clusterobs.registry.models import (
    Cluster,
    CountryFigure,
    Initiative,
    KeyFigure,
    Organisation,
    Scheme,
    ThematicChallenge,
)

# The seed files behind the two catalogued documents (tests may name files; records never do).
SEED_FILES = {
    "changing-paradigms-2014": "000_9a9a01752eefee5e.txt",
    "india-gate-d5-3-2012": "004_d36efa97d15a2b9f.txt",
}
TITLES = (
    "Changing Paradigms of Cluster Development",
    "Report on Cluster Existence and Cooperation",
)


def starter_json(name: str) -> list[dict]:
    return json.loads((resources.files("clusterobs.registry") / "starter" / name).read_text())


def test_schemes_and_programmes_of_table_2_with_table_3_coverage(starter) -> None:
    table_2 = Scheme.objects.filter(country="IN")
    assert table_2.filter(kind="scheme").count() == 14
    assert table_2.filter(kind="programme").count() == 15
    # and the two EU programmes the INDIA GATE report names (CIP, FP7)
    assert set(Scheme.objects.filter(country="EU").values_list("slug", flat=True)) == {"cip", "fp7"}
    table_3 = {  # seed 000, Table 3: clusters covered
        "msecdp": 534,
        "sfurti": 103,
        "iius": 38,
        "ahvy": 1237,
        "ihcds": 585,
        "sitp": 40,
        "mega-food-park-scheme": 15,
        "common-facilities-ayurveda-clusters": 12,
        "nabard-cdp": 48,
        "sidbi-tup": 45,
        "unido-cdp": 40,
    }
    for slug, value in table_3.items():
        scheme = Scheme.objects.get(slug=slug)
        assert scheme.coverage.filter(measure="clusters covered", value=value).exists(), slug
    msecdp = Scheme.objects.get(slug="msecdp")
    assert msecdp.institution.startswith("Development Commissioner (MSME)")
    assert int(msecdp.coverage.get(measure="soft interventions").value) == 304
    assert msecdp.components.count() == 5


def test_thematic_typology_of_table_1(starter) -> None:
    energy = ThematicChallenge.objects.get(key="energy-intensive")
    assert energy.products == [
        "Castings & Forging",
        "Steel re-rolling",
        "Foundry",
        "Ceramics",
        "Brick",
    ]
    assert ThematicChallenge.objects.count() == 6


@pytest.mark.parametrize(
    "name_part",
    [
        "Prato",
        "Sialkot",
        "Bangalore",
        "Niagara",
        "Saskatoon",
        "Lucknow",
        "Copenhagen",
        "Hyderabad",
        "Lahore",
        "Rawalpindi",
    ],
)
def test_named_clusters_of_the_seeds_are_present(starter, name_part: str) -> None:
    assert Cluster.objects.filter(name__icontains=name_part).exists()


def test_unido_smeda_clusters_in_pakistan(starter) -> None:
    assert Cluster.objects.filter(country="PK").count() == 5  # 4 UNIDO/SMEDA + surgical


def test_every_record_cites_a_document_title_and_section_never_a_file(starter) -> None:
    for model in (Cluster, Organisation, Scheme, Initiative, CountryFigure, KeyFigure):
        for record in model.objects.all():
            assert record.source.startswith(tuple(f"{t}, " for t in TITLES)), (model, record)
            assert not re.search(r"seeds?/|\.txt|\blines? \d", record.source), record.source
    for model, field in ((Cluster, "description"), (Organisation, "description")):
        for record in model.objects.all():
            text = getattr(record, field)
            assert not re.search(r"\bseed 00|\.json|\.txt", text), (record, text)


def test_quotes_are_verbatim_from_the_seeds(shared_data) -> None:
    seeds_dir = shared_data.parent / "seeds"
    texts = {
        key: re.sub(r"\s+", " ", (seeds_dir / name).read_text(encoding="utf-8"))
        for key, name in SEED_FILES.items()
    }
    checked = 0
    for name in (
        "schemes.json",
        "clusters.json",
        "organisations.json",
        "country_figures.json",
        "thematic_typology.json",
        "initiatives.json",
        "agreements.json",
    ):
        for record in starter_json(name):
            for source in (record["source"], record.get("clusters_source")):
                if source is None:
                    continue
                quote = re.sub(r"\s+", " ", source["quote"]).strip()
                assert quote in texts[source["document"]], (name, record["key"], quote)
                checked += 1
    assert checked > 200


def test_cross_references_resolve() -> None:
    clusters = {c["key"] for c in starter_json("clusters.json")}
    orgs = {o["key"] for o in starter_json("organisations.json")}
    schemes = {s["key"] for s in starter_json("schemes.json")}
    for org in starter_json("organisations.json"):
        assert {link["cluster_key"] for link in org["clusters"]} <= clusters
    for initiative in starter_json("initiatives.json"):
        assert set(initiative["cluster_keys"]) <= clusters
        assert set(initiative["organisation_keys"]) <= orgs
        assert initiative["scheme_key"] is None or initiative["scheme_key"] in schemes
    for agreement in starter_json("agreements.json"):
        assert set(agreement["party_keys"]) <= orgs


def test_india_national_figures(starter) -> None:
    india = CountryFigure.objects.filter(country="IN")
    assert india.count() >= 10
    assert india.filter(value=1156).exists()  # industrial clusters (Cluster Observatory)
