"""Each role's allowed and denied cases on the REST API, and conflict detection."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from clusterobs.registry.models import Cluster, Organisation

NEW_CLUSTER = {
    "name": "Glass bangles cluster, Firozabad",
    "product": "Glass bangles",
    "place": "Firozabad",
    "country": "IN",
    "source": "API test",
}


def test_anonymous_reads_published_records_only(api_client, registry) -> None:
    listing = api_client.get("/api/clusters/").json()
    assert listing["count"] == 2
    assert {c["slug"] for c in listing["results"]} == {
        "leather-footwear-cluster-agra",
        "foundry-cluster-coimbatore",
    }
    assert api_client.get("/api/clusters/draft-biotech-cluster-lucknow/").status_code == 404
    detail = api_client.get("/api/clusters/leather-footwear-cluster-agra/").json()
    assert detail["key_figures"][0]["value"] == "5000.0000"
    assert detail["organisations"] == [
        {
            "slug": "agra-footwear-association",
            "name": "Agra Footwear Association",
            "role": "business_membership_organisation",
        }
    ]


def test_editors_see_unpublished(token_for, users, registry) -> None:
    client = token_for(users["editor"])
    assert client.get("/api/clusters/").json()["count"] == 3
    assert client.get("/api/clusters/draft-biotech-cluster-lucknow/").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_cannot_write(api_client, registry, method) -> None:
    url = "/api/clusters/" if method == "post" else "/api/clusters/foundry-cluster-coimbatore/"
    response = getattr(api_client, method)(url, NEW_CLUSTER, format="json")
    assert response.status_code in (401, 403)
    assert Cluster.objects.count() == 3


def test_api_writes_need_a_token_not_a_session(api_client, users, registry) -> None:
    api_client.force_login(users["editor"])
    response = api_client.post("/api/clusters/", NEW_CLUSTER, format="json")
    assert response.status_code == 403
    assert "token" in response.json()["detail"]


def test_viewer_token_cannot_write(token_for, users, registry) -> None:
    client = token_for(users["viewer"])
    assert client.post("/api/clusters/", NEW_CLUSTER, format="json").status_code == 403
    response = client.patch(
        "/api/clusters/foundry-cluster-coimbatore/", {"place": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403


def test_editor_creates_and_updates_with_version(token_for, users, registry) -> None:
    client = token_for(users["editor"])
    created = client.post("/api/clusters/", NEW_CLUSTER, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["thematic_challenges"] == []  # the fixture table does not list glass
    cluster = Cluster.objects.get(slug=body["slug"])
    assert cluster.created_by == users["editor"]
    url = f"/api/clusters/{cluster.slug}/"
    no_version = client.patch(url, {"place": "Firozabad city"}, format="json")
    assert no_version.status_code == 400
    ok = client.patch(url, {"place": "Firozabad city", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2


def test_concurrent_edit_gets_409_and_keeps_the_first_change(token_for, users, registry) -> None:
    editor, admin = token_for(users["editor"]), token_for(users["admin"])
    url = "/api/clusters/foundry-cluster-coimbatore/"
    first = editor.patch(url, {"description": "editor's text", "version": 1}, format="json")
    assert first.status_code == 200
    second = admin.patch(url, {"description": "admin's text", "version": 1}, format="json")
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert Cluster.objects.get(slug="foundry-cluster-coimbatore").description == "editor's text"


def test_invalid_api_input_is_refused_with_the_field(token_for, users, registry) -> None:
    client = token_for(users["editor"])
    response = client.post("/api/clusters/", {**NEW_CLUSTER, "country": "ZZ"}, format="json")
    assert response.status_code == 400
    assert "country" in response.json()


def test_manager_edits_own_organisation_only(token_for, users, registry) -> None:
    client = token_for(users["manager"])
    own = client.patch(
        "/api/organisations/agra-footwear-association/",
        {"city": "Agra, Uttar Pradesh", "version": 1},
        format="json",
    )
    assert own.status_code == 200
    other = client.patch(
        f"/api/organisations/{registry['other_org'].slug}/",
        {"city": "Elsewhere", "version": 1},
        format="json",
    )
    assert other.status_code == 403
    assert client.post("/api/clusters/", NEW_CLUSTER, format="json").status_code == 403
    cluster = client.patch(
        "/api/clusters/foundry-cluster-coimbatore/", {"place": "x", "version": 1}, format="json"
    )
    assert cluster.status_code == 403
    assert client.delete("/api/organisations/agra-footwear-association/").status_code == 403
    assert Organisation.objects.get(slug="agra-footwear-association").city == "Agra, Uttar Pradesh"


def test_admin_deletes(token_for, users, registry) -> None:
    client = token_for(users["admin"])
    assert client.delete("/api/clusters/foundry-cluster-coimbatore/").status_code == 204
    assert not Cluster.objects.filter(slug="foundry-cluster-coimbatore").exists()


def test_history_endpoint_lists_changes(token_for, users, registry) -> None:
    client = token_for(users["editor"])
    client.patch(
        "/api/clusters/foundry-cluster-coimbatore/",
        {"description": "pump castings", "version": 1},
        format="json",
    )
    history = client.get("/api/clusters/foundry-cluster-coimbatore/history/").json()
    assert [h["type"] for h in history] == ["changed", "created"]
    assert history[0]["user"] == "editor"
    assert "description" in history[0]["changed_fields"]


def test_filters_and_search_on_the_api(api_client, registry) -> None:
    hits = api_client.get("/api/clusters/", {"q": "castings"}).json()
    assert [c["slug"] for c in hits["results"]] == ["foundry-cluster-coimbatore"]
    hits = api_client.get("/api/clusters/", {"challenge": "pollution-intensive"}).json()
    assert [c["slug"] for c in hits["results"]] == ["leather-footwear-cluster-agra"]
    orgs = api_client.get("/api/organisations/", {"kind": "cluster_organisation"}).json()
    assert orgs["count"] == 1
    schemes = api_client.get("/api/schemes/", {"q": "MSE"}).json()
    assert schemes["count"] == 1


def test_openapi_docs_are_served_without_cdn(api_client, db) -> None:
    schema = api_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/clusters/" in schema.content
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_unpublished_organisation_visible_to_its_manager(token_for, users, registry) -> None:
    org = registry["org"]
    Organisation.objects.filter(pk=org.pk).update(published=False)
    assert token_for(users["manager"]).get(f"/api/organisations/{org.slug}/").status_code == 200
    assert token_for(users["viewer"]).get(f"/api/organisations/{org.slug}/").status_code == 404
    User.objects.get(username="viewer")


def test_stats_is_the_home_pages_json_twin(api_client, registry) -> None:
    body = api_client.get("/api/stats/").json()
    assert body["counts"]["clusters"] == 2  # the unpublished draft is not counted
    assert body["counts"]["schemes"] == 1


def test_api_delete_is_recorded_against_the_user(token_for, users, registry) -> None:
    """Deletes go through ``services.delete_record``: the history's deletion names the admin."""
    client = token_for(users["admin"])
    assert client.delete("/api/clusters/foundry-cluster-coimbatore/").status_code == 204
    deleted = Cluster.history.filter(slug="foundry-cluster-coimbatore", history_type="-").get()
    assert deleted.history_user == users["admin"]
