"""The ``clusterobs`` command: one Typer app, one module per command group.

Scripts rely on this contract (see README): ``init``, ``serve``, ``import``, ``export``,
``regions``, ``backup``, ``restore``, ``createuser``, ``mapping``, ``classifications``,
``spatial``, ``complexity``, ``excellence``, ``library``.
Every command exits non-zero on any error.
"""

from __future__ import annotations

import typer

from clusterobs.cli import (
    classifications,
    complexity,
    data,
    excellence,
    library,
    mapping,
    platform,
    registry_io,
    spatial,
)

app = typer.Typer(
    name="clusterobs",
    help="Cluster Observatory: registry, statistical cluster mapping and collaboration platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

platform.register(app)
registry_io.register(app)


app.add_typer(mapping.app, name="mapping", help="Statistical cluster mapping engine.")
app.add_typer(classifications.app, name="classifications", help="Industry classifications.")
app.add_typer(data.app, name="data", help="Real data embedded in the package.")
app.add_typer(spatial.app, name="spatial", help="Spatial hot spots, concentration indices, Kd.")
app.add_typer(complexity.app, name="complexity", help="Economic complexity and diversification.")
app.add_typer(excellence.app, name="excellence", help="Benchmarking and quality labels.")
app.add_typer(library.app, name="library", help="Knowledge library: documents and search index.")

if __name__ == "__main__":  # pragma: no cover
    app()
