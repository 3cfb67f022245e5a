"""The region and cluster profiles' JSON twins, and units and sources shown on the pages (not
only in tooltips), on the real CBP state data."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

CA = "06"


def _json(client, url: str, **params):
    response = client.get(url, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_region_profile_twin_has_the_figures_of_the_pdf(client) -> None:
    data = _json(client, f"/api/observatory/regions/{CA}/report/", year=2010)
    assert data["report"] == "region profile"
    dashboard = _json(client, f"/api/observatory/regions/{CA}/", year=2010)
    assert data["profile"]["summary"] == dashboard["summary"]
    assert data["profile"]["tables"]["top_clusters"] == dashboard["tables"]["top_clusters"]
    assert data["map"]["indicator"] == "cluster_strength" and data["map"]["year"] == 2010
    assert data["pdf_url"].startswith(f"/observatory/regions/state/{CA}/profile.pdf?year=2010")
    pdf = client.get(data["pdf_url"])
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert client.get("/api/observatory/regions/99/report/").status_code == 404


def test_cluster_profile_twin_has_the_figures_of_the_pdf(client) -> None:
    data = _json(client, "/api/observatory/clusters/1/report/")
    assert data["report"] == "cluster profile"
    assert data["profile"]["cluster"]["cluster_code"] == "1"
    assert data["map"]["cluster"] == "1" and data["map"]["indicator"] == "lq_traded_local"
    assert data["pdf_url"].startswith("/observatory/clusters/1/profile.pdf?year=")
    assert client.get("/api/observatory/clusters/nope/report/").status_code == 404


def test_openapi_documents_the_profile_twins(client) -> None:
    schema = client.get("/api/schema/").content.decode()
    assert "/api/observatory/regions/{id}/report/:" in schema
    assert "/api/observatory/clusters/{id}/report/:" in schema


def _visible_text(html: str) -> str:
    """Text a reader sees: tags and title attributes (tooltips) removed."""
    html = re.sub(r'title="[^"]*"', "", html)
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "url",
    [
        f"/observatory/regions/state/{CA}/",
        "/observatory/clusters/1/",
        f"/observatory/regions/state/{CA}/1/",
        "/observatory/map/?cluster=1",
        f"/observatory/compare/?regions={CA},48&clusters=1",
    ],
)
def test_every_figure_has_a_visible_unit_and_source(client, store, url: str) -> None:
    from clusterobs.observatory.selectors import results as result_reads

    html = client.get(url).content.decode()
    text = _visible_text(html)
    assert "Sources and units" in text
    source = result_reads.dataset_info(store)["source"]
    assert source and source in text  # the result's input data, named on the page
    # every measured column of every table names its unit in its header, not in a tooltip
    heads = re.findall(r'<table class="obs-table" id="table-\w+">.*?</thead>', html, re.S)
    headers = [h for head in heads for h in re.findall(r'<th scope="col">(.*?)</th>', head, re.S)]
    assert len(headers) >= 3, url  # the check below must see the tables
    for header in headers:
        label = re.sub(r"<[^>]+>", "", re.sub(r'<span class="obs-unit">.*', "", header))
        if label.strip() not in NAME_LABELS:
            assert '<span class="obs-unit">' in header, header


#: Headers of columns that name things (no unit): cluster and region names, codes, years.
NAME_LABELS = {
    "Cluster name",
    "Name",
    "Region code",
    "Cluster code",
    "Subcluster code",
    "Subcluster name",
    "Industry code",
    "Industry title",
    "Traded",
    "Year",
    "Start year",
    "End year",
    "Employment status",
    "Wage status",
}


def test_region_page_states_units_of_its_summary_and_axes(client) -> None:
    html = client.get(f"/observatory/regions/state/{CA}/").content.decode()
    assert '<td class="obs-unit-cell">US$ per job per year, current prices</td>' in html
    assert '<td class="obs-unit-cell">jobs</td>' in html
    assert 'data-ylabel="National share (%)"' in html
    assert 'data-unit="Employment (jobs)"' in html
    sources = html.split('id="h-sources"', 1)[1]
    assert "Delgado, Porter &amp; Stern (2014)" in sources  # LQ's source, visible
    assert "(E_end/E_start)^(1/years) - 1" in sources
