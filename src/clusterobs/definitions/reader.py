"""Read a cluster definition file: canonical CSV/Parquet or a published U.S. Cluster Mapping
file converted by :mod:`clusterobs.definitions.adapters`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.definitions.adapters import convert
from clusterobs.definitions.model import ClusterDefinition, validate_definition


def load_definition(
    path: str | Path, classification: str, *, format: str = "auto"
) -> ClusterDefinition:
    """Read a definition: canonical CSV/Parquet, or a published U.S. Cluster Mapping file
    converted by :mod:`clusterobs.definitions.adapters` (``format='auto'`` detects it)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix == ".parquet":
        df = pd.read_parquet(path).astype("string")
        return validate_definition(df, classification, str(path))
    if format == "auto":
        header = set(pd.read_csv(path, nrows=0).columns)
        if {"cluster_id", "naics2007"} <= header:
            format = "uscmp_web"
        elif {"naics", "emsi_specific_naics"} <= header:
            format = "uscmp_emsi"
        else:
            format = "canonical"
    return validate_definition(convert(path, format), classification, str(path))
