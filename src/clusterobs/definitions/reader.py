"""Read a cluster definition file: canonical CSV/Parquet or a published U.S. Cluster Mapping
file converted by :mod:`clusterobs.definitions.adapters`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.definitions.adapters import ADAPTERS, convert
from clusterobs.definitions.model import ClusterDefinition, validate_definition
from clusterobs.sources.errors import InputValidationError, unreadable


def _read(path: Path, format: str) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path).astype("string")
    if format == "auto":
        header = set(pd.read_csv(path, nrows=0).columns)
        if {"cluster_id", "naics2007"} <= header:
            format = "uscmp_web"
        elif {"naics", "emsi_specific_naics"} <= header:
            format = "uscmp_emsi"
        else:
            format = "canonical"
    return convert(path, format)


def load_definition(
    path: str | Path, classification: str, *, format: str = "auto"
) -> ClusterDefinition:
    """Read a definition: canonical CSV/Parquet, or a published U.S. Cluster Mapping file
    converted by :mod:`clusterobs.definitions.adapters` (``format='auto'`` detects it). A file
    that is not a readable table is refused with its name, never with a parser's traceback."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if format not in ("auto", *ADAPTERS):
        raise ValueError(f"unknown definition format {format!r}; use auto or one of {ADAPTERS}")
    try:
        table = _read(path, format)
    except InputValidationError:
        raise
    except (ValueError, KeyError, OSError) as exc:  # parser errors, bad encoding, missing columns
        raise unreadable(path, exc) from exc
    return validate_definition(table, classification, str(path))
