"""The ``clusterobs`` command: one Typer app, one module per command group.

Scripts rely on this contract (see README): ``init``, ``serve``, ``import``, ``export``,
``regions``, ``backup``, ``restore``, ``createuser``, ``mapping``, ``classifications``,
``spatial``.
Every command exits non-zero on any error.
"""

from __future__ import annotations

import typer

from clusterobs.cli import platform, registry_io

app = typer.Typer(
    name="clusterobs",
    help="Cluster Observatory: registry, statistical cluster mapping and collaboration platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

platform.register(app)
registry_io.register(app)


def _register_optional_groups() -> None:
    """Command groups of the analytics core (no Django needed)."""
    try:
        from clusterobs.cli import classifications, mapping
    except ImportError:  # engine commands are being built in parallel (issue 3)
        return
    app.add_typer(mapping.app, name="mapping", help="Statistical cluster mapping engine.")
    app.add_typer(classifications.app, name="classifications", help="Industry classifications.")
    from clusterobs.cli import spatial

    app.add_typer(spatial.app, name="spatial", help="Spatial hot spots, concentration indices, Kd.")


_register_optional_groups()

if __name__ == "__main__":  # pragma: no cover
    app()
