"""The EU NUTS 2 and India district observatories through the pages and the API: the count is
named as the source measured it (persons employed, workers), regions are named from the result's
own region table, search knows NACE and NIC codes and keeps its links in the dataset, and the
Indian districts have boundaries after ``init``'s starter content."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.observatory.eu_india_fixture import EU, INDIA, build_eu_india

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("eu_india")]


@pytest.fixture(scope="session")
def eu_india_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_eu_india(tmp_path_factory.mktemp("eu-india"))


@pytest.fixture(autouse=True)
def _eu_india_settings(settings, eu_india_results: Path) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(eu_india_results)


def _search(client, dataset: str, q: str) -> list[dict]:
    r = client.get("/api/observatory/search/", {"q": q, "dataset": dataset})
    assert r.status_code == 200, r.content[:300]
    return r.json()


def test_datasets_listed_side_by_side(client) -> None:
    names = {d["name"] for d in client.get("/api/observatory/datasets/").json()}
    assert {EU, INDIA} <= names


def test_eu_region_dashboard_names_persons_employed(client) -> None:
    r = client.get("/observatory/regions/nuts2/DE11/", {"dataset": EU})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Stuttgart" in html and "Persons employed" in html
    assert "Workers, not jobs" not in html
    api = client.get("/api/observatory/regions/DE11/", {"dataset": EU}).json()
    assert api["fields"]["employment"]["label"] == "Persons employed"
    assert "sbs_r_nuts06_r2" in api["fields"]["employment"]["source"]
    assert api["fields"]["wage"]["unit"].startswith("EUR per person employed")
    assert api["fields"]["establishments"]["label"] == "Local units"


def test_india_district_pages_say_workers(client) -> None:
    r = client.get("/observatory/regions/district/342/", {"dataset": INDIA})
    html = r.content.decode()
    assert r.status_code == 200 and "Kolkata" in html
    assert "Workers, not jobs" in html and "main + marginal workers" in html
    api = client.get("/api/observatory/regions/342/", {"dataset": INDIA}).json()
    assert api["fields"]["employment"]["label"] == "Workers (main + marginal workers)"
    assert api["fields"]["wage"]["unit"] == "not in the census table"


def test_us_pages_keep_employment(client, settings, tmp_path) -> None:
    from clusterobs.observatory.measure import measure_of

    assert measure_of({"input": {"measure": "employment"}}).label == "Employment"
    assert measure_of({}).label == "Employment"


@pytest.mark.parametrize(
    ("dataset", "q", "kind", "code"),
    [
        (EU, "DE11", "region", "DE11"),
        (EU, "Stuttgart", "region", "DE11"),
        (EU, "C29", "industry", "29"),
        (INDIA, "Kolkata", "region", "342"),
        (INDIA, "1311", "industry", "1311"),
    ],
)
def test_search_by_region_and_code(client, dataset: str, q: str, kind: str, code: str) -> None:
    hits = _search(client, dataset, q)
    hit = next(h for h in hits if h["kind"] == kind)
    assert hit["code"] == code
    assert hit["url"].endswith(f"?dataset={dataset}")
    if kind == "industry" and dataset == INDIA:
        assert hit["label"] == "1311 Preparation and spinning of textile fibres"


def test_digits_inside_a_region_code_are_not_an_industry_code(client) -> None:
    assert all(h["kind"] == "region" for h in _search(client, EU, "DE11"))


def test_search_page_speaks_the_dataset_codes(client) -> None:
    html = client.get("/observatory/search/", {"q": "29", "dataset": EU}).content.decode()
    assert "NACE codes" in html and 'name="dataset" value="eu-nuts2"' in html
    html = client.get("/observatory/search/", {"q": "13", "dataset": INDIA}).content.decode()
    assert "NIC codes" in html


def test_complexity_pages_on_both(client) -> None:
    for dataset, path in ((EU, "nuts2/DE11"), (INDIA, "district/342")):
        r = client.get(f"/observatory/complexity/regions/{path}/", {"dataset": dataset})
        assert r.status_code == 200, (dataset, r.status_code)


def test_india_district_boundaries_from_the_starter() -> None:
    from clusterobs.regions.models import Region
    from clusterobs.regions.starter import load

    first = load()
    assert first["India district boundaries"] == 641
    assert first["India districts without a 2011 code (no census data)"] == 4
    assert load() == {}  # a second run changes nothing
    kolkata = Region.objects.get(country="IN", level="district", code="342")
    assert kolkata.name == "Kolkata" and kolkata.geometry is not None


def test_dataset_chosen_once_stays_for_the_following_requests(client) -> None:
    """The map and chart requests of a page carry no ``?dataset=``: they follow the choice."""
    client.get("/observatory/", {"dataset": INDIA})
    values = client.get("/api/observatory/map/", {"type": "district"}).json()
    codes = {r["region_code"] for r in values["tables"]["values"]["rows"]}
    assert "342" in codes and len(codes) == 85
    client.get("/observatory/", {"dataset": EU})
    values = client.get("/api/observatory/map/", {"type": "nuts2"}).json()
    assert "DE11" in {r["region_code"] for r in values["tables"]["values"]["rows"]}


def test_unknown_dataset_is_404_and_a_removed_choice_is_forgotten(client, settings) -> None:
    assert client.get("/observatory/", {"dataset": "nope"}).status_code in (200, 404)
    assert client.get("/api/observatory/map/", {"dataset": "nope"}).status_code == 404
    session = client.session
    session["observatory_dataset"] = "removed-result"
    session.save()
    assert client.get("/api/observatory/map/").status_code == 200
    assert "observatory_dataset" not in client.session


def test_common_clusters_across_datasets(client) -> None:
    d = client.get("/api/observatory/across/").json()
    assert [ds["name"] for ds in d["datasets"]] == [EU, INDIA]  # no us-states here: by name
    auto = next(c for c in d["clusters"] if c["cluster_name"] == "Automotive")
    assert auto[EU]["strong_regions"] > 0 and auto[INDIA]["strong_regions"] > 0
    assert auto["common_to"] == 2
    # every count is the engine's own strong flag in the dataset's latest year
    from clusterobs.observatory.store import get_store

    cry = get_store(EU).query(
        "SELECT count(*) n FROM cry WHERE cluster_code = '4' AND subcluster_code IS NULL "
        "AND year = 2015 AND strong"
    )
    assert auto[EU]["strong_regions"] == int(cry["n"].iloc[0])
    html = client.get("/observatory/across/").content.decode()
    assert "Automotive" in html and "Clusters across datasets" in html


def test_one_cluster_across_datasets(client) -> None:
    d = client.get("/api/observatory/across/Automotive/").json()
    panels = {p["name"]: p for p in d["panels"]}
    assert panels[EU]["regions"][0]["region_code"] == "DE11"
    assert panels[EU]["regions"][0]["employment"] == 160445.0
    assert panels[INDIA]["unit"] == "workers" and panels[EU]["unit"] == "persons employed"
    assert client.get("/api/observatory/across/No%20such%20cluster/").status_code == 404
    html = client.get("/observatory/across/Automotive/").content.decode()
    assert "Stuttgart" in html and f"?dataset={INDIA}" in html


def test_index_switcher_lists_the_datasets(client) -> None:
    html = client.get("/observatory/", {"dataset": INDIA}).content.decode()
    assert f'href="?dataset={EU}"' in html and f'href="?dataset={INDIA}"' in html
    assert 'aria-current="true"' in html


def test_eu_peer_groups(client) -> None:
    """Compare peers of Stuttgart: the other Baden-Wuerttemberg regions (NUTS 1 DE1), German
    regions, and regions of similar size; no boundaries are needed for these."""
    from clusterobs.observatory.selectors.compare import peers as peer_groups
    from clusterobs.observatory.store import get_store

    peers = peer_groups(get_store(EU), "nuts2", "DE11", "4")
    codes = {g: [r["region_code"] for r in rows] for g, rows in peers.items()}
    assert codes["same_parent"] == ["DE12", "DE13", "DE14"]
    assert "DE21" in codes["same_country"] and all(c[:2] == "DE" for c in codes["same_country"])
    assert len(codes["similar_size"]) == 5 and "DE11" not in codes["similar_size"]
    assert codes["strong_in_cluster"] and "DE11" not in codes["strong_in_cluster"]
    html = client.get("/observatory/compare/", {"dataset": EU, "regions": "DE11"}).content
    assert b"Same country" in html


def test_eu_map_without_boundaries_says_how_to_import_them(client) -> None:
    html = client.get("/observatory/map/", {"dataset": EU}).content.decode()
    assert "No boundaries of the nuts2 regions are imported" in html
    assert "clusterobs regions import NUTS_RG_60M_2021_4326_LEVL_2.geojson" in html
    assert "DE11" in html  # the values table is there without the map


def test_eu_map_with_the_users_nuts_boundaries(client, shared_data: Path) -> None:
    """With the user's copy of the GISCO NUTS 2021 file imported as the docs say, the map's
    boundary request returns the NUTS 2 regions the result has."""
    from clusterobs.regions.services import RegionImportSpec, import_regions

    path = shared_data / "nuts_boundaries_2021" / "NUTS_RG_60M_2021_4326_LEVL_2.geojson"
    spec = RegionImportSpec(
        code_field="NUTS_ID", name_field="NAME_LATN", level="state",
        country_field="CNTR_CODE", region_type="NUTS2",
    )  # fmt: skip
    import_regions(path, spec)
    html = client.get("/observatory/map/", {"dataset": EU}).content.decode()
    assert "No boundaries of the nuts2 regions" not in html
    fc = client.get("/api/regions/geojson/", {"level": "nuts2"}).json()
    codes = {f["properties"]["code"] for f in fc["features"]}
    assert "DE11" in codes and len(codes) == 334
