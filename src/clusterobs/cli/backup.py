"""``clusterobs backup`` and ``restore``: every record and every uploaded file, in one archive.

The archive is a tar file (gzip-compressed when its name ends in ``.gz`` or ``.tgz``) holding
``records.xml`` (a Django XML fixture: XML keeps timestamps to the microsecond, Django's JSON
encoder cuts them to milliseconds) and ``media/`` (uploaded documents). A restore reads the whole
archive before it changes anything, so a truncated or damaged file is refused with a clear
message and nothing written. Backups written before media were included (a bare ``.xml`` or
``.xml.gz`` fixture) still restore.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clusterobs.cli.django_setup import setup_django
from clusterobs.cli.errors import CommandError, reports_errors

console = Console()

#: Tables a backup leaves out: derived (content types, permissions), transient (sessions), or
#: login-failure counters (django-axes).
BACKUP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
RECORDS = "records.xml"
MEDIA = "media"
DAMAGED = (
    "{file} is damaged or incomplete (truncated?): {reason}. Nothing was restored; "
    "use an intact copy of the backup."
)


def _compressed(path: Path) -> bool:
    return path.suffix in {".gz", ".tgz"}


@reports_errors
def backup(
    file: Annotated[Path, typer.Argument(help="Backup archive (.tar.gz)")],
) -> None:
    """Write every record (users, registry, history) and every uploaded file to one archive."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.serializers.base import SerializationError

    tmp = file.with_name(file.name + ".partial")
    records = io.StringIO()
    try:
        call_command(
            "dumpdata",
            exclude=BACKUP_EXCLUDE,
            natural_foreign=True,
            format="xml",
            stdout=records,
            verbosity=0,
        )
    except (SerializationError, ValueError) as exc:
        raise CommandError(f"backup failed, nothing written: {exc}") from exc
    data = records.getvalue().encode("utf-8")
    media = Path(settings.MEDIA_ROOT)
    try:
        with tarfile.open(tmp, "w:gz" if _compressed(file) else "w") as archive:
            info = tarfile.TarInfo(RECORDS)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            if media.is_dir():
                archive.add(media, arcname=MEDIA)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, file)
    console.print(f"Backup written to {file}")


@reports_errors
def restore(
    file: Annotated[Path, typer.Argument(help="Backup archive written by 'clusterobs backup'")],
) -> None:
    """Restore a backup into an empty database (all or nothing), with its uploaded files."""
    if not file.exists():
        raise CommandError(f"{file}: no such file")
    with tempfile.TemporaryDirectory() as tmp:
        fixture = _unpack(file, Path(tmp))
        setup_django()
        _require_empty_database()
        from django.conf import settings
        from django.core.management import call_command

        try:
            call_command("loaddata", str(fixture), verbosity=0)
        except Exception as exc:  # a fixture that parses as XML but not as records
            raise CommandError(DAMAGED.format(file=file.name, reason=exc)) from exc
        unpacked_media = Path(tmp) / MEDIA
        if unpacked_media.is_dir():
            shutil.copytree(unpacked_media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    console.print(f"Restored {file}")


def _unpack(file: Path, into: Path) -> Path:
    """Read the whole backup into ``into``; the fixture's path. Refuses a damaged file."""
    try:
        if tarfile.is_tarfile(file):
            with tarfile.open(file) as archive:
                archive.extractall(into, filter="data")
            fixture = into / RECORDS
            if not fixture.exists():
                raise CommandError(f"{file.name} is not a backup: it has no {RECORDS}")
        else:
            fixture = into / ("backup.xml.gz" if _compressed(file) else "backup.xml")
            shutil.copyfile(file, fixture)
        _check_xml(fixture)
    except (tarfile.TarError, EOFError, OSError, zlib.error, gzip.BadGzipFile) as exc:
        raise CommandError(DAMAGED.format(file=file.name, reason=exc)) from exc
    return fixture


def _check_xml(fixture: Path) -> None:
    """Parse the fixture once: a cut-off file fails here, before the database is touched."""
    from xml.sax import SAXParseException, handler, make_parser

    opener = gzip.open if fixture.suffix == ".gz" else open
    parser = make_parser()
    parser.setContentHandler(handler.ContentHandler())
    try:
        with opener(fixture, "rb") as stream:
            parser.parse(stream)
    except SAXParseException as exc:
        raise CommandError(
            DAMAGED.format(file=fixture.name, reason=f"XML ends early or is broken ({exc})")
        ) from exc


def _require_empty_database() -> None:
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    occupied = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in {"registry", "regions", "auth"}
        and m._meta.label != "auth.Permission"
        and m.objects.exists()
    ]
    if occupied:
        raise CommandError(
            "restore needs an empty database; these tables have rows: " + ", ".join(occupied)
        )
