"""``clusterobs excellence``: frameworks, renewal reminders, label imports, roles.

``remind`` is meant for a daily cron job (or systemd timer): it is idempotent, a reminder is sent
once per label and offset however often it runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clusterobs.cli.django_setup import setup_django
from clusterobs.cli.errors import CommandError, reports_errors

console = Console()
app = typer.Typer(
    help="Cluster management excellence: benchmarking and labels.", no_args_is_help=True
)


@app.command("load")
@reports_errors
def load() -> None:
    """Load (or reload) the shipped indicator frameworks and label levels."""
    setup_django()
    from clusterobs.excellence.frameworks import load_shipped

    console.print(load_shipped())


@app.command("remind")
@reports_errors
def remind(
    on: Annotated[str, typer.Option(help="Date to act as today (YYYY-MM-DD)")] = "",
) -> None:
    """Send renewal reminders for labels expiring soon (notifications and e-mail)."""
    setup_django()
    from clusterobs.excellence.lifecycle import remind as send

    day = dt.date.fromisoformat(on) if on else None
    sent = send(day)
    console.print(f"{len(sent)} reminder(s) sent.")


@app.command("import-labels")
@reports_errors
def import_labels(
    path: Annotated[Path, typer.Argument(help="CSV file", exists=True, dir_okay=False)],
    source: Annotated[str, typer.Option(help="Who awarded these labels")],
    user: Annotated[str, typer.Option(help="Label admin doing the import")],
) -> None:
    """Import labels awarded elsewhere (all rows or none)."""
    setup_django()
    from django.contrib.auth.models import User

    from clusterobs.excellence.label_import import LabelImportError
    from clusterobs.excellence.label_import import import_labels as run
    from clusterobs.excellence.permissions import is_label_admin

    account = User.objects.filter(username=user).first()
    if account is None:
        raise CommandError(f"no user {user!r}")
    if not is_label_admin(account):
        raise CommandError(f"{user} is not a label admin (clusterobs excellence label-admin)")
    try:
        labels = run(
            user=account, text=path.read_text(encoding="utf-8-sig"), source=source, name=path.name
        )
    except LabelImportError as exc:
        raise CommandError("import failed, nothing was written:\n" + "\n".join(exc.errors)) from exc
    console.print(f"{len(labels)} label(s) imported.")


@app.command("label-admin")
@reports_errors
def label_admin(username: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Make a user a label admin (accepts applications, assigns assessors, decides)."""
    setup_django()
    from django.contrib.auth.models import Group, User

    from clusterobs.excellence.permissions import LABEL_ADMINS_GROUP

    account = User.objects.filter(username=username).first()
    if account is None:
        raise CommandError(f"no user {username!r}")
    account.groups.add(Group.objects.get_or_create(name=LABEL_ADMINS_GROUP)[0])
    console.print(f"{username} is a label admin.")


@app.command("assessor")
@reports_errors
def assessor(
    username: Annotated[str, typer.Argument(help="Login name")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country of the assessor")],
    organisation: Annotated[str, typer.Option(help="Slug of the assessor's employer")] = "",
) -> None:
    """Accredit a user as an assessor (country and employer decide conflicts of interest)."""
    setup_django()
    from django.contrib.auth.models import User

    from clusterobs.excellence.models import Assessor
    from clusterobs.registry.models import Organisation

    account = User.objects.filter(username=username).first()
    if account is None:
        raise CommandError(f"no user {username!r}")
    if len(country) != 2 or not country.isalpha():
        raise CommandError("--country must be a two-letter ISO code")
    employer = None
    if organisation:
        employer = Organisation.objects.filter(slug=organisation).first()
        if employer is None:
            raise CommandError(f"no organisation {organisation!r}")
    Assessor.objects.update_or_create(
        user=account, defaults={"country": country.upper(), "organisation": employer}
    )
    console.print(f"{username} is an assessor ({country.upper()}).")
