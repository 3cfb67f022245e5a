"""The registry's initiatives: list and detail pages, their JSON twins, who may change them, and
their place beside the managed initiatives on /programmes/."""

from __future__ import annotations

import pytest

from clusterobs.registry.models import Initiative


@pytest.fixture
def initiatives(starter):
    return Initiative.objects.all()


def test_list_page_shows_every_starter_initiative_with_filters(initiatives, client) -> None:
    page = client.get("/initiatives/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'role="status">46 initiatives</p>' in body
    assert "Le Maroc Comp" in body and "Feeding The Planet" in body
    pakistan = client.get("/initiatives/", {"country": "PK"}).content.decode()
    assert 'role="status">2 initiatives</p>' in pakistan and "SMEDA" in pakistan
    cip = client.get("/initiatives/", {"scheme": "cip"}).content.decode()
    assert 'role="status">2 initiatives</p>' in cip
    assert "Feeding The Planet" in cip and "Le Maroc" not in cip
    searched = client.get("/initiatives/", {"q": "biotech"}).content.decode()
    assert 'role="status">1 initiative</p>' in searched
    assert 'href="/initiatives/dbt-biotech-parks/"' in searched
    assert 'href="/api/initiatives/?q=biotech"' in searched


def test_detail_page_links_clusters_organisations_scheme_and_source(initiatives, client) -> None:
    body = client.get("/initiatives/feeding-the-planet/").content.decode()
    assert 'href="/clusters/agrofood-lombardy/"' in body
    assert 'href="/schemes/cip/"' in body
    assert 'href="/sources/#india-gate-d5-3-2012"' in body
    assert 'href="/api/initiatives/feeding-the-planet/"' in body
    assert client.get("/initiatives/no-such-thing/").status_code == 404


def test_api_twins_match_the_pages(initiatives, api_client) -> None:
    data = api_client.get("/api/initiatives/", {"limit": 100}).json()
    assert data["count"] == 46
    one = api_client.get("/api/initiatives/unido-smeda-pakistan-four-clusters/").json()
    assert one["country"] == "PK"
    assert set(one["clusters"]) == {
        "sportswear-sialkot",
        "auto-parts-lahore",
        "pvc-pipes-plastic-products-lahore",
        "marble-granite-rawalpindi-islamabad",
    }
    assert one["source"].startswith("Changing Paradigms of Cluster Development, section III")
    assert one["programme"] is None
    filtered = api_client.get("/api/initiatives/", {"cluster": "agrofood-lombardy"}).json()
    assert [i["slug"] for i in filtered["results"]] == ["feeding-the-planet"]
    schema = api_client.get("/api/schema/").content.decode()
    assert "/api/initiatives/{slug}/" in schema and "RegistryInitiative" in schema


def test_unpublished_initiatives_and_links_are_hidden_from_readers(
    initiatives, client, api_client, token_for, users
) -> None:
    hidden = Initiative.objects.get(slug="reina")
    Initiative.objects.filter(pk=hidden.pk).update(published=False)
    assert client.get("/initiatives/reina/").status_code == 404
    assert api_client.get("/api/initiatives/reina/").status_code == 404
    assert token_for(users["editor"]).get("/api/initiatives/reina/").status_code == 200
    lombardy = Initiative.objects.get(slug="feeding-the-planet").clusters.get(
        slug="agrofood-lombardy"
    )
    type(lombardy).objects.filter(pk=lombardy.pk).update(published=False)
    twin = api_client.get("/api/initiatives/feeding-the-planet/").json()
    assert "agrofood-lombardy" not in twin["clusters"]
    assert (
        "agrofood-lombardy" not in client.get("/initiatives/feeding-the-planet/").content.decode()
    )


def test_editors_create_and_update_with_a_token_viewers_cannot(
    initiatives, token_for, users
) -> None:
    body = {
        "name": "Agra footwear cluster development",
        "country": "IN",
        "scheme": "msecdp",
        "clusters": ["knitwear-india"],
        "start_year": 2015,
        "source": "Test note, section 1",
    }
    assert (
        token_for(users["viewer"]).post("/api/initiatives/", body, format="json").status_code == 403
    )
    editor = token_for(users["editor"])
    created = editor.post("/api/initiatives/", body, format="json")
    assert created.status_code == 201, created.json()
    slug = created.json()["slug"]
    bad = editor.patch(f"/api/initiatives/{slug}/", {"end_year": 2010, "version": 1}, format="json")
    assert bad.status_code == 400 and "end_year" in bad.json()
    ok = editor.patch(f"/api/initiatives/{slug}/", {"end_year": 2018, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = editor.patch(
        f"/api/initiatives/{slug}/", {"end_year": 2019, "version": 1}, format="json"
    )
    assert stale.status_code == 409
    manager = token_for(users["manager"])
    assert (
        manager.patch(
            f"/api/initiatives/{slug}/", {"end_year": 2020, "version": 2}, format="json"
        ).status_code
        == 403
    )


def test_programmes_page_lists_registry_initiatives_beside_managed_ones(
    initiatives, client
) -> None:
    body = client.get("/programmes/").content.decode()
    assert "Initiatives in the registry" in body
    assert 'href="/initiatives/le-maroc-competitif/"' in body
    assert "No initiatives yet" not in body


def test_cluster_page_links_its_initiatives(initiatives, client) -> None:
    body = client.get("/clusters/sportswear-sialkot/").content.decode()
    assert 'href="/initiatives/unido-smeda-pakistan-four-clusters/"' in body
