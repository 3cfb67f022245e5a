"""Published complexity files and their manifest.

Files (Parquet, one row per key; codes as text, years as integers):

``complexity_region.parquet``
    ``region_type, region_code, year, diversity, eci, coi`` (+ ``fitness`` with the option).
``complexity_industry.parquet``
    ``region_type, industry_code, year, ubiquity, pci, employment`` (national), ``industry_name``,
    ``wage`` (national, reported cells only), ``employment_growth`` (CAGR since the first year of
    the panel), ``proximity_sum`` (``sum_p' phi_pp'``, the density denominator)
    (+ ``fc_complexity`` with the option).
``relatedness_density.parquet``
    ``region_type, region_code, industry_code, year, employment, employment_imputed, rca,
    present, density, cog``.
``complexity_proximity.parquet``
    the closest industries of each industry (``rank`` 1..K, ``proximity``): the "which
    industries make it related" explanations of the observatory.

A stand-alone build (``clusterobs complexity build``) writes them with a ``manifest.json`` into
its own directory, all or nothing. :func:`write_complexity` adds them to a published mapping
result (``mapping build --complexity``) and records the same manifest under the result
manifest's ``complexity`` key.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from clusterobs import __name__ as _pkg
from clusterobs.complexity import density, diversity_ubiquity, eci, fitness, outlook, proximity, rca
from clusterobs.complexity.compute import ComplexityOptions, ComplexityResult, compute_complexity
from clusterobs.complexity.inputs import EmploymentPanel, cluster_panel, industry_panel
from clusterobs.tables import atomic
from clusterobs.tables.engine import Engine

REGION_FILE = "complexity_region.parquet"
INDUSTRY_FILE = "complexity_industry.parquet"
DENSITY_FILE = "relatedness_density.parquet"
PROXIMITY_FILE = "complexity_proximity.parquet"
FILES = (REGION_FILE, INDUSTRY_FILE, DENSITY_FILE, PROXIMITY_FILE)
MANIFEST = "manifest.json"
Level = Literal["industry", "cluster"]

CONVENTIONS = {
    "rca": f"{rca.FORMULA} ({rca.SOURCE})",
    "diversity_ubiquity": f"{diversity_ubiquity.FORMULA} ({diversity_ubiquity.SOURCE})",
    "eci_pci": f"{eci.FORMULA} ({eci.SOURCE})",
    "proximity": f"{proximity.FORMULA} ({proximity.SOURCE})",
    "density": f"{density.FORMULA} ({density.SOURCE})",
    "coi": f"{outlook.FORMULA_COI} ({outlook.SOURCE})",
    "cog": f"{outlook.FORMULA_COG} ({outlook.SOURCE}); COI and COG in PCI units, not rescaled",
    "fitness": f"{fitness.FORMULA} ({fitness.SOURCE}); only with the fitness option",
    "peers": "regions are compared with regions of the same type, year by year; regions and "
    "industries with zero employment in a year are left out of it (listed under years)",
    "employment_growth": "CAGR of national employment from the panel's first year (null when "
    "the industry had none then; codes of different classification vintages differ)",
    "wage": "annual payroll / reported employment over cells with both published",
}


def compute_panel(panel: EmploymentPanel, options: ComplexityOptions) -> ComplexityResult:
    """The statistics of a panel, with the industry table's names, wages and growth added."""
    result = compute_complexity(
        panel.cells,
        region_totals=panel.region_totals,
        imputed="employment_imputed",
        options=options,
    )
    ind = result.industry
    extra = panel.industries.copy()
    keys = ["region_type", "industry_code", "year"]
    for col in ("region_type", "industry_code"):
        extra[col] = extra[col].astype(str)
    merged = pd.DataFrame(
        {
            "region_type": ind["region_type"].astype(str),
            "industry_code": ind["industry_code"].astype(str),
            "year": ind["year"],
        }
    ).merge(extra.drop_duplicates(keys), on=keys, how="left")
    ind["industry_name"] = merged["industry_name"].astype("string").to_numpy()
    ind["wage"] = merged["wage"].astype("float64").to_numpy()
    ind["employment_growth"] = _growth(ind)
    return result


def _growth(ind: pd.DataFrame) -> np.ndarray:
    first = ind.groupby("region_type", observed=True)["year"].transform("min")
    base = ind[ind["year"] == first][["region_type", "industry_code", "employment"]]
    base = base.rename(columns={"employment": "base"})
    j = ind[["region_type", "industry_code", "year", "employment"]].merge(
        base, on=["region_type", "industry_code"], how="left"
    )
    span = (j["year"] - first.to_numpy()).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (j["employment"] / j["base"]) ** (1.0 / span) - 1.0
    g = g.where((span > 0) & (j["base"] > 0))
    return np.asarray(g.to_numpy(dtype="float64"))


def tables(result: ComplexityResult) -> dict[str, pd.DataFrame]:
    """The published tables, sorted for the observatory's look-ups (type, year, code)."""
    region = _sorted(result.region, ["region_type", "year", "region_code"])
    industry = _sorted(result.industry, ["region_type", "year", "industry_code"])
    dens = _sorted(result.density, ["region_type", "year", "region_code", "industry_code"])
    prox = _sorted(result.proximity, ["region_type", "year", "industry_code", "rank"])
    return {REGION_FILE: region, INDUSTRY_FILE: industry, DENSITY_FILE: dens, PROXIMITY_FILE: prox}


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = [
        df[k].cat.codes.to_numpy() if isinstance(df[k].dtype, pd.CategoricalDtype) else df[k]
        for k in reversed(keys)
    ]
    order = np.lexsort(cols) if len(df) else np.zeros(0, dtype=int)
    out = df.iloc[order].reset_index(drop=True)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("string")
    return out


def manifest_entry(
    result: ComplexityResult,
    panel: EmploymentPanel,
    options: ComplexityOptions,
    *,
    level: Level,
    inputs: dict[str, Any],
    absent_note: str,
    seconds: float,
) -> dict[str, Any]:
    """What was computed, from what, with which conventions (the manifest's content)."""
    return {
        "package": _pkg,
        "kind": "complexity",
        "level": level,
        "inputs": inputs,
        "presence": "rca",
        "threshold": options.threshold,
        "imputation": panel.notes.get("imputation", "as the mapping result"),
        "absent_cells": absent_note,
        "panel": panel.notes,
        "proximity": options.proximity_source,
        "neighbours_kept": options.neighbours,
        "fitness": options.fitness,
        "conventions": CONVENTIONS,
        "years": result.diagnostics,
        "rows": {
            "complexity_region": len(result.region),
            "complexity_industry": len(result.industry),
            "relatedness_density": len(result.density),
            "complexity_proximity": len(result.proximity),
        },
        "timings_seconds": {"total": round(seconds, 3)},
    }


def write_directory(out: Path, frames: dict[str, pd.DataFrame], manifest: dict[str, Any]) -> Path:
    """Write the files and ``manifest.json`` to ``out`` atomically (replacing an older build)."""

    def write(tmp: Path) -> None:
        for name, frame in frames.items():
            frame.to_parquet(tmp / name, index=False)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))

    return atomic.write_directory(out, write)


def write_complexity(
    result_dir: str | Path,
    *,
    level: Level = "cluster",
    source: Any | None = None,
    engine: Engine | None = None,
    options: ComplexityOptions | None = None,
    imputation: str | None = None,
    titles: Any | None = None,
) -> dict[str, Any]:
    """Add the complexity files to a published mapping result and record them in its manifest.

    ``level="cluster"`` reads the result's own ``cluster_region_year`` and ``region_year``
    (the mapping engine's imputation and crosswalks; nothing is recomputed). ``level=
    "industry"`` needs the canonical employment table: ``source`` (a
    :class:`~clusterobs.sources.schema.SourceTable`, as ``mapping build`` has it) or, for a
    CBP build, the copy of the employment file kept in the result. Files are replaced one by
    one with ``os.replace`` and the manifest last, so readers see old or new files, never
    partial ones. Returns the manifest entry.
    """
    started = time.perf_counter()
    result_dir = Path(result_dir)
    manifest_path = result_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    opts = options or ComplexityOptions()
    if level == "cluster":
        crt = pd.read_parquet(result_dir / "cluster_region_year.parquet")
        ry = pd.read_parquet(result_dir / "region_year.parquet")
        panel = cluster_panel(crt, ry)
        panel.notes["imputation"] = manifest.get("imputation", "midpoint")
        absent = (
            "the mapping result's cluster cells: a region x cluster it does not list has no "
            "employment (0)"
        )
        inputs = {"mapping_result": result_dir.name, "definition": manifest.get("definition")}
    elif level == "industry":
        from clusterobs.complexity.inputs import reader
        from clusterobs.mapping.inputs import input_path
        from clusterobs.sources.readers import SourceSpec, read_source
        from clusterobs.tables.engine import connect

        recorded = manifest.get("inputs") or {}
        fmt = recorded.get("format", "cbp")
        engine = engine or connect()
        if source is None:
            path = input_path(result_dir, recorded, "employment")
            if path is None:
                raise ValueError(
                    "industry level: pass the employment source table (the result keeps "
                    "no employment file)"
                )
            source = read_source(
                engine, SourceSpec.from_options(path, recorded.get("source_options"))
            )
        panel = industry_panel(
            engine,
            source,
            detail=reader(fmt).detail,
            imputation=imputation or manifest.get("imputation", "midpoint"),  # type: ignore[arg-type]
            titles=titles,
        )
        absent = reader(fmt).absent_note
        inputs = {"mapping_result": result_dir.name, "employment": recorded.get("employment")}
    else:
        raise ValueError(f"level must be 'industry' or 'cluster', got {level!r}")
    result = compute_panel(panel, opts)
    entry = manifest_entry(
        result,
        panel,
        opts,
        level=level,
        inputs=inputs,
        absent_note=absent,
        seconds=time.perf_counter() - started,
    )
    for name, frame in tables(result).items():
        tmp = result_dir / f".{name}.tmp"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, result_dir / name)
    manifest["complexity"] = entry
    tmp_manifest = result_dir / f".{MANIFEST}.tmp"
    tmp_manifest.write_text(json.dumps(manifest, indent=2, default=str))
    os.replace(tmp_manifest, manifest_path)
    return entry
