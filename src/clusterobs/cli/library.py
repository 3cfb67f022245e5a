"""``clusterobs library``: import documents, index programme uploads, rebuild the index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clusterobs.cli.django_setup import setup_django
from clusterobs.cli.errors import reports_errors

app = typer.Typer(no_args_is_help=True)
console = Console()


def _editor(username: str):
    """The account an import is recorded under (an editor; the first admin by default)."""
    from django.contrib.auth.models import User

    from clusterobs.cli.errors import CommandError

    users = User.objects.filter(is_active=True)
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError(
            f"no user {username!r}" if username else "no admin yet: run 'clusterobs createuser'"
        )
    return user


@app.command("import")
@reports_errors
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively)")],
    collection: Annotated[str, typer.Option(help="Collection the documents join")] = "",
    doc_type: Annotated[str, typer.Option("--type", help="Document type of every file")] = "",
    user: Annotated[str, typer.Option(help="Editor recorded as importer")] = "",
) -> None:
    """Add PDF, DOCX, HTML, Markdown and text files to the library; all or nothing."""
    setup_django()
    from clusterobs.knowledge import services

    files, skipped = services.collect_files(paths)
    metadata = {"doc_type": doc_type} if doc_type else {}
    report = services.import_files(
        user=_editor(user),
        files=services.read_files(files),
        collection=collection,
        metadata=metadata,
    )
    for name, existing in report.duplicates:
        console.print(f"duplicate: {name} is already in the library as '{existing.title}'")
    for name in skipped:
        console.print(f"skipped (format not read by the library): {name}", markup=False)
    console.print(
        f"{len(report.added)} added, {len(report.duplicates)} duplicate(s), {len(skipped)} skipped."
    )


@app.command("sync")
@reports_errors
def sync_command() -> None:
    """Index the documents uploaded to programme initiatives that the library lacks."""
    setup_django()
    from clusterobs.knowledge import services

    console.print(f"{services.sync_programme_documents()} programme document(s) indexed.")


@app.command("reindex")
@reports_errors
def reindex_command() -> None:
    """Rebuild every passage (text, pages, vectors) from the stored files."""
    setup_django()
    from clusterobs.knowledge import services

    documents, passages = services.rebuild_index()
    console.print(f"{documents} document(s) re-read, {passages} passage(s) indexed.")


@app.command("starter")
@reports_errors
def starter_command() -> None:
    """Add the starter records (the seed documents, cited by title and section)."""
    setup_django()
    from clusterobs.knowledge.starter import load

    console.print(f"{load()['library documents']} starter document record(s) added.")
