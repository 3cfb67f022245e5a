"""Complexity pages and their JSON twins on results built from the CBP sample in the repository.

The module replaces the observatory's autouse settings fixture (which builds the full CBP
result) with results from the small sample, so it runs without ../shared/data.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.observatory.complexity_fixture import (
    CLUSTERS,
    INDUSTRIES,
    PLAIN,
    build_sample_results,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cx_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_results(tmp_path_factory.mktemp("cx-observatory"))


@pytest.fixture(autouse=True)
def _observatory_settings(settings, cx_results: Path) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(cx_results)
    settings.OBSERVATORY_CLASSIFICATIONS_DIR = str(cx_results / "no-classifications")
    settings.OBSERVATORY_JOBS_SYNC = True


PAGES = [
    "/observatory/complexity/",
    "/observatory/complexity/regions/state/06/",
    "/observatory/complexity/regions/state/06/?sort=pci&year=2010",
    "/observatory/complexity/regions/state/56/smart-specialisation/",
    "/observatory/complexity/regions/state/56/smart-specialisation/?priorities=5,9,999",
    "/observatory/complexity/clusters/5/",
]


@pytest.mark.parametrize("dataset", [CLUSTERS, INDUSTRIES])
@pytest.mark.parametrize("url", PAGES)
def test_pages_render_without_inline_script_or_style(client, url: str, dataset: str) -> None:
    sep = "&" if "?" in url else "?"
    r = client.get(f"{url}{sep}dataset={dataset}")
    assert r.status_code == 200, url
    html = r.content.decode()
    # Strict CSP ahead: scripts only by src or as JSON data, no style attributes, no handlers.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_industry_page(client) -> None:
    d = client.get(f"/api/observatory/complexity/regions/06/?dataset={INDUSTRIES}").json()
    code = d["tables"]["opportunities"]["rows"][0]["industry_code"]
    r = client.get(f"/observatory/complexity/industries/{code}/?dataset={INDUSTRIES}")
    assert r.status_code == 200
    assert "Regions closest to it" in r.content.decode()


def test_result_without_complexity_says_so(client) -> None:
    r = client.get(f"/observatory/complexity/regions/state/06/?dataset={PLAIN}")
    assert r.status_code == 404
    assert "No complexity outputs in this result" in r.content.decode()
    api = client.get(f"/api/observatory/complexity/regions/06/?dataset={PLAIN}")
    assert api.status_code == 404 and "complexity add" in api.json()["detail"]


def test_ranking_follows_eci(client) -> None:
    d = client.get(f"/api/observatory/complexity/regions/?dataset={INDUSTRIES}").json()
    rows = d["tables"]["ranking"]["rows"]
    assert len(rows) == 8 and d["year"] == 2011
    assert [r["rank"] for r in rows] == list(range(1, 9))
    eci = [r["eci"] for r in rows]
    assert eci == sorted(eci, reverse=True)
    assert {r["name"] for r in rows} >= {"California", "Wyoming"}


@pytest.mark.parametrize("dataset", [CLUSTERS, INDUSTRIES])
def test_region_profile_opportunities_and_reasons(client, dataset: str) -> None:
    d = client.get(f"/api/observatory/complexity/regions/48/?type=state&dataset={dataset}").json()
    assert d["complexity"]["level"] == ("cluster" if dataset == CLUSTERS else "industry")
    assert d["summary"]["rank"] >= 1 and d["summary"]["regions"] == 8
    chart = d["tables"]["chart"]["rows"]
    present = {r["industry_code"] for r in chart if r["present"]}
    opp = d["tables"]["opportunities"]["rows"]
    assert opp and not present & {r["industry_code"] for r in opp}
    assert [r["rank"] for r in opp] == list(range(1, len(opp) + 1))
    scores = [r["score"] for r in opp]
    assert scores == sorted(scores, reverse=True)
    # Reasons name industries the region specialises in, closest first.
    explained = [r for r in opp if r["reasons"]]
    assert explained
    for reasons in d["reasons"].values():
        assert {x["industry_code"] for x in reasons} <= present
        phis = [x["proximity"] for x in reasons]
        assert phis == sorted(phis, reverse=True)
    for r in explained:
        assert 0 < r["reasons_share"] <= 1 + 1e-9
    # Trend: one row per year.
    assert [t["year"] for t in d["tables"]["trend"]["rows"]] == [2010, 2011]


def test_opportunities_csv_is_the_api_table(client) -> None:
    url = f"/api/observatory/complexity/regions/36/?type=state&dataset={INDUSTRIES}"
    want = client.get(url).json()["tables"]["opportunities"]["rows"]
    r = client.get(url + "&format=csv&table=opportunities")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [x["industry_code"] for x in rows] == [w["industry_code"] for w in want]
    assert [float(x["density"]) for x in rows] == pytest.approx([w["density"] for w in want])
    html = client.get(
        f"/observatory/complexity/regions/state/36/?dataset={INDUSTRIES}"
    ).content.decode()
    assert "format=csv&amp;table=opportunities" in html
    assert 'data-kind="opportunity"' in html and 'id="cx-chart-data"' in html


def test_sorting_by_another_criterion(client) -> None:
    url = f"/api/observatory/complexity/regions/17/?dataset={INDUSTRIES}&sort=pci"
    rows = client.get(url).json()["tables"]["opportunities"]["rows"]
    pci = [r["pci"] for r in rows]
    assert pci == sorted(pci, reverse=True)
    bad = client.get(f"/api/observatory/complexity/regions/17/?dataset={INDUSTRIES}&sort=x")
    assert bad.status_code == 400


def test_smart_specialisation_on_industry_level(client) -> None:
    # Cluster 5 ("Automotive" in the web definitions; 15 industries in the sample) is made of
    # industries: on an industry-level result it is placed at their weighted means.
    url = f"/api/observatory/complexity/regions/56/smart-specialisation/?dataset={INDUSTRIES}"
    d = client.get(url + "&priorities=5,336111,nope").json()
    assert d["unknown"] == ["nope"]
    assert len(d["resolved"]["5"]) > 1 and d["resolved"]["336111"] == ["336111"]
    rows = {r["priority"]: r for r in d["tables"]["priorities"]["rows"]}
    assert rows["5"]["quadrant"] in d["quadrants"]
    one = rows["336111"]
    cut = d["cuts"]
    expect = ("ideal", "safe", "ambitious", "least_promising")[
        (one["density"] < cut["density"]) * 2 + (one["pci"] < cut["pci"])
    ]
    assert one["quadrant"] == expect
    assert len(d["tables"]["alternatives"]["rows"]) == 10
    flagged = {r["industry_code"] for r in d["tables"]["chart"]["rows"] if r["priority"]}
    assert flagged == set(d["resolved"]["5"]) | {"336111"}


def test_smart_specialisation_on_cluster_level(client) -> None:
    url = f"/api/observatory/complexity/regions/56/smart-specialisation/?dataset={CLUSTERS}"
    d = client.get(url + "&priorities=336111").json()
    # An industry on a cluster-level result counts as its cluster.
    assert list(d["resolved"].values()) == [["5"]]


def test_cluster_page_combines_industries_on_an_industry_result(client) -> None:
    d = client.get(f"/api/observatory/complexity/clusters/5/?dataset={INDUSTRIES}").json()
    assert d["unit"]["members"] > 1 and d["unit"]["kind"] == "cluster"
    dens = [r["density"] for r in d["tables"]["closest_regions"]["rows"]]
    assert len(dens) == 8 and dens == sorted(dens, reverse=True)
    assert len(d["tables"]["members"]["rows"]) == d["unit"]["members"]
    one = client.get(f"/api/observatory/complexity/clusters/5/?dataset={CLUSTERS}").json()
    assert one["unit"]["members"] == 1 and one["unit"]["pci_rank"] >= 1
    assert client.get("/api/observatory/complexity/industries/nope/").status_code == 404


def test_dashboards_link_to_complexity(client) -> None:
    html = client.get(f"/observatory/regions/state/06/?dataset={CLUSTERS}").content.decode()
    assert "/observatory/complexity/regions/state/06/" in html
    html = client.get(f"/observatory/clusters/5/?dataset={CLUSTERS}").content.decode()
    assert "/observatory/complexity/clusters/5/" in html


def test_openapi_lists_the_complexity_endpoints(client) -> None:
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/observatory/complexity/regions/",
        "/api/observatory/complexity/regions/{id}/smart-specialisation/",
        "/api/observatory/complexity/industries/{id}/",
        "/api/observatory/complexity/clusters/{id}/",
    ):
        assert path in schema, path


def test_more_priorities_than_checked_are_named_or_refused(client) -> None:
    """Never a silent cut: the page names the priorities beyond the limit, the API refuses."""
    from clusterobs.observatory.complexity_selectors import MAX_PRIORITIES

    codes = [str(c) for c in range(1, MAX_PRIORITIES + 3)]
    page = client.get(
        "/observatory/complexity/regions/state/56/smart-specialisation/",
        {"dataset": CLUSTERS, "priorities": ",".join(codes)},
    ).content.decode()
    assert f"Up to {MAX_PRIORITIES} priorities are checked; left out: 51, 52." in page
    url = f"/api/observatory/complexity/regions/56/smart-specialisation/?dataset={CLUSTERS}"
    r = client.get(url, {"priorities": ",".join(codes)})
    assert r.status_code == 400
    assert r.json()["priorities"] == f"at most {MAX_PRIORITIES} codes, {len(codes)} given"
    assert client.get(url, {"priorities": ",".join(codes[:MAX_PRIORITIES])}).status_code == 200
