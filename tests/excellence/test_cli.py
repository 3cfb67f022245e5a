"""``clusterobs excellence``: roles, label import (all or nothing), framework loading."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clusterobs.cli.main import app
from clusterobs.excellence.models import Assessor, Label

pytestmark = pytest.mark.django_db


def test_roles_and_import_from_the_command_line(world, tmp_path):
    from clusterobs.excellence.permissions import is_label_admin

    runner = CliRunner()
    result = runner.invoke(app, ["excellence", "label-admin", "viewer"])
    assert result.exit_code == 0 and is_label_admin(world["viewer"])
    result = runner.invoke(app, ["excellence", "assessor", "editor", "--country", "fr"])
    assert result.exit_code == 0 and Assessor.objects.get(user__username="editor").country == "FR"
    result = runner.invoke(app, ["excellence", "assessor", "editor", "--country", "France"])
    assert result.exit_code == 1 and "two-letter ISO code" in result.output
    bad = tmp_path / "labels.csv"
    bad.write_text("number,organisation,level,awarded_on\nL-1,agra-footwear-association,gold,x\n")
    result = runner.invoke(
        app, ["excellence", "import-labels", str(bad), "--source", "ESCA", "--user", "viewer"]
    )
    assert result.exit_code == 1 and "labels.csv, row 2, field awarded_on" in result.output
    assert Label.objects.count() == 0
    bad.write_text(bad.read_text().replace(",x", ",2026-02-01"))
    result = runner.invoke(
        app, ["excellence", "import-labels", str(bad), "--source", "ESCA", "--user", "viewer"]
    )
    assert result.exit_code == 0 and Label.objects.get().source == "ESCA"
    result = runner.invoke(
        app, ["excellence", "import-labels", str(bad), "--source", "ESCA", "--user", "manager"]
    )
    assert result.exit_code == 1 and "manager is not a label admin" in result.output


def test_load_command(db):
    result = CliRunner().invoke(app, ["excellence", "load"])
    assert result.exit_code == 0 and "'indicators': 67" in result.output
    again = CliRunner().invoke(app, ["excellence", "load"])
    assert again.exit_code == 0 and "'frameworks': 0" in again.output
