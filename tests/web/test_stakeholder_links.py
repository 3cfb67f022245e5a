"""Editing stakeholder links in the browser forms: editors only, by slug or exact name, errors
that change nothing, and history that records who linked or unlinked what."""

from __future__ import annotations

import pytest
from django.test import Client

from clusterobs.registry import services
from clusterobs.registry.models import ClusterLink, Organisation

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _url(cluster) -> str:
    return f"/clusters/{cluster.slug}/stakeholders/"


def test_only_editors_reach_the_page(registry, users) -> None:
    url = _url(registry["leather"])
    assert Client().get(url).status_code == 302  # to the login page
    for role in ("viewer", "manager"):
        assert _client(users[role]).get(url).status_code == 403
        assert (
            _client(users[role])
            .post(url, {"add": "1", "organisation": registry["other_org"].slug, "role": "supplier"})
            .status_code
            == 403
        )
    assert ClusterLink.objects.filter(organisation=registry["other_org"]).count() == 0
    page = _client(users["editor"]).get(url)
    assert page.status_code == 200
    assert "Agra Footwear Association" in page.content.decode()


def test_editor_adds_by_slug_or_name_and_removes(registry, users) -> None:
    editor = _client(users["editor"])
    leather, other = registry["leather"], registry["other_org"]
    r = editor.post(
        _url(leather),
        {"add": "1", "organisation": other.slug, "role": "bds_provider", "note": "testing"},
    )
    assert r.status_code == 302
    link = ClusterLink.objects.get(cluster=leather, organisation=other, role="bds_provider")
    assert link.note == "testing"
    assert link.history.first().history_user == users["editor"]
    # by exact name, ignoring case
    editor.post(_url(leather), {"add": "1", "organisation": other.name.upper(), "role": "supplier"})
    assert ClusterLink.objects.filter(cluster=leather, organisation=other).count() == 2
    detail = Client().get(f"/clusters/{leather.slug}/").content.decode()
    assert "Business development service provider" in detail
    # remove
    r = editor.post(_url(leather), {"remove": str(link.pk)})
    assert r.status_code == 302
    assert not ClusterLink.objects.filter(pk=link.pk).exists()
    removal = ClusterLink.history.filter(id=link.pk, history_type="-").get()
    assert removal.history_user == users["editor"]


@pytest.mark.parametrize(
    ("organisation", "role", "message"),
    [
        ("no-such-organisation", "supplier", "No organisation has the slug or name"),
        ("", "supplier", "This field is required"),
        ("agra-footwear-association", "not-a-role", "Select a valid choice"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    registry, users, organisation, role, message
) -> None:
    before = ClusterLink.objects.count()
    r = _client(users["editor"]).post(
        _url(registry["leather"]), {"add": "1", "organisation": organisation, "role": role}
    )
    assert r.status_code == 200
    assert message in r.content.decode()
    assert ClusterLink.objects.count() == before


def test_duplicate_link_and_ambiguous_name_are_refused(registry, users) -> None:
    editor = _client(users["editor"])
    leather, org = registry["leather"], registry["org"]
    r = editor.post(
        _url(leather),
        {"add": "1", "organisation": org.slug, "role": "business_membership_organisation"},
    )
    assert "already linked to this cluster" in r.content.decode()
    twin = services.create_record(
        Organisation, user=users["editor"], name=org.name, kind="bds_provider", country="IN"
    )
    before = ClusterLink.objects.count()
    r = editor.post(_url(leather), {"add": "1", "organisation": org.name, "role": "supplier"})
    text = r.content.decode()
    assert "Several organisations are named" in text and twin.slug in text
    assert ClusterLink.objects.count() == before


def test_removing_a_link_of_another_cluster_changes_nothing(registry, users) -> None:
    link = ClusterLink.objects.get(cluster=registry["leather"])
    r = _client(users["editor"]).post(
        _url(registry["foundry"]), {"remove": str(link.pk)}, follow=True
    )
    assert "no longer exists" in r.content.decode()
    assert ClusterLink.objects.filter(pk=link.pk).exists()
    r = _client(users["editor"]).post(_url(registry["foundry"]), {"remove": "x"}, follow=True)
    assert r.status_code == 200


def test_unpublished_ends_of_links_are_not_named_to_readers(registry, users) -> None:
    org, leather = registry["org"], registry["leather"]
    Organisation.objects.filter(pk=org.pk).update(published=False)
    ClusterLink.objects.create(
        cluster=registry["hidden"], organisation=registry["other_org"], role="supplier"
    )
    assert org.name not in Client().get(f"/clusters/{leather.slug}/").content.decode()
    assert org.name in _client(users["editor"]).get(f"/clusters/{leather.slug}/").content.decode()
    other_url = f"/organisations/{registry['other_org'].slug}/"
    assert registry["hidden"].name not in Client().get(other_url).content.decode()
    assert registry["hidden"].name in _client(users["editor"]).get(other_url).content.decode()
