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
