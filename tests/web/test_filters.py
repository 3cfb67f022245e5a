"""List filters mean the same as the API's query parameters; exports follow the filters."""

from __future__ import annotations

import csv
import io
import json

import pytest

from clusterobs.registry.models import ClusterIndustryCode

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    return {c.name for c in response.context["page"].object_list}


def _api_names(client, url: str) -> set[str]:
    return {r["name"] for r in client.get(url).json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Leather footwear cluster, Agra", "Foundry cluster, Coimbatore"}),
        ("q=leath", {"Leather footwear cluster, Agra"}),
        ("q=Coimbatore", {"Foundry cluster, Coimbatore"}),
        ("q=15201", {"Leather footwear cluster, Agra"}),
        ("country=in", {"Leather footwear cluster, Agra", "Foundry cluster, Coimbatore"}),
        ("country=US", set()),
        ("cluster_type=micro", {"Leather footwear cluster, Agra"}),
        ("industry_code=152&classification=NIC2008", {"Leather footwear cluster, Agra"}),
        ("industry_code=152&classification=NACE2", set()),
        ("challenge=energy-intensive", {"Foundry cluster, Coimbatore"}),
        (
            "scheme=micro-and-small-enterprises-cluster-development-programme",
            {"Leather footwear cluster, Agra"},
        ),
    ],
)
def test_cluster_filters_match_the_api(client, registry, query, expected):
    response = client.get(f"/clusters/?{query}")
    assert response.status_code == 200
    assert _names(response) == expected
    assert _api_names(client, f"/api/clusters/?{query}") == expected


def test_state_filter(client, registry):
    from clusterobs.regions.models import Region

    up = Region.objects.create(country="IN", level="state", code="09", name="Uttar Pradesh")
    registry["leather"].__class__.objects.filter(pk=registry["leather"].pk).update(state=up)
    response = client.get("/clusters/?state=09")
    assert _names(response) == {"Leather footwear cluster, Agra"}
    # the state select offers the region and keeps the choice
    assert '<option value="09" selected>' in response.content.decode()


def test_filter_form_keeps_values_and_links_json_twin(client, registry):
    html = client.get("/clusters/?q=leather&cluster_type=micro").content.decode()
    assert 'value="leather"' in html
    assert '<option value="micro" selected>' in html
    assert '<details class="more-filters" open>' in html  # a set filter is never hidden
    assert "/api/clusters/?q=leather&amp;cluster_type=micro" in html
    assert "/clusters/export.csv?q=leather&amp;cluster_type=micro" in html
    html = client.get("/clusters/?q=leather").content.decode()
    assert '<details class="more-filters" >' in html


def test_organisation_and_scheme_filters(client, registry):
    response = client.get("/organisations/?kind=cluster_organisation")
    assert {o.name for o in response.context["page"].object_list} == {
        "Coimbatore Foundry Cluster Organisation"
    }
    response = client.get("/organisations/?cluster=leather-footwear-cluster-agra")
    assert {o.name for o in response.context["page"].object_list} == {"Agra Footwear Association"}
    response = client.get("/organisations/?q=agra")
    assert {o.name for o in response.context["page"].object_list} == {"Agra Footwear Association"}
    response = client.get("/schemes/?focus=infra")
    assert response.context["page"].paginator.count == 1
    assert client.get("/schemes/?kind=programme").context["page"].paginator.count == 0


def test_pagination_by_fifty(client, registry, users):
    from clusterobs.registry import services

    for i in range(55):
        services.create_cluster(
            user=users["editor"], name=f"Brass cluster {i:02d}", product="Brass", country="IN"
        )
    first = client.get("/clusters/?q=brass")
    assert len(first.context["page"].object_list) == 50
    html = first.content.decode()
    assert "Page 1 of 2" in html and "?q=brass&amp;page=2" in html
    second = client.get("/clusters/?q=brass&page=2")
    assert len(second.context["page"].object_list) == 5


def test_cluster_exports_full_and_filtered(client, registry):
    response = client.get("/clusters/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["name"] for r in rows} == {
        "Leather footwear cluster, Agra",
        "Foundry cluster, Coimbatore",
    }
    filtered = client.get("/clusters/export.csv?cluster_type=micro")
    rows = list(csv.DictReader(io.StringIO(filtered.content.decode())))
    assert [r["slug"] for r in rows] == ["leather-footwear-cluster-agra"]
    geo = json.loads(client.get("/clusters/export.geojson").content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2


def test_other_exports(client, registry):
    assert b"Agra Footwear Association" in client.get("/organisations/export.csv").content
    geo = json.loads(client.get("/organisations/export.geojson").content)
    assert geo["type"] == "FeatureCollection"
    assert client.get("/organisations/export.xlsx").status_code == 404
    assert b"MSE-CDP" in client.get("/schemes/export.csv").content


def test_editor_exports_include_unpublished(client, registry, users):
    assert b"Draft biotech" not in client.get("/clusters/export.csv").content
    client.force_login(users["editor"])
    assert b"Draft biotech" in client.get("/clusters/export.csv").content


def test_industry_code_title_is_shown(client, registry):
    ClusterIndustryCode.objects.filter(code="15201").update(title="Leather footwear")
    html = client.get("/clusters/").content.decode()
    assert 'title="Leather footwear"' in html
