"""Services: creation with provenance, conflict detection, history, typology suggestions."""

from __future__ import annotations

import pytest

from clusterobs.registry import services
from clusterobs.registry.models import Cluster, KeyFigure
from clusterobs.registry.typology import suggest_challenges

TABLE_1 = {
    "energy-intensive": ["Castings & Forging", "Steel re-rolling", "Foundry", "Ceramics", "Brick"],
    "pollution-intensive": ["Leather", "Dyes", "Chemicals", "Plastics", "Electroplating", "Glass"],
    "quality-challenged": ["Agro-processing", "Pharmaceuticals"],
}


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        ("Brass castings", ["energy-intensive"]),
        ("Leather footwear", ["pollution-intensive"]),
        ("Glass bangles", ["pollution-intensive"]),
        ("Glassware", []),
        ("Pharmaceutical formulations", ["quality-challenged"]),
        ("Software services", []),
        ("Foundry and forging", ["energy-intensive"]),
    ],
)
def test_challenges_are_suggested_from_the_product(product: str, expected: list[str]) -> None:
    assert suggest_challenges(product, TABLE_1) == expected


def test_new_cluster_gets_suggested_challenges_and_authorship(registry, users) -> None:
    leather = registry["leather"]
    assert [c.key for c in leather.thematic_challenges.all()] == ["pollution-intensive"]
    assert leather.created_by == users["editor"]
    assert leather.version == 1
    assert leather.slug == "leather-footwear-cluster-agra"


def test_explicit_challenges_override_the_suggestion(registry, users) -> None:
    cluster = services.create_cluster(
        user=users["editor"],
        name="Leather tanning cluster, Kanpur",
        product="Leather tanning",
        country="IN",
        thematic_challenges=[],
        source="test",
    )
    assert cluster.thematic_challenges.count() == 0


def test_slugs_stay_unique(registry, users) -> None:
    twin = services.create_cluster(
        user=users["editor"],
        name="Leather footwear cluster, Agra",
        product="Leather footwear",
        country="IN",
        source="test",
    )
    assert twin.slug == "leather-footwear-cluster-agra-2"


def test_update_increments_version_and_keeps_history(registry, users) -> None:
    leather = registry["leather"]
    updated = services.update_record(
        leather, user=users["admin"], expected_version=1, changes={"place": "Agra city"}
    )
    assert updated.version == 2
    assert updated.updated_by == users["admin"]
    history = list(updated.history.all())
    assert len(history) == 2
    assert history[0].place == "Agra city" and history[1].place == "Agra"
    assert history[0].history_user == users["admin"]


def test_stale_update_is_refused_not_lost(registry, users) -> None:
    leather = registry["leather"]
    services.update_record(
        leather, user=users["editor"], expected_version=1, changes={"description": "first edit"}
    )
    with pytest.raises(services.ConflictError) as excinfo:
        services.update_record(
            leather,
            user=users["admin"],
            expected_version=1,
            changes={"description": "second edit, based on version 1"},
        )
    assert excinfo.value.current_version == 2
    assert Cluster.objects.get(pk=leather.pk).description == "first edit"


def test_invalid_values_are_rejected(registry, users) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_record(
            registry["leather"],
            user=users["editor"],
            expected_version=1,
            changes={"cluster_type": "spaceship"},
        )


def test_key_figures_are_observations_not_overwrites(registry) -> None:
    leather = registry["leather"]
    KeyFigure.objects.create(
        cluster=leather,
        indicator="units",
        value=5200,
        unit="enterprises",
        year=2014,
        source="later survey",
    )
    values = sorted((f.year, int(f.value)) for f in leather.key_figures.filter(indicator="units"))
    assert values == [(2010, 5000), (2014, 5200)]


def test_industry_codes_are_added_once_and_validated(registry) -> None:
    """The importer adds codes through ``services.add_industry_codes``: a code the cluster
    carries is not added twice, and an unknown classification is refused."""
    from django.core.exceptions import ValidationError

    cluster = Cluster.objects.get(slug="foundry-cluster-coimbatore")
    before = cluster.industry_codes.count()
    assert services.add_industry_codes(cluster, codes=[("NAICS2017", "331511")]) == 1
    assert services.add_industry_codes(cluster, codes=[("NAICS2017", "331511")]) == 0
    assert cluster.industry_codes.count() == before + 1
    with pytest.raises(ValidationError):
        services.add_industry_codes(cluster, codes=[("NOSUCHCODES", "1")])
