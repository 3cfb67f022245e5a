"""Starter content linked the way a user expects: MoU partners, industry codes, states, schemes,
and provenance that cites document titles (never file names), also after an upgrade."""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from clusterobs.collaboration.models import Agreement
from clusterobs.regions.models import Region
from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
    CountryFigure,
    Initiative,
    Organisation,
    Scheme,
)

FIXTURES = Path(__file__).parent / "fixtures"
#: Countries whose clusters take NACE Rev. 2 codes (EU member states of the sources' time).
EUROPE = {"AT", "IT", "NL", "FR", "DK", "DE", "ES", "SE", "FI", "BE", "PT", "IE", "GR"}


def starter_json(name: str) -> list[dict]:
    return json.loads((resources.files("clusterobs.registry") / "starter" / name).read_text())


@pytest.fixture
def loaded(db):
    from clusterobs.collaboration.starter import load as load_collaboration
    from clusterobs.references.starter import load as load_references
    from clusterobs.registry.starter import load_starter_content

    load_references()
    counts = load_starter_content()
    load_collaboration()
    return counts


def test_all_fifteen_mou_partners_of_annex_2_including_sudan(loaded) -> None:
    mous = Agreement.objects.filter(key__startswith="msme-mou-")
    assert mous.count() == 15
    sudan = Organisation.objects.get(slug="gov-republic-of-sudan")
    assert sudan.country == "SD"
    assert mous.filter(parties=sudan).count() == 1
    assert CountryFigure.objects.get(key="in-msme-mou-countries").value == 15
    assert "15 countries" in Organisation.objects.get(slug="ministry-of-msme").description


def test_annex_2_lists_fifteen_countries(shared_data) -> None:
    text = (shared_data.parent / "seeds" / "004_d36efa97d15a2b9f.txt").read_text(encoding="utf-8")
    annex = text.split("Annex 2 - Bilateral MoUs with India")[-1]
    partners = [line for line in annex.splitlines() if line.startswith("- ")]
    assert len(partners) == 15
    assert partners[-1] == "- Republic of Sudan"
    counterparts = [o for o in starter_json("organisations.json") if o["key"].startswith("gov-")]
    assert sorted(o["source"]["quote"] for o in counterparts) == sorted(partners)


def test_clusters_carry_the_industry_codes_of_their_country(loaded) -> None:
    official = {
        (r["classification"], r["code"]): r["title"]
        for r in csv.DictReader((FIXTURES / "starter_code_titles.csv").open())
    }
    for cluster in Cluster.objects.all():
        codes = list(cluster.industry_codes.all())
        if not cluster.product:
            assert codes == [], cluster  # nothing to derive a code from
            continue
        if cluster.slug == "cleantech-copenhagen":
            assert codes == []  # documented: cleantech is not one activity
            continue
        assert codes, cluster
        expected = (
            "NIC2008"
            if cluster.country == "IN"
            else "NACE2"
            if cluster.country in EUROPE
            else "ISIC4"
        )
        for code in codes:
            assert code.classification == expected, (cluster, code)
            assert official[(code.classification, code.code)] == code.title, code
    knitwear = Cluster.objects.get(slug="knitwear-india").industry_codes.get()
    assert (knitwear.classification, knitwear.code) == ("NIC2008", "1430")
    assert ClusterIndustryCode.objects.filter(
        cluster__slug="knitwear-prato", classification="NACE2", code="14.39"
    ).exists()


def test_every_cluster_without_a_code_says_why() -> None:
    for item in starter_json("clusters.json"):
        assert item["industry_codes"] or item.get("industry_codes_note"), item["key"]


def test_clusters_are_linked_to_the_schemes_the_sources_name(loaded) -> None:
    cip = Scheme.objects.get(slug="cip")
    assert cip.country == "EU"
    assert set(cip.clusters.values_list("slug", flat=True)) == {
        "agrofood-food-valley",
        "agrofood-montpellier-languedoc-roussillon",
        "agrofood-lombardy",
    }
    assert Initiative.objects.get(slug="feeding-the-planet").scheme == cip
    assert Initiative.objects.get(slug="india-gate").scheme.slug == "fp7"


def test_filtering_clusters_by_scheme_and_code_finds_them(loaded, client) -> None:
    page = client.get("/clusters/", {"scheme": "cip"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lombardy" in body and "Prato" not in body
    api = client.get("/api/clusters/", {"industry_code": "1430", "classification": "NIC2008"})
    assert [c["slug"] for c in api.json()["results"]] == ["knitwear-india"]


def test_state_named_by_the_source_is_linked_once_boundaries_exist(loaded) -> None:
    from clusterobs.registry.starter import load_starter_content

    assert Cluster.objects.get(slug="ice-wine-niagara").state is None  # no boundaries yet
    ontario = Region.objects.create(country="CA", level="state", code="35", name="Ontario")
    lombardia = Region.objects.create(country="IT", level="state", code="ITC4", name="Lombardia")
    andhra = Region.objects.create(country="IN", level="state", code="28", name="Andhra Pradesh")
    counts = load_starter_content()
    assert counts["cluster states"] == 2
    assert Cluster.objects.get(slug="ice-wine-niagara").state == ontario
    assert Cluster.objects.get(slug="agrofood-lombardy").state == lombardia
    # A located cluster is left to its coordinates (`clusterobs regions locate`): Hyderabad's
    # state today is not the one the 2012 source names.
    assert Cluster.objects.get(slug="health-life-science-hyderabad").state != andhra


def test_reloading_restores_links_of_untouched_records_only(loaded, users) -> None:
    from clusterobs.registry import services
    from clusterobs.registry.starter import load_starter_content

    assert load_starter_content() == {}  # idempotent
    ClusterIndustryCode.objects.filter(cluster__slug="knitwear-india").delete()
    edited = Cluster.objects.get(slug="wine-chile")
    services.update_record(
        edited, user=users["editor"], expected_version=1, changes={"description": "Edited."}
    )
    ClusterIndustryCode.objects.filter(cluster=edited).delete()
    assert load_starter_content() == {"industry codes": 1}
    assert Cluster.objects.get(slug="knitwear-india").industry_codes.count() == 1
    assert not ClusterIndustryCode.objects.filter(cluster=edited).exists()


def test_cluster_page_links_its_source_title_to_the_sources_page(loaded, client) -> None:
    body = client.get("/clusters/knitwear-india/").content.decode()
    assert 'href="/sources/#india-gate-d5-3-2012"' in body
    assert "Report on Cluster Existence and Cooperation</a>, section 6" in body
    assert "NIC 2008" in body and "1430" in body
    assert "seeds/" not in body and ".txt" not in body


@pytest.mark.django_db(transaction=True)
def test_upgrade_rewrites_file_provenance_to_titles() -> None:
    """Records loaded by an earlier release cite files; the migration rewrites them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0002_list_covering_indexes")])
    old = executor.loader.project_state([("registry", "0002_list_covering_indexes")]).apps
    cluster_model = old.get_model("registry", "Cluster")
    figure_model = old.get_model("registry", "CountryFigure")
    cluster_model.objects.create(
        name="Knitwear cluster, India",
        slug="knitwear-india-old",
        country="IN",
        source="seeds/004_d36efa97d15a2b9f.txt, section 6, International Cluster Initiatives "
        "(ILO), line 554",
        description="The seed does not name the place (seed 004, section 6, line 554).",
    )
    cluster_model.objects.create(
        name="User cluster", slug="user-cluster", country="IN", source="Udyam 2024, table 3"
    )
    figure_model.objects.create(
        key="in-msme-mou-countries",
        country="IN",
        indicator="msme_bilateral_mous",
        label="Countries",
        value=14,
        unit="countries",
        source="seeds/004_d36efa97d15a2b9f.txt, Annex 2 (Bilateral MoUs with India), line 714",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    upgraded = Cluster.objects.get(slug="knitwear-india-old")
    assert upgraded.source == (
        "Report on Cluster Existence and Cooperation, section 6, International Cluster "
        "Initiatives (ILO)"
    )
    assert upgraded.description == (
        "The source does not name the place (Report on Cluster Existence and Cooperation, "
        "section 6)."
    )
    assert Cluster.objects.get(slug="user-cluster").source == "Udyam 2024, table 3"
    figure = CountryFigure.objects.get(key="in-msme-mou-countries")
    assert figure.value == 15
    assert figure.source == (
        "Report on Cluster Existence and Cooperation, Annex 2 (Bilateral MoUs with India)"
    )
    assert not re.search(r"seeds/|line", figure.source)
