"""Observatory API on the real CBP state data: JSON twins, CSV export, conventions shown."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import pandas as pd
import pytest

from tests.observatory.conftest import DATASET, RELATEDNESS

pytestmark = pytest.mark.django_db

CA, TX, MI = "06", "48", "26"


def _get(client, url: str, **params):
    r = client.get(url, params, HTTP_ACCEPT="application/json")
    assert r.status_code == 200, r.content[:500]
    return r.json()


def test_store_basics(store) -> None:
    assert store.years == [2008, 2009, 2010, 2011]
    assert store.main_type == "state"
    assert len(store.region_codes("state")) == 51
    assert store.clusters["traded"].sum() > 40
    d = store.definition
    assert len(d) > 1000 and d["industry_title"].notna().mean() > 0.9


def test_region_dashboard_matches_results(client, store) -> None:
    d = _get(client, f"/api/observatory/regions/{CA}/", year=2011)
    assert d["region"]["name"] == "California" and d["year"] == 2011
    ry = pd.read_parquet(store.path / "region_year.parquet")
    ca = ry[(ry.region_code == CA) & (ry.year == 2011)].iloc[0]
    assert d["summary"]["region"]["employment"] == pytest.approx(ca.employment)
    assert d["summary"]["nation"]["employment"] == pytest.approx(113.4e6, rel=0.001)
    assert d["summary"]["region"]["cluster_strength"] == pytest.approx(ca.cluster_strength)
    top = d["tables"]["top_clusters"]["rows"]
    assert len(top) == 10 and all(r["traded"] for r in top)
    assert [r["employment"] for r in top] == sorted((r["employment"] for r in top), reverse=True)
    rows = d["tables"]["clusters"]["rows"]
    statuses = {r["employment_status"] for r in rows}
    assert "partly_imputed" in statuses and statuses <= {
        "reported",
        "partly_imputed",
        "imputed",
        "none",
    }
    for r in rows:  # suppressed wages are null and say so; never zero
        if r["wage"] is None and r["employment"]:
            assert r["wage_status"] == "suppressed"
        assert r["wage"] is None or r["wage"] > 0
    assert d["tables"]["timeline"]["rows"][0]["employment_index"] == pytest.approx(100)
    assert "lq_traded_local" in d["fields"] and d["fields"]["wage"]["source"]


def test_unknown_region_and_cluster_are_404(client) -> None:
    assert client.get("/api/observatory/regions/99/").status_code == 404
    assert client.get("/api/observatory/clusters/9999/").status_code == 404
    assert client.get("/observatory/regions/state/99/").status_code == 404


def test_csv_export_equals_api(client) -> None:
    d = _get(client, f"/api/observatory/regions/{TX}/", year=2010)
    r = client.get(
        f"/api/observatory/regions/{TX}/", {"year": 2010, "format": "csv", "table": "clusters"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    api = d["tables"]["clusters"]["rows"]
    assert len(rows) == len(api)
    for got, want in zip(rows, api, strict=True):
        assert got["cluster_code"] == want["cluster_code"]
        assert float(got["employment"]) == pytest.approx(want["employment"])
        assert (got["wage"] == "") == (want["wage"] is None)
    bad = client.get(f"/api/observatory/regions/{TX}/", {"format": "csv", "table": "nope"})
    assert bad.status_code == 404


def test_cluster_dashboard(client, store) -> None:
    code = store.clusters[store.clusters.traded].iloc[0]["cluster_code"]
    d = _get(client, f"/api/observatory/clusters/{code}/", region=MI)
    assert len(d["tables"]["trend"]["rows"]) == 4
    regions = d["tables"]["top_regions"]["rows"]
    assert len(regions) <= 51 and regions[0]["employment"] >= regions[-1]["employment"]
    assert d["tables"]["industries"]["rows"]
    nodes = d["related"]["nodes"]
    assert nodes[0]["cluster_code"] == code and d["related"]["matched_by"] == "name"
    assert {lk["relatedness"] for lk in d["related"]["links"]} <= {"strong", "weaker"}
    assert any(n["strong"] is not None for n in nodes)


def test_region_cluster_shift_share(client, store) -> None:
    code = store.clusters[store.clusters.traded].iloc[0]["cluster_code"]
    d = _get(client, f"/api/observatory/regions/{CA}/clusters/{code}/")
    assert [r["year"] for r in d["tables"]["timeline"]["rows"]] == [2008, 2009, 2010, 2011]
    for r in d["tables"]["change"]["rows"]:
        parts = r["ss_national_share"] + r["ss_industry_mix"] + r["ss_regional_share"]
        assert parts == pytest.approx(r["job_creation"], abs=1e-3)
    assert all("national_wage" in r for r in d["tables"]["timeline"]["rows"])


def test_map_values_and_colours(client, store) -> None:
    code = store.clusters[store.clusters.traded].iloc[0]["cluster_code"]
    d = _get(client, "/api/observatory/map/", cluster=code, indicator="lq_traded_local")
    rows = d["tables"]["values"]["rows"]
    assert len(rows) == 51 and d["palette"][0] == "#440154"
    for r in rows:
        if r["value"] is None:
            assert r["color"] == d["no_data"]
        else:
            assert r["color"] == d["palette"][r["class"]]
    lo = min((r for r in rows if r["value"] is not None), key=lambda r: r["value"])
    hi = max((r for r in rows if r["value"] is not None), key=lambda r: r["value"])
    assert lo["color"] == "#440154" and hi["color"] == "#fde725"
    regions = _get(client, "/api/observatory/map/", indicator="cluster_strength")
    assert regions["cluster"] is None and len(regions["tables"]["values"]["rows"]) == 51
    assert client.get("/api/observatory/map/", {"indicator": "bogus"}).status_code == 400


def test_search_regions_clusters_industries(client, store) -> None:
    hits = _get(client, "/api/observatory/search/", q="336111")
    ind = [h for h in hits if h["kind"] == "industry" and h["code"] == "336111"]
    assert ind, hits
    d = store.definition
    assert ind[0]["cluster_code"] == d[d.industry_code == "336111"].iloc[0]["cluster_code"]
    assert _get(client, "/api/observatory/search/", q="Texa")[0]["code"] == TX
    auto = _get(client, "/api/observatory/search/", q="automotive")
    assert any(h["kind"] == "cluster" for h in auto)
    assert _get(client, "/api/observatory/search/", q="x") == []


def test_compare_refuses_unknown_codes_and_more_than_ten_regions(client) -> None:
    """Never a silent cut: the API refuses what it would leave out, the page names it."""
    url = "/api/observatory/compare/"
    r = client.get(url, {"regions": f"{CA},XX", "clusters": "1,nope"})
    assert r.status_code == 400
    assert r.json() == {
        "regions": "not in this result: XX",
        "clusters": "not in this result: nope",
    }
    eleven = ["01", "02", "04", "05", "06", "08", "09", "10", "11", "12", "13"]
    r = client.get(url, {"regions": ",".join(eleven)})
    assert r.status_code == 400 and r.json() == {"regions": "at most 10 regions, 11 given"}
    page = client.get("/observatory/compare/", {"regions": ",".join([*eleven, "XX"])})
    html = page.content.decode()
    assert "Not regions of this result, left out: XX." in html
    assert "Up to 10 regions are compared; this one was left out: 13." in html
    rows = json.loads(re.search(r'id="compare-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [r["region_code"] for r in rows] == eleven[:10]


def test_compare_and_peers(client) -> None:
    d = _get(client, "/api/observatory/compare/", regions=f"{CA},{TX},{MI}", clusters="1,2")
    rows = d["tables"]["compare"]["rows"]
    assert [r["region_code"] for r in rows] == [CA, TX, MI]
    assert "lq_traded_local:1" in d["tables"]["compare"]["columns"]
    p = _get(client, f"/api/observatory/regions/{CA}/peers/", cluster="1")
    assert {r["region_code"] for r in p["neighbours"]} == {"04", "32", "41"}
    assert len(p["similar_size"]) == 5


def test_union_recompute_reproduces_engine_and_is_fast(store) -> None:
    from clusterobs.observatory.recompute import union_measures

    cry = store.query("SELECT * FROM cry WHERE region_type = 'state'")
    ry = store.query("SELECT * FROM ry WHERE region_type = 'state'")
    rows, _ = union_measures(cry, ry, [MI], code=MI)
    orig = cry[cry.region_code == MI].sort_values(["year", "cluster_code"], ignore_index=True)
    rows = rows.sort_values(["year", "cluster_code"], ignore_index=True)
    for col in ("lq_traded_local", "lq_total", "strong", "eco_stars", "employment_rank"):
        a, b = orig[col].astype("float64"), rows[col].astype("float64")
        assert ((a - b).abs() < 1e-9).where(a.notna(), b.isna()).all(), col
    ten = ["06", "41", "53", "32", "04", "16", "49", "08", "35", "30"]
    t0 = time.perf_counter()
    rows, region = union_measures(cry, ry, ten)
    assert time.perf_counter() - t0 < 5
    assert region["employment"].tolist() == pytest.approx(
        ry[ry.region_code.isin(ten)].groupby("year")["employment"].sum().tolist()
    )
    assert rows["peer_regions"].max() <= 42
    with pytest.raises(ValueError, match="unknown region"):
        union_measures(cry, ry, ["ZZ"])


def test_custom_region_job_and_privacy(client, django_user_model) -> None:
    from rest_framework.test import APIClient

    alice = django_user_model.objects.create_user("alice", password="pw-alice-1")
    bob = django_user_model.objects.create_user("bob", password="pw-bob-1")
    api = APIClient()
    assert api.post("/api/observatory/custom-regions/", {}, format="json").status_code in (401, 403)
    api.force_authenticate(alice)
    r = api.post(
        "/api/observatory/custom-regions/",
        {"name": "Pacific", "members": ["06", "41", "53"]},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["job"]["status"] == "done" and body["region_type"] == "state"
    job = api.get(f"/api/observatory/jobs/{body['job']['id']}/").json()
    assert job["progress"] == 1.0
    detail = api.get(f"/api/observatory/custom-regions/{body['id']}/").json()
    rows = [x for x in detail["result"]["clusters"] if x["year"] == 2011]
    assert rows and all(x["lq_traded_local"] is None or x["lq_traded_local"] >= 0 for x in rows)
    bad = api.post(
        "/api/observatory/custom-regions/", {"name": "x", "members": ["ZZ"]}, format="json"
    )
    assert bad.status_code == 400
    other = APIClient()
    other.force_authenticate(bob)
    assert other.get(f"/api/observatory/custom-regions/{body['id']}/").status_code == 404
    assert client.get(f"/observatory/custom-regions/{body['id']}/").status_code == 404
    client.force_login(alice)
    page = client.get(f"/observatory/custom-regions/{body['id']}/")
    assert page.status_code == 200 and b"Recomputed" in page.content


def test_dataset_names_are_checked_and_json_is_cached(client) -> None:
    assert client.get("/api/observatory/regions/06/", {"dataset": "../x"}).status_code == 404
    assert client.get("/api/observatory/regions/06/", {"dataset": "nope"}).status_code == 404
    names = [d["name"] for d in _get(client, "/api/observatory/datasets/")]
    assert names == [DATASET]
    first = client.get("/api/observatory/regions/06/", HTTP_ACCEPT="application/json")
    again = client.get(
        "/api/observatory/regions/06/",
        HTTP_ACCEPT="application/json",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304


def test_custom_cluster_rebuild(client, django_user_model, store) -> None:
    """Industries moved into a custom traded cluster, rebuilt by the engine from the CBP input."""
    from rest_framework.test import APIClient

    owner = django_user_model.objects.create_user("carol", password="pw-carol-1")
    api = APIClient()
    api.force_authenticate(owner)
    bad = api.post(
        "/api/observatory/custom-clusters/",
        {"name": "x", "industries": ["999999"]},
        format="json",
    )
    assert bad.status_code == 400
    codes = ["335911", "335912", "336111"]
    r = api.post(
        "/api/observatory/custom-clusters/",
        {"name": "Batteries and cars", "industries": codes},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["job"]["status"] == "done", body["job"]
    rows = body["result"]["rows"]
    assert {x["year"] for x in rows} == {2008, 2009, 2010, 2011}
    y11 = [x for x in rows if x["year"] == 2011]
    assert len(y11) > 40
    nat = y11[0]["national_employment"]
    assert sum(x["employment"] for x in y11) == pytest.approx(nat)
    assert all(x["lq_traded_local"] is None or x["lq_traded_local"] >= 0 for x in y11)
    assert any(x["strong"] for x in y11)
    client.force_login(owner)
    page = client.get(f"/observatory/custom-clusters/{body['id']}/")
    assert page.status_code == 200 and b"Batteries and cars" in page.content
    other = APIClient()
    assert other.get(f"/api/observatory/custom-clusters/{body['id']}/").status_code == 404
    find = client.get("/observatory/custom-clusters/", {"q": "battery"})
    assert b"335911" in find.content


def test_related_clusters_matched_by_name(client, store) -> None:
    """The relatedness table numbers clusters differently from the NAICS 2007 definitions."""
    cl = store.clusters.set_index("cluster_name")["cluster_code"]
    rel = pd.read_csv(RELATEDNESS, dtype=str)
    strong = rel[
        (rel.cr_all_pc.astype(int) >= 90)
        & (rel.rel_all_90_v3 == "1")
        & (rel.cluster_code != rel.cluster_code_2)
        & rel.cluster_name.isin(cl.index)
        & rel.cluster_name_2.isin(cl.index)
    ]
    assert len(strong) > 0
    for name, group in list(strong.groupby("cluster_name"))[:5]:
        d = _get(client, f"/api/observatory/clusters/{cl[name]}/")
        got = {lk["target"] for lk in d["related"]["links"] if lk["relatedness"] == "strong"}
        assert got == {cl[n] for n in group.cluster_name_2}, name


def test_registry_records_by_state_and_cluster_numbering(client, store) -> None:
    """Organisations located in a state and tagged with a USCMP code (registry numbering, as the
    relatedness table) show on that state's and that cluster's dashboards only."""
    from clusterobs.regions.models import Region
    from clusterobs.registry.models import Organisation, OrganisationSector

    store._memo.clear()  # registry parts are cached for a minute; earlier tests saw none
    Region.objects.create(country="IN", level="state", code="26", name="Dadra")
    mi = Region.objects.create(country="US", level="state", code="26", name="Michigan")
    org = Organisation.objects.create(
        name="Detroit Mobility Lab", slug="detroit-mobility-lab", kind="supplier", state=mi
    )
    OrganisationSector.objects.create(organisation=org, classification="USCMP", code="4")
    d = _get(client, "/api/observatory/regions/26/")
    assert [o["name"] for o in d["registry"]["organisations"]] == ["Detroit Mobility Lab"]
    cl = store.clusters.set_index("cluster_name")["cluster_code"]
    auto = _get(client, f"/api/observatory/clusters/{cl['Automotive']}/")
    assert [o["name"] for o in auto["registry"]["organisations"]] == ["Detroit Mobility Lab"]
    apparel = _get(client, f"/api/observatory/clusters/{cl['Apparel']}/")
    assert apparel["registry"]["organisations"] == []


def test_registry_lists_say_how_many_they_leave_out(client, store) -> None:
    """A region with more organisations than a page lists says how many there are in all and
    links to the registry's list of them (it once cut at 200 without a word)."""
    from clusterobs.observatory.selectors.registry_queries import REGISTRY_LIMIT
    from clusterobs.regions.models import Region
    from clusterobs.registry.models import Organisation

    store._memo.clear()
    tx = Region.objects.create(country="US", level="state", code="48", name="Texas")
    n = REGISTRY_LIMIT + 3
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {i:03}", slug=f"org-{i:03}", kind="supplier", state=tx)
        for i in range(n)
    )
    d = _get(client, f"/api/observatory/regions/{TX}/")["registry"]
    assert len(d["organisations"]) == REGISTRY_LIMIT and d["organisations_total"] == n
    assert d["organisations"][0]["name"] == "Org 000"
    assert d["organisations_url"] == "/organisations/?state=48" and d["clusters_total"] == 0
    html = client.get(f"/observatory/regions/state/{TX}/").content.decode()
    assert f"The first {REGISTRY_LIMIT} of {n} organisations are listed." in html
    assert '<a href="/organisations/?state=48">All of them in the registry</a>' in html
    listed = client.get("/organisations/?state=48")
    assert listed.status_code == 200 and "Org 000" in listed.content.decode()
