"""One entry point for every source format: a :class:`SourceSpec` names the file, its format
and the format's options; :func:`read_source` returns the canonical table.

Why a table of readers: the CLI, the build service and the observatory's recomputations all
start from "this file, in this format"; a new source module registers one reader here and is
then usable everywhere (``--format NAME``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterobs.sources import cbp, generic
from clusterobs.sources.regions import us_states
from clusterobs.sources.schema import SourceTable
from clusterobs.tables.engine import Engine


@dataclass(frozen=True)
class SourceSpec:
    """A file and how to read it. ``columns``, ``classification`` (the vintage of the codes),
    ``region_type`` and ``total_code`` apply to the ``long`` format."""

    path: Path
    format: str = "cbp"
    columns: generic.LongColumns = field(default_factory=generic.LongColumns)
    classification: str = "UNKNOWN"
    region_type: str = "region"
    total_code: str | None = None

    def options(self) -> dict[str, Any]:
        """Everything but the path, as JSON values (kept in a result's manifest)."""
        values = asdict(self)
        values.pop("path")
        return values

    @classmethod
    def from_options(cls, path: Path, options: dict[str, Any] | None) -> SourceSpec:
        """The spec of a result's kept input; a result without recorded options was CBP."""
        options = dict(options or {"format": "cbp"})
        columns = generic.LongColumns(**(options.pop("columns", None) or {}))
        return cls(path=Path(path), columns=columns, **options)


def _read_cbp(engine: Engine, spec: SourceSpec) -> SourceTable:
    return cbp.read_cbp(engine, spec.path)


def _read_long(engine: Engine, spec: SourceSpec) -> SourceTable:
    return generic.read_long(
        engine,
        spec.path,
        columns=spec.columns,
        vintage=spec.classification,
        region_type=spec.region_type,
        total_code=spec.total_code,
    )


#: format -> (reader, built-in region table of the format or None)
READERS: dict[
    str, tuple[Callable[[Engine, SourceSpec], SourceTable], Callable[[], pd.DataFrame] | None]
] = {
    "cbp": (_read_cbp, us_states),
    "long": (_read_long, None),
}
FORMATS = tuple(READERS)


def read_source(engine: Engine, spec: SourceSpec) -> SourceTable:
    """The canonical table of ``spec`` (``ValueError`` for an unknown format)."""
    if spec.format not in READERS:
        raise ValueError(f"unknown format {spec.format!r}; use one of {', '.join(FORMATS)}")
    return READERS[spec.format][0](engine, spec)


def default_regions(spec: SourceSpec) -> pd.DataFrame | None:
    """The region table a format brings (CBP: the U.S. states), else ``None``."""
    regions = READERS[spec.format][1] if spec.format in READERS else None
    return regions() if regions else None
