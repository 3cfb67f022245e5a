"""Item 2 and the backup part of item 12 of issue 12.

No text field stores a character a backup (XML) or PostgreSQL cannot hold; a backup carries the
uploaded files and restores them; a truncated backup is refused with a clear message.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from typer.testing import CliRunner

from clusterobs.cli.main import app
from clusterobs.imports.errors import ImportValidationError
from clusterobs.imports.readers import read_table
from clusterobs.registry.models import Cluster, Organisation

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("bad", ["ctrl \u0001 char", "nul \x00", "bell \x07", "\ufffe"])
def test_api_refuses_control_characters_naming_the_field(registry, users, token_for, bad):
    org = registry["org"]
    client = token_for(users["editor"])
    response = client.patch(
        f"/api/organisations/{org.slug}/",
        {"description": bad, "version": org.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "description" in response.json()
    org.refresh_from_db()
    assert org.description != bad


def test_saving_without_validation_is_refused_too(registry) -> None:
    from django.core.exceptions import ValidationError

    org = Organisation.objects.get(pk=registry["org"].pk)
    org.description = "made by a service \x01"
    with pytest.raises(ValidationError) as caught:
        org.save()
    assert "description" in caught.value.message_dict


def test_json_fields_are_checked_inside(collab) -> None:
    from django.core.exceptions import ValidationError

    profile = collab["profile"]
    profile.offers = {"technologies": ["tab\tok", "bad\x02"]}
    with pytest.raises(ValidationError):
        profile.save()


def test_tab_newline_and_carriage_return_stay_allowed(registry) -> None:
    org = Organisation.objects.get(pk=registry["org"].pk)
    org.description = "line one\r\nline two\tcolumn"
    org.save()


def test_an_import_row_with_a_control_character_names_file_row_field(tmp_path) -> None:
    bad = tmp_path / "orgs.csv"
    bad.write_text("name,country\nGood,IN\nBad\x00name,IN\n")
    with pytest.raises(ImportValidationError) as caught:
        read_table(bad)
    assert "orgs.csv, row 3, field 'name'" in str(caught.value)
    assert "U+0000" in str(caught.value)


@pytest.mark.django_db(transaction=True)
def test_backup_carries_uploads_and_restores_them(tmp_path, users, registry) -> None:
    stored = default_storage.save("documents/report.pdf", ContentFile(b"%PDF-1.4 test\x00\xff"))
    clusters = sorted(Cluster.objects.values_list("slug", flat=True))
    archive = tmp_path / "backup.tar.gz"
    result = run("backup", str(archive))
    assert result.exit_code == 0, result.output

    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(stored)
    assert not default_storage.exists(stored)
    restored = run("restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert sorted(Cluster.objects.values_list("slug", flat=True)) == clusters
    with default_storage.open(stored) as handle:
        assert handle.read() == b"%PDF-1.4 test\x00\xff"
    assert str(settings.MEDIA_ROOT) in default_storage.path(stored)


@pytest.mark.django_db(transaction=True)
def test_a_truncated_backup_is_refused_clearly_and_writes_nothing(tmp_path, users, registry):
    archive = tmp_path / "backup.tar.gz"
    assert run("backup", str(archive)).exit_code == 0
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    call_command("flush", interactive=False, verbosity=0)

    result = runner.invoke(app, ["restore", str(cut)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "damaged or incomplete" in text and "Nothing was restored" in text
    assert "Traceback" not in result.output
    assert Cluster.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_truncated_legacy_xml_backup_is_refused_clearly(tmp_path, users, registry):
    legacy = tmp_path / "old.xml"
    call_command("dumpdata", "registry", format="xml", output=str(legacy), verbosity=0)
    text = legacy.read_text()
    legacy.write_text(text[: len(text) // 2])
    call_command("flush", interactive=False, verbosity=0)
    result = runner.invoke(app, ["restore", str(legacy)])
    assert result.exit_code == 1
    assert "damaged or incomplete" in " ".join(result.output.split())
    assert Cluster.objects.count() == 0
