"""A published record's API twin does not name unpublished records at the other end of a link."""

from __future__ import annotations

import pytest

from clusterobs.registry.models import ClusterLink, Organisation

pytestmark = pytest.mark.django_db


def test_links_to_unpublished_records_are_hidden_from_readers(
    api_client, token_for, users, registry
) -> None:
    org, leather, hidden = registry["org"], registry["leather"], registry["hidden"]
    Organisation.objects.filter(pk=org.pk).update(published=False)
    ClusterLink.objects.create(cluster=hidden, organisation=registry["other_org"], role="supplier")
    cluster_url = f"/api/clusters/{leather.slug}/"
    org_url = f"/api/organisations/{registry['other_org'].slug}/"
    assert api_client.get(cluster_url).json()["organisations"] == []
    assert api_client.get(org_url).json()["clusters"] == []
    viewer = token_for(users["viewer"])
    assert viewer.get(cluster_url).json()["organisations"] == []
    editor = token_for(users["editor"])
    assert [o["slug"] for o in editor.get(cluster_url).json()["organisations"]] == [org.slug]
    assert [c["slug"] for c in editor.get(org_url).json()["clusters"]] == [hidden.slug]


def test_scheme_and_export_twins_hide_unpublished_clusters(
    api_client, token_for, users, registry, client
) -> None:
    scheme, hidden = registry["scheme"], registry["hidden"]
    scheme.clusters.add(hidden)
    ClusterLink.objects.create(cluster=hidden, organisation=registry["other_org"], role="supplier")
    url = f"/api/schemes/{scheme.slug}/"
    assert api_client.get(url).json()["clusters"] == [registry["leather"].slug]
    editor = token_for(users["editor"])
    assert set(editor.get(url).json()["clusters"]) == {registry["leather"].slug, hidden.slug}
    for export_url in ("/schemes/export.csv", "/organisations/export.csv"):
        assert hidden.slug not in client.get(export_url).content.decode()
    client.force_login(users["editor"])
    for export_url in ("/schemes/export.csv", "/organisations/export.csv"):
        assert hidden.slug in client.get(export_url).content.decode()
