"""Options every command that reads an employment file shares (``--format``, ``--columns``).

Why one module: ``mapping build`` and ``complexity build`` read the same sources through
:func:`clusterobs.sources.readers.read_source`; their options are spelt and parsed once here.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from clusterobs.sources.generic import LongColumns
from clusterobs.sources.readers import FORMATS, SourceSpec

FORMAT_HELP = f"Source format: {', '.join(FORMATS)}."
COLUMNS_HELP = (
    "long format: column names as key=name pairs, keys "
    + ", ".join(f.name for f in fields(LongColumns))
    + " (e.g. region=geo,industry=nace,employment=persons)."
)
MEASURE_HELP = "census-in: total (main + marginal workers), main or marginal."


def parse_columns(text: str | None) -> LongColumns:
    """``region=geo,industry=nace`` -> :class:`LongColumns` (unknown keys are an error)."""
    if not text:
        return LongColumns()
    known = {f.name for f in fields(LongColumns)}
    values: dict[str, str] = {}
    for part in text.split(","):
        key, sep, name = (p.strip() for p in part.partition("="))
        if not sep or not name or key not in known:
            raise ValueError(
                f"--columns: {part!r} is not key=name with a key among {', '.join(sorted(known))}"
            )
        values[key] = name
    return LongColumns(**values)


def source_spec(
    path: Path,
    format: str,
    *,
    columns: str | None,
    classification: str,
    region_type: str = "region",
    total_code: str | None = None,
    measure: str = "total",
) -> SourceSpec:
    """The :class:`SourceSpec` of the command-line options (``ValueError`` names the option)."""
    if format not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {format!r}")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    return SourceSpec(
        path,
        format,
        parse_columns(columns),
        classification,
        region_type,
        total_code,
        measure,
    )


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``2008-2011`` or ``2011`` -> ``(first, last)`` (``--years``)."""
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise ValueError(f"--years must look like 2008-2011, got {text!r}")
