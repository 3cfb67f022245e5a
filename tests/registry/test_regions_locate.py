"""Records get their state/district from their coordinates once boundaries exist; nothing is
guessed (overlaps and points outside every region are reported) and nothing filled is replaced."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clusterobs.cli.main import app
from clusterobs.data.catalog import path as data_path
from clusterobs.regions.models import Region
from clusterobs.regions.services import RegionImportSpec, import_regions
from clusterobs.registry import services
from clusterobs.registry.locate import locate_records
from clusterobs.registry.models import Cluster

pytestmark = pytest.mark.django_db


def _india_states() -> None:
    import_regions(
        data_path("india_states_boundaries"),
        RegionImportSpec(code_field="ST_NM", name_field="ST_NM", level="state", country="IN"),
    )


def _square(lon: float, lat: float, half: float = 0.5) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_real_india_states_fill_the_state_of_clusters(registry, users) -> None:
    _india_states()
    leather = registry["leather"]
    version = leather.version
    report = locate_records(country="IN")
    leather.refresh_from_db()
    assert leather.state.name == "Uttar Pradesh"  # Agra
    assert Cluster.objects.get(pk=registry["foundry"].pk).state.name == "Tamil Nadu"  # Coimbatore
    assert report.count("cluster", "state") == 2
    assert leather.version == version + 1
    assert leather.history.first().state_id == leather.state_id  # the change is in the history
    # Run again: nothing left to fill, nothing replaced.
    assert locate_records(country="IN").count("cluster", "state") == 0


def test_filled_fields_are_kept_and_outside_points_reported(registry, users) -> None:
    _india_states()
    kerala = Region.objects.get(country="IN", level="state", code="Kerala")
    leather = registry["leather"]
    services.update_record(
        leather, user=users["editor"], expected_version=leather.version, changes={"state": kerala}
    )
    sea = services.create_cluster(
        user=users["editor"],
        name="Offshore test cluster, Arabian Sea",
        product="Fish",
        place="Arabian Sea",
        country="IN",
        latitude=15.0,
        longitude=65.0,
        source="test",
    )
    report = locate_records(country="IN")
    assert Cluster.objects.get(pk=leather.pk).state == kerala  # an editor's value stays
    assert report.outside["cluster"] == [f"{sea.slug} (state)"]
    assert Cluster.objects.get(pk=sea.pk).state is None


def test_overlapping_layers_are_ambiguous_unless_a_type_is_given(registry, users) -> None:
    agra = (78.01, 27.18)
    for code, region_type, half in (("UP1", "TYPE1", 2.0), ("UP2", "TYPE2", 1.0)):
        Region.objects.create(
            country="IN",
            level="state",
            code=code,
            name=code,
            region_type=region_type,
            geometry=_square(*agra, half),
        )
    report = locate_records(country="IN")
    assert any(registry["leather"].slug in item for item in report.ambiguous["cluster"])
    assert Cluster.objects.get(pk=registry["leather"].pk).state is None
    locate_records(country="IN", region_type="TYPE2")
    assert Cluster.objects.get(pk=registry["leather"].pk).state.code == "UP2"


def test_state_precision_gets_no_district(registry, users) -> None:
    agra = (78.01, 27.18)
    Region.objects.create(
        country="IN", level="district", code="146", name="Agra", geometry=_square(*agra, 0.3)
    )
    foundry = registry["foundry"]
    Cluster.objects.filter(pk=registry["leather"].pk).update(location_precision="state")
    Cluster.objects.filter(pk=foundry.pk).update(latitude=agra[1], longitude=agra[0])
    locate_records(country="IN")
    assert Cluster.objects.get(pk=registry["leather"].pk).district is None
    assert Cluster.objects.get(pk=foundry.pk).district.name == "Agra"


def test_cli_import_then_locate(registry) -> None:
    path = data_path("india_states_boundaries")
    args = ["regions", "import", str(path), "--code-field", "ST_NM", "--name-field", "ST_NM"]
    result = CliRunner().invoke(app, [*args, "--country", "IN", "--no-locate"])
    assert result.exit_code == 0, result.output
    assert Cluster.objects.get(pk=registry["leather"].pk).state is None
    result = CliRunner().invoke(app, ["regions", "locate", "--country", "IN"])
    assert result.exit_code == 0, result.output
    assert "clusters located: 2 states" in result.output
    assert Cluster.objects.get(pk=registry["leather"].pk).state.code == "Uttar Pradesh"
