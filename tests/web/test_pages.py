"""Every page renders for anonymous users, shows what it should and hides unpublished records."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_counts_search_and_recent(client, registry):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    # two published clusters; the draft is not counted for anonymous users
    assert response.context["counts"]["clusters"] == 2
    assert "Leather footwear cluster, Agra" in html
    assert "Draft biotech" not in html
    assert 'href="/static/web/site.css"' in html
    assert "skip-link" in html


def test_home_counts_unpublished_for_editors(client, registry, users):
    client.force_login(users["editor"])
    assert client.get("/").context["counts"]["clusters"] == 3


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/clusters/",
        "/clusters/leather-footwear-cluster-agra/",
        "/organisations/",
        "/organisations/agra-footwear-association/",
        "/schemes/",
        "/schemes/micro-and-small-enterprises-cluster-development-programme/",
        "/map/",
        "/accounts/login/",
    ],
)
def test_pages_render_for_anonymous(client, registry, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert b"<main" in response.content


def test_cluster_detail_shows_figures_challenges_and_twins(client, registry):
    response = client.get("/clusters/leather-footwear-cluster-agra/")
    html = response.content.decode()
    # a key figure is a dated observation with unit and source, never a bare number
    assert "5,000" in html and "enterprises" in html and "2010" in html
    assert "test fixture" in html
    # the challenge comes from the product's suggestion and is marked as such
    assert "Pollution intensive" in html and "suggested by product" in html
    assert "NIC2008" in html and "15201" in html
    assert "Agra Footwear Association" in html
    assert "MSE-CDP" in html or "Micro and Small Enterprises" in html
    assert reverse("api-cluster-detail", args=["leather-footwear-cluster-agra"]) in html
    assert "/api/clusters/leather-footwear-cluster-agra/history/" in html
    assert 'id="detail-map"' in html and "vendor/leaflet/leaflet.js" in html
    # no edit link for anonymous users
    assert "/clusters/leather-footwear-cluster-agra/edit/" not in html


def test_organisation_detail_shows_profile(client, registry):
    html = client.get("/organisations/agra-footwear-association/").content.decode()
    assert "Members by type" in html and "120" in html and "1998" in html
    assert "Leather footwear cluster, Agra" in html


def test_unpublished_cluster_is_404_for_anonymous_and_visible_to_editor(client, registry, users):
    url = f"/clusters/{registry['hidden'].slug}/"
    response = client.get(url)
    assert response.status_code == 404
    assert b"not published" in response.content
    assert b"Draft biotech" not in client.get("/clusters/").content
    client.force_login(users["viewer"])
    assert client.get(url).status_code == 404
    client.force_login(users["editor"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"unpublished" in response.content
    assert b"Draft biotech" in client.get("/clusters/").content


def test_unpublished_organisation_visible_to_its_manager(client, registry, users):
    from clusterobs.registry.models import Organisation

    Organisation.objects.filter(pk=registry["org"].pk).update(published=False)
    url = f"/organisations/{registry['org'].slug}/"
    assert client.get(url).status_code == 404
    client.force_login(users["manager"])
    assert client.get(url).status_code == 200


def test_edit_links_only_for_permitted_users(client, registry, users):
    org_url = f"/organisations/{registry['org'].slug}/"
    edit = f"{org_url}edit/"
    assert edit not in client.get(org_url).content.decode()
    client.force_login(users["other_manager"])
    assert edit not in client.get(org_url).content.decode()
    client.force_login(users["manager"])
    assert edit in client.get(org_url).content.decode()
    # a manager edits the organisation, not the cluster it belongs to
    cluster_url = f"/clusters/{registry['leather'].slug}/"
    assert f"{cluster_url}edit/" not in client.get(cluster_url).content.decode()
    assert "/clusters/new/" not in client.get("/clusters/").content.decode()
    client.force_login(users["editor"])
    assert f"{cluster_url}edit/" in client.get(cluster_url).content.decode()
    assert "/clusters/new/" in client.get("/clusters/").content.decode()


def test_nav_shows_login_or_logout(client, users):
    assert b"/accounts/login/" in client.get("/").content
    client.force_login(users["viewer"])
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html and "csrfmiddlewaretoken" in html


def test_login_and_logout_flow(client, users):
    response = client.post(
        "/accounts/login/", {"username": "editor", "password": "pw-editor-123"}, follow=True
    )
    assert response.context["user"].username == "editor"
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated


def test_map_points_json(client, registry):
    response = client.get("/map/points.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    names = {f["properties"]["name"] for f in data["features"]}
    assert names == {"Leather footwear cluster, Agra", "Foundry cluster, Coimbatore"}
    agra = next(f for f in data["features"] if f["properties"]["slug"].startswith("leather"))
    assert agra["geometry"]["coordinates"] == [78.01, 27.18]
    assert agra["properties"]["url"] == "/clusters/leather-footwear-cluster-agra/"


def test_map_page_has_no_tile_server_and_vendored_leaflet(client, registry):
    html = client.get("/map/").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "tile" not in html.lower()
    assert "http://" not in html and "https://" not in html.replace("https://www.w3.org", "")


def test_static_assets_are_served(client):
    for path in (
        "/static/web/site.css",
        "/static/web/map.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/images/marker-icon.png",
        "/static/vendor/world-atlas/land-110m.geojson",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content) if response.streaming else response.content


def test_missing_record_is_404(client, db):
    assert client.get("/clusters/no-such-cluster/").status_code == 404
    assert client.get("/organisations/no-such/").status_code == 404
    assert client.get("/schemes/no-such/").status_code == 404


def test_map_preselects_the_filtered_countrys_states(client, registry):
    from clusterobs.regions.models import Region

    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    Region.objects.create(country="IN", level="state", code="09", name="UP", geometry=square)
    Region.objects.create(country="US", level="state", code="48", name="Texas", geometry=square)
    Region.objects.create(country="IN", level="district", code="146", name="Agra", geometry=square)
    html = client.get("/map/?country=US").content.decode()
    assert '<option value="country=US&amp;level=state" selected>' in html
    html = client.get("/map/").content.decode()
    assert '<option value="country=IN&amp;level=state" selected>' in html
    assert '<option value="country=IN&amp;level=district">' in html
