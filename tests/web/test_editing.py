"""Editing: who may edit what, saving through the services, and conflicts never lost silently."""

from __future__ import annotations

import pytest
from django.test import Client

from clusterobs.registry.models import Cluster, Organisation, ThematicChallenge

pytestmark = pytest.mark.django_db


def _cluster_post(cluster: Cluster, **changes) -> dict:
    data = {
        "name": cluster.name,
        "product": cluster.product,
        "place": cluster.place,
        "country": cluster.country,
        "latitude": cluster.latitude if cluster.latitude is not None else "",
        "longitude": cluster.longitude if cluster.longitude is not None else "",
        "cluster_type": cluster.cluster_type,
        "description": cluster.description,
        "source": cluster.source,
        "published": "on" if cluster.published else "",
        "thematic_challenges": [c.pk for c in cluster.thematic_challenges.all()],
        "version": cluster.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _org_post(org: Organisation, **changes) -> dict:
    data = {
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "city": org.city,
        "source": org.source,
        "published": "on",
        "version": org.version,
        "profile-members_sme": "130",
        "profile-founding_year": "1998",
        "profile-sectors": "Footwear; Leather goods",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(client, registry):
    for url in (
        "/clusters/new/",
        f"/clusters/{registry['leather'].slug}/edit/",
        f"/organisations/{registry['org'].slug}/edit/",
        f"/schemes/{registry['scheme'].slug}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_viewer_gets_403(client, registry, users):
    client.force_login(users["viewer"])
    for url in (
        "/clusters/new/",
        f"/clusters/{registry['leather'].slug}/edit/",
        f"/organisations/{registry['org'].slug}/edit/",
        f"/schemes/{registry['scheme'].slug}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"You may not do this" in response.content
    cluster = registry["leather"]
    response = client.post(
        f"/clusters/{cluster.slug}/edit/", _cluster_post(cluster, name="Hijacked")
    )
    assert response.status_code == 403
    assert Cluster.objects.get(pk=cluster.pk).name == cluster.name


def test_editor_edits_cluster_through_services(client, registry, users):
    cluster = registry["leather"]
    client.force_login(users["editor"])
    form_page = client.get(f"/clusters/{cluster.slug}/edit/")
    assert form_page.status_code == 200
    assert 'name="version" value="1"' in form_page.content.decode()
    energy = ThematicChallenge.objects.get(key="energy-intensive")
    response = client.post(
        f"/clusters/{cluster.slug}/edit/",
        _cluster_post(cluster, description="Shoes since 1900", thematic_challenges=[energy.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clusters/{cluster.slug}/"
    cluster.refresh_from_db()
    assert cluster.description == "Shoes since 1900"
    assert cluster.version == 2
    assert cluster.updated_by == users["editor"]
    assert [c.key for c in cluster.thematic_challenges.all()] == ["energy-intensive"]
    page = client.get(response["Location"]).content.decode()
    assert "Saved." in page and "Shoes since 1900" in page


def test_invalid_edit_shows_errors(client, registry, users):
    cluster = registry["leather"]
    client.force_login(users["editor"])
    response = client.post(
        f"/clusters/{cluster.slug}/edit/", _cluster_post(cluster, country="XX", latitude="95")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not an ISO 3166-1 alpha-2 country code" in html
    cluster.refresh_from_db()
    assert cluster.version == 1


def test_editor_creates_cluster_with_suggested_challenges(client, registry, users):
    client.force_login(users["editor"])
    assert client.get("/clusters/new/").status_code == 200
    response = client.post(
        "/clusters/new/",
        {
            "name": "Tannery cluster, Kanpur",
            "product": "Leather",
            "country": "in",
            "published": "on",
            "source": "web test",
        },
    )
    assert response.status_code == 302
    cluster = Cluster.objects.get(name="Tannery cluster, Kanpur")
    assert response["Location"] == f"/clusters/{cluster.slug}/"
    assert cluster.country == "IN"
    assert cluster.created_by == users["editor"]
    assert [c.key for c in cluster.thematic_challenges.all()] == ["pollution-intensive"]


def test_manager_edits_own_organisation_not_others(client, registry, users):
    org, other = registry["org"], registry["other_org"]
    client.force_login(users["manager"])
    assert client.get(f"/organisations/{org.slug}/edit/").status_code == 200
    response = client.post(
        f"/organisations/{org.slug}/edit/", _org_post(org, description="Since 1998")
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description == "Since 1998" and org.version == 2
    assert org.profile.members_sme == 130
    assert org.profile.sectors == ["Footwear", "Leather goods"]
    assert client.get(f"/organisations/{other.slug}/edit/").status_code == 403
    response = client.post(f"/organisations/{other.slug}/edit/", _org_post(other, name="Mine"))
    assert response.status_code == 403
    assert Organisation.objects.get(pk=other.pk).name == other.name
    # a manager is not an editor: clusters and schemes stay closed
    assert client.get(f"/clusters/{registry['leather'].slug}/edit/").status_code == 403


def test_editor_edits_scheme(client, registry, users):
    scheme = registry["scheme"]
    client.force_login(users["editor"])
    assert client.get(f"/schemes/{scheme.slug}/edit/").status_code == 200
    response = client.post(
        f"/schemes/{scheme.slug}/edit/",
        {
            "name": scheme.name,
            "acronym": "MSE-CDP",
            "kind": "scheme",
            "institution": scheme.institution,
            "country": "IN",
            "focus_areas": "Infrastructure; Common facility centres",
            "clusters": [registry["leather"].pk, registry["foundry"].pk],
            "published": "on",
            "version": scheme.version,
        },
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.focus_areas == ["Infrastructure", "Common facility centres"]
    assert scheme.clusters.count() == 2 and scheme.version == 2


def test_stale_version_shows_conflict_and_does_not_save(client, registry, users):
    cluster = registry["leather"]
    client.force_login(users["editor"])
    stale = _cluster_post(cluster, description="My edit")
    # someone else saves first
    other = Client()
    other.force_login(users["admin"])
    assert (
        other.post(
            f"/clusters/{cluster.slug}/edit/", _cluster_post(cluster, description="Their edit")
        ).status_code
        == 302
    )
    response = client.post(f"/clusters/{cluster.slug}/edit/", stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "someone else changed this record" in html.lower()
    assert "Their edit" in html and "My edit" in html  # current and unsaved values side by side
    assert "Last changed by admin" in html
    # only the fields that differ are compared, with readable values
    conflict = html[html.index('class="card conflict"') : html.index("</section>")]
    assert "Description" in conflict and "Product" not in conflict
    cluster.refresh_from_db()
    assert cluster.description == "Their edit" and cluster.version == 2
    # the form now carries the current version: saving again is a deliberate overwrite
    assert 'name="version" value="2"' in html


def test_stale_organisation_edit_changes_neither_record_nor_profile(client, registry, users):
    org = registry["org"]
    client.force_login(users["manager"])
    stale = _org_post(org, description="Mine", **{"profile-members_sme": "999"})
    Organisation.objects.filter(pk=org.pk).update(version=5, description="Theirs")
    response = client.post(f"/organisations/{org.slug}/edit/", stale)
    assert response.status_code == 200
    assert b"someone else changed this record" in response.content.lower()
    org.refresh_from_db()
    assert org.description == "Theirs"
    assert org.profile.members_sme == 120


def test_csrf_is_enforced(registry, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    cluster = registry["leather"]
    url = f"/clusters/{cluster.slug}/edit/"
    response = client.post(url, _cluster_post(cluster, description="no token"))
    assert response.status_code == 403
    cluster.refresh_from_db()
    assert cluster.version == 1
    # with the token from the form, the same post goes through
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, {**_cluster_post(cluster, description="with token"), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_admin_site_lists_registry_models(client, registry, users):
    client.force_login(users["admin"])
    html = client.get("/admin/").content.decode()
    for name in ("Clusters", "Organisations", "Schemes", "Regions", "Key figures"):
        assert name in html, name
    assert (
        client.get(f"/admin/registry/cluster/{registry['leather'].pk}/change/").status_code == 200
    )
    assert (
        client.get(f"/admin/registry/cluster/{registry['leather'].pk}/history/").status_code == 200
    )
    assert client.get("/admin/regions/region/").status_code == 200
    assert client.get("/admin/registry/organisation/").status_code == 200
    assert client.get("/admin/registry/scheme/add/").status_code == 200
    # an editor is no admin
    client.force_login(users["editor"])
    assert client.get("/admin/").status_code == 302


def test_state_must_be_in_the_clusters_country(client, registry, users):
    from clusterobs.regions.models import Region

    texas = Region.objects.create(country="US", level="state", code="48", name="Texas")
    cluster = registry["leather"]
    client.force_login(users["editor"])
    response = client.post(
        "/clusters/new/",
        {"name": "Odd cluster", "product": "Leather", "country": "IN", "state": texas.pk},
    )
    assert response.status_code == 200
    assert "Texas is not in India" in response.content.decode()
    assert not Cluster.objects.filter(name="Odd cluster").exists()
    assert cluster.version == 1
