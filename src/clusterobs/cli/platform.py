"""Platform commands: init, serve, createuser, backup, restore, regions import."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clusterobs.cli.backup import backup, restore
from clusterobs.cli.django_setup import setup_django
from clusterobs.cli.errors import CommandError, reports_errors
from clusterobs.config import Config
from clusterobs.mapping.embedded import publish_embedded

console = Console()
regions_app = typer.Typer(help="Regions and boundaries.", no_args_is_help=True)

ROLES = ("admin", "editor", "manager", "viewer")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
    app.command()(createuser)
    app.command()(backup)
    app.command()(restore)
    app.add_typer(regions_app, name="regions")


def _starter_loaders() -> list[tuple[str, Callable[[], dict[str, int]]]]:
    """Each installed app's ``starter.load`` (the registry first: the others link to it)."""
    import importlib
    import importlib.util

    from django.apps import apps

    from clusterobs.registry.starter import load_starter_content

    loaders: list[tuple[str, Callable[[], dict[str, int]]]] = [("registry", load_starter_content)]
    for config in sorted(apps.get_app_configs(), key=lambda c: c.name):
        module = f"{config.name}.starter"
        if (
            config.name.startswith("clusterobs.")
            and config.label != "registry"
            and importlib.util.find_spec(module) is not None
        ):
            loaders.append((config.label, importlib.import_module(module).load))
    return loaders


@reports_errors
def init(
    starter: Annotated[bool, typer.Option(help="Load the starter content")] = True,
    observatories: Annotated[
        bool, typer.Option(help="Publish the observatories of the embedded data")
    ] = True,
) -> None:
    """Create or migrate the database, load the starter content and publish the embedded
    observatories (idempotent: a second run changes nothing)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if starter:
        for app_name, load in _starter_loaders():
            created = load()
            summary = ", ".join(f"{n} {k}" for k, n in created.items() if n) or "nothing new"
            console.print(f"Starter content ({app_name}): {summary}.")
    console.print(f"Database ready: {settings.DATABASES['default']['NAME']}")
    if observatories:
        _publish_observatories(settings.CONFIG)


def _with_complexity(written: Path) -> None:
    """Each embedded observatory also shows ECI, PCI and the opportunities of its clusters."""
    from clusterobs.complexity.outputs import write_complexity

    write_complexity(written, level="cluster")


def _publish_observatories(config: Config) -> None:
    """Build and publish each embedded observatory whose inputs changed, showing each step."""
    with console.status("Observatories") as status:

        def progress(name: str, step: str) -> None:
            status.update(f"Observatory {name}: {step}")

        for name, outcome in publish_embedded(
            config.results_dir,
            config.data_dir / "builds",
            progress=progress,
            finish=_with_complexity,
        ):
            console.print(f"Observatory {name}: {outcome}.")


@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[
        int,
        typer.Option(help="Server processes (default: one per CPU core; 1 = single process)"),
    ] = 0,
    threads: Annotated[int, typer.Option(help="Threads per process")] = 1,
) -> None:
    """Serve the platform with a production WSGI server (gunicorn; waitress on Windows)."""
    from clusterobs.web.serving import default_workers, run_server

    if workers < 0 or threads < 1:
        raise CommandError("--workers must be >= 0 and --threads >= 1")
    workers = workers or default_workers()
    setup_django()  # configuration errors surface here, before any process is started
    console.print(
        f"Cluster Observatory on http://{host}:{port}/ "
        f"({workers} process(es) x {threads} thread(s); Ctrl+C to stop)"
    )
    run_server(host=host, port=port, workers=workers, threads=threads)


@reports_errors
def createuser(
    username: Annotated[str, typer.Argument(help="Login name")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}")] = "viewer",
    email: Annotated[str, typer.Option(help="E-mail address")] = "",
    organisation: Annotated[
        list[str] | None, typer.Option(help="Slug of an organisation this user manages")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    token: Annotated[bool, typer.Option(help="Create an API token and print it")] = False,
) -> None:
    """Create a user with a role; managers are tied to their organisation(s)."""
    if role not in ROLES:
        raise CommandError(f"--role must be one of {', '.join(ROLES)}")
    if role == "manager" and not organisation:
        raise CommandError("a manager needs --organisation SLUG")
    setup_django()
    from django.contrib.auth.models import Group, User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from clusterobs.registry.models import Organisation
    from clusterobs.registry.permissions import EDITORS_GROUP

    if User.objects.filter(username=username).exists():
        raise CommandError(f"user {username!r} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        orgs = []
        for slug in organisation or []:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                raise CommandError(f"no organisation with slug {slug!r}")
            orgs.append(org)
        user.is_staff = user.is_superuser = role == "admin"
        user.set_password(password)
        user.save()
        if role == "editor":
            user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
        for org in orgs:
            org.managers.add(user)
        key = Token.objects.create(user=user).key if token else None
    console.print(f"Created {role} {username!r}.")
    if key:
        console.print(f"API token: {key}")


@regions_app.command("import")
@reports_errors
def regions_import(
    file: Annotated[Path, typer.Argument(help="GeoJSON, TopoJSON or other GDAL vector file")],
    code_field: Annotated[str, typer.Option(help="Property holding the region code")] = "id",
    name_field: Annotated[str, typer.Option(help="Property holding the name")] = "name",
    level: Annotated[str, typer.Option(help="country, state, district or locality")] = "state",
    country: Annotated[str, typer.Option(help="ISO country of all features")] = "",
    country_field: Annotated[str, typer.Option(help="Property holding the country")] = "",
    region_type: Annotated[str, typer.Option("--type", help="Source's level name")] = "",
    layer: Annotated[str | None, typer.Option(help="Layer (TopoJSON object)")] = None,
    parent_field: Annotated[str, typer.Option(help="Property with the parent code")] = "",
    parent_level: Annotated[str, typer.Option(help="Level of the parent")] = "state",
    simplify: Annotated[float, typer.Option(help="Simplification tolerance (degrees)")] = 0.0,
    locate: Annotated[
        bool,
        typer.Option(help="Then fill empty state/district of records from their coordinates"),
    ] = True,
) -> None:
    """Import region boundaries with a code field (all or nothing)."""
    if not country and not country_field:
        raise CommandError("give --country or --country-field")
    setup_django()
    from clusterobs.regions.services import RegionImportSpec, import_regions

    spec = RegionImportSpec(
        code_field=code_field,
        name_field=name_field,
        level=level,
        country=country,
        country_field=country_field,
        region_type=region_type,
        layer=layer,
        parent_field=parent_field,
        parent_level=parent_level,
        simplify=simplify,
    )
    created, updated = import_regions(file, spec)
    console.print(f"{file.name}: {created} regions created, {updated} updated")
    if locate:
        _locate(country=country or None, region_type=region_type or None)


@regions_app.command("locate")
@reports_errors
def regions_locate(
    country: Annotated[str, typer.Option(help="Only records and regions of this country")] = "",
    region_type: Annotated[
        str, typer.Option("--type", help="Only regions of this type (e.g. NUTS2)")
    ] = "",
) -> None:
    """Fill empty state/district of clusters and organisations from their coordinates."""
    setup_django()
    _locate(country=country or None, region_type=region_type or None)


def _locate(country: str | None, region_type: str | None) -> None:
    from clusterobs.registry.locate import locate_records

    report = locate_records(country=country, region_type=region_type)
    for model in ("cluster", "organisation"):
        filled = report.filled.get(model, {})
        console.print(
            f"{model}s located: {filled.get('state', 0)} states, "
            f"{filled.get('district', 0)} districts filled"
        )
        for what, items in (("in no region", report.outside), ("ambiguous", report.ambiguous)):
            if items.get(model):
                console.print(f"  {what} ({len(items[model])}): {'; '.join(items[model][:20])}")
