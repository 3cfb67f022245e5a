"""The CLI contract: init, import/export, regions import, backup/restore, createuser."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers as django_serializers
from typer.testing import CliRunner

from clusterobs.cli.main import app
from clusterobs.data.catalog import path as data_path
from clusterobs.regions.models import Region
from clusterobs.registry.models import Cluster, Organisation, Scheme
from tests.support import FIXTURES

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def snapshot() -> dict[str, list]:
    """Every row of every model the backup covers, as comparable Python data."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in {"registry", "regions"} or label in {
            "auth.User",
            "auth.Group",
            "authtoken.Token",
        }:
            rows = django_serializers.serialize("python", model.objects.order_by("pk"))
            out[label] = [(r["pk"], r["fields"]) for r in rows]
    return out


@pytest.mark.django_db(transaction=True)
def test_init_is_idempotent_and_loads_the_starter_content() -> None:
    first = run("init", "--no-observatories")
    assert first.exit_code == 0, first.output
    counts = (Cluster.objects.count(), Organisation.objects.count(), Scheme.objects.count())
    assert counts[0] > 20 and counts[2] == 31  # Table 2 (29) and the EU's CIP and FP7
    second = run("init", "--no-observatories")
    assert second.exit_code == 0
    assert second.output.count("nothing new") == second.output.count("Starter content")
    assert (Cluster.objects.count(), Organisation.objects.count(), Scheme.objects.count()) == counts


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_reproduces_every_record(tmp_path, users, registry) -> None:
    from django.core.management import call_command

    run("init", "--no-observatories")
    assert (
        run(
            "regions",
            "import",
            str(data_path("us_states_boundaries")),
            "--layer",
            "states",
            "--country",
            "US",
            "--level",
            "state",
            "--simplify",
            "0.05",
        ).exit_code
        == 0
    )
    assert (
        run(
            "import",
            "organisations",
            str(FIXTURES / "uscmp_cluster_organizations.csv"),
            "--country",
            "US",
            "--kind",
            "cluster_organisation",
            "--ignore-column",
            "n_rows_in_source",
        ).exit_code
        == 0
    )
    before = snapshot()
    # 56 U.S. states imported here + 641 Indian districts of the starter content
    assert len(before["registry.Cluster"]) > 20 and len(before["regions.Region"]) == 56 + 641
    backup = tmp_path / "backup.tar.gz"
    assert run("backup", str(backup)).exit_code == 0

    refused = run("restore", str(backup))
    assert refused.exit_code == 1 and "empty database" in refused.output

    call_command("flush", interactive=False, verbosity=0)
    assert Cluster.objects.count() == 0 and Region.objects.count() == 0
    restored = run("restore", str(backup))
    assert restored.exit_code == 0, restored.output
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # the full-text index was rebuilt from the restored rows
    from clusterobs.registry import search

    assert search.search(Cluster.objects.all(), "leather agra").count() == 1


def test_export_formats_round_trip_through_import(db, registry, tmp_path) -> None:
    out = tmp_path / "clusters.csv"
    assert run("export", "clusters", "--format", "csv", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["slug"] for r in rows] == [
        "foundry-cluster-coimbatore",
        "leather-footwear-cluster-agra",
    ]
    leather = rows[1]
    assert (leather["units"], leather["units_unit"], leather["figures_year"]) == (
        "5000",
        "enterprises",
        "2010",
    )
    result = run("import", "clusters", str(out), "--update")
    assert result.exit_code == 0, result.output
    assert "0 clusters created, 2 updated" in result.output.replace("\n", " ")

    geo = json.loads(run("export", "clusters", "--format", "geojson").output)
    points = {f["properties"]["slug"]: f["geometry"] for f in geo["features"]}
    assert points["leather-footwear-cluster-agra"] == {
        "type": "Point",
        "coordinates": [78.01, 27.18],
    }
    data = json.loads(run("export", "schemes", "--format", "json").output)
    assert data[0]["acronym"] == "MSE-CDP"
    assert run("export", "schemes", "--format", "geojson").exit_code == 1


def test_import_errors_exit_non_zero_and_write_nothing(db, registry, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("product,country\nLocks,IN\nGlass,Atlantis\n")
    result = run("import", "clusters", str(bad))
    assert result.exit_code == 1
    assert "bad.csv, row 3, field 'country'" in " ".join(result.output.split())
    assert not Cluster.objects.filter(product="Locks").exists()
    assert run("import", "clusters", str(tmp_path / "missing.csv")).exit_code == 1


def test_regions_import_topojson_geojson_and_refusals(db) -> None:
    us = data_path("us_counties_boundaries")
    result = run(
        "regions",
        "import",
        str(us),
        "--layer",
        "counties",
        "--country",
        "US",
        "--level",
        "district",
        "--type",
        "county",
        "--simplify",
        "0.01",
    )
    assert result.exit_code == 0, result.output
    assert Region.objects.filter(level="district").count() == 3231
    la = Region.objects.get(country="US", level="district", code="06037")
    assert la.name == "Los Angeles"
    assert -119 < la.centroid_lon < -117 and 33 < la.centroid_lat < 35.5

    india = data_path("india_districts_boundaries")
    before = Region.objects.count()
    result = run(
        "regions",
        "import",
        str(india),
        "--code-field",
        "censuscode",
        "--name-field",
        "district",
        "--country",
        "IN",
        "--level",
        "district",
    )
    assert result.exit_code == 1  # some features lack a code: refused whole
    assert "censuscode" in result.output
    assert Region.objects.count() == before


def test_createuser_roles_and_token(db, registry) -> None:
    from django.contrib.auth.models import User

    result = run(
        "createuser",
        "ed",
        "--role",
        "editor",
        "--password-stdin",
        "--token",
        input="a-Long-unusual-pass-42\n",
    )
    assert result.exit_code == 0, result.output
    assert "API token:" in result.output
    ed = User.objects.get(username="ed")
    assert ed.groups.filter(name="editors").exists() and not ed.is_staff
    weak = run("createuser", "weak", "--password-stdin", input="123\n")
    assert weak.exit_code == 1
    assert (
        run(
            "createuser",
            "m",
            "--role",
            "manager",
            "--password-stdin",
            input="a-Long-unusual-pass-42\n",
        ).exit_code
        == 1
    )  # needs --organisation
    ok = run(
        "createuser",
        "m",
        "--role",
        "manager",
        "--organisation",
        registry["org"].slug,
        "--password-stdin",
        input="a-Long-unusual-pass-42\n",
    )
    assert ok.exit_code == 0
    assert registry["org"].managers.filter(username="m").exists()


def test_cli_help_lists_the_contract() -> None:
    text = run("--help").output
    for command in (
        "init",
        "serve",
        "import",
        "export",
        "regions",
        "backup",
        "restore",
        "createuser",
    ):
        assert command in text
    assert isinstance(io.StringIO, type)
    assert Path


def test_regions_import_nuts_geojson(db, shared_data) -> None:
    """NUTS 2 boundaries are not embedded (GISCO's non-commercial terms): the user's copy."""
    nuts = shared_data / "nuts_boundaries_2021" / "NUTS_RG_60M_2021_4326_LEVL_2.geojson"
    result = run(
        "regions",
        "import",
        str(nuts),
        "--code-field",
        "NUTS_ID",
        "--name-field",
        "NAME_LATN",
        "--country-field",
        "CNTR_CODE",
        "--level",
        "state",
        "--type",
        "NUTS2",
    )
    assert result.exit_code == 0, result.output
    assert Region.objects.get(code="EL30").country == "GR"  # Eurostat EL -> ISO GR
    assert Region.objects.filter(region_type="NUTS2").count() == 334
