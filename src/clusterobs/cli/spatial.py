"""``clusterobs spatial``: hot spots, concentration indices and Kd localisation (no Django).

The spatial package (SciPy's signal and spatial modules, libpysal) is imported by the command
that runs, not with the CLI: every other ``clusterobs`` command would otherwise pay about a
second of start-up for it.

All three write a directory (``--out``) with CSV/GeoJSON tables and a ``summary.json`` naming the
conventions; see ``docs/spatial.md``. Bad input stops with a message naming file, row and field
and writes nothing.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from clusterobs.cli.errors import exits_on_error

if TYPE_CHECKING:
    from clusterobs.spatial.points.kd import KdOptions

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
console = Console(stderr=True)


def _result_dir(result: str) -> Path:
    """A result name in the platform's store, or a path to a result directory."""
    from clusterobs.config import load_config

    path = Path(result)
    if (path / "manifest.json").exists():
        return path
    if "/" in result or "\\" in result or result.startswith("."):
        raise FileNotFoundError(f"{result} is not a mapping result directory (no manifest.json)")
    candidate = load_config().results_dir / result
    if not (candidate / "manifest.json").exists():
        raise FileNotFoundError(
            f"no published result named {result!r} in {candidate.parent} "
            "(run 'clusterobs mapping build' or give a result directory)"
        )
    return candidate


def _spatial_dir() -> Path:
    from clusterobs.config import load_config

    return load_config().data_dir / "spatial"


def _boundaries(path: Path | None, layer: str | None, code_field: str | None, region_type: str):
    from clusterobs.spatial.boundaries import builtin_boundaries, read_boundaries

    if path is not None:
        return read_boundaries(path, layer=layer, code_field=code_field)
    return builtin_boundaries(region_type)


@app.command()
@exits_on_error
def hotspots(
    out: Annotated[Path, typer.Option(help="Output directory.")],
    result: Annotated[
        str | None, typer.Option(help="Published result name or result directory.")
    ] = None,
    cluster: Annotated[str | None, typer.Option(help="Cluster code.")] = None,
    measure: Annotated[str, typer.Option(help="lq_total, lq_traded_local, employment...")] = (
        "lq_total"
    ),
    year: Annotated[int | None, typer.Option(help="Year (default: the last).")] = None,
    start_year: Annotated[int | None, typer.Option(help="Start year of growth measures.")] = None,
    subcluster: Annotated[str | None, typer.Option(help="Sub-cluster code.")] = None,
    region_type: Annotated[str | None, typer.Option(help="Region type of the result.")] = None,
    values: Annotated[
        Path | None, typer.Option(help="Instead of a result: CSV region_code,value (any measure).")
    ] = None,
    value_column: Annotated[str, typer.Option(help="--values: the value column.")] = "value",
    weights: Annotated[str, typer.Option(help="queen, rook, knn:K or distance:KM.")] = "queen",
    permutations: Annotated[int, typer.Option(help="Permutations for p-values.")] = 999,
    alpha: Annotated[float, typer.Option(help="False discovery rate (BH).")] = 0.05,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 20_261_122,
    basis: Annotated[str, typer.Option(help="Clusters from gi_star hot spots or lisa HH.")] = (
        "gi_star"
    ),
    boundaries: Annotated[
        Path | None, typer.Option(help="Boundary file (default: built-in U.S. states/counties).")
    ] = None,
    layer: Annotated[str | None, typer.Option(help="Layer of the boundary file.")] = None,
    code_field: Annotated[str | None, typer.Option(help="Region code field.")] = None,
    crs: Annotated[str, typer.Option(help="auto, geodesic or a projected CRS.")] = "auto",
    absent_as_zero: Annotated[
        bool | None,
        typer.Option(
            "--absent-as-zero/--absent-as-missing",
            help="A region without a row for the cluster has zero employment (default: yes for "
            "CBP results, which list every establishment).",
        ),
    ] = None,
) -> None:
    """Moran's I, LISA and Gi* of one measure; contiguous hot spots merged across borders."""
    from clusterobs.spatial import hotspots as hs
    from clusterobs.spatial.output import write_hotspots

    started = time.perf_counter()
    if values is not None:
        series, figures, national, rt, meta = _values_file(values, value_column, region_type)
    else:
        if result is None or cluster is None:
            raise ValueError("give --result and --cluster (or --values)")
        series, figures, national, rt, meta = _result_values(
            _result_dir(result), cluster, measure, year, region_type, subcluster, start_year,
            absent_as_zero,
        )  # fmt: skip
    regions = _boundaries(boundaries, layer, code_field, rt)
    analysis = hs.analyse(
        series,
        regions,
        weights=weights,
        permutations=permutations,
        alpha=alpha,
        seed=seed,
        basis=basis,  # type: ignore[arg-type]
        cache_dir=_spatial_dir() / "weights",
        crs=crs,
        figures=figures,
        national=national,
    )
    meta["boundaries"] = regions.source
    written = write_hotspots(analysis, regions, out, meta)
    _report_hotspots(analysis, written, time.perf_counter() - started)


def _values_file(values: Path, value_column: str, region_type: str | None) -> tuple:
    """``--values``: any measure per region from a CSV ``region_code,<value>``."""
    import pandas as pd

    df = pd.read_csv(values, dtype={"region_code": str})
    for col in ("region_code", value_column):
        if col not in df.columns:
            raise ValueError(f"{values}: no column {col!r}")
    vals = pd.to_numeric(df[value_column], errors="coerce")
    bad = vals.isna() & df[value_column].notna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 1
        raise ValueError(f"{values}, row {row}, field {value_column!r}: not a number")
    series = pd.Series(vals.to_numpy(), index=df["region_code"].astype(str))
    rt = region_type or "state"
    meta = {"values_file": str(values), "measure": value_column, "region_type": rt}
    return series, None, None, rt, meta


def _result_values(
    path: Path,
    cluster: str,
    measure: str,
    year: int | None,
    region_type: str | None,
    subcluster: str | None,
    start_year: int | None,
    absent_as_zero: bool | None,
) -> tuple:
    """One measure of one cluster per region from a published mapping result."""
    from clusterobs.spatial.results import MEASURE_LABELS, measure_values

    table = measure_values(
        path,
        cluster=cluster,
        measure=measure,
        year=year,
        region_type=region_type,
        subcluster=subcluster,
        start_year=start_year,
        absent_as_zero=absent_as_zero,
    )
    meta = {
        "dataset": table.dataset,
        "cluster_code": table.cluster_code,
        "cluster_name": table.cluster_name,
        "subcluster_code": table.subcluster_code,
        "measure": measure,
        "measure_label": MEASURE_LABELS.get(measure, measure),
        "year": table.year,
        "start_year": table.start_year,
        "region_type": table.region_type,
        "absent_rows": "zero" if table.absent_as_zero else "missing",
        "regions_without_value": table.missing,
    }
    series = table.frame.set_index("region_code")["value"]
    return series, table.frame, table.national, table.region_type, meta


def _report_hotspots(analysis: object, written: Path, seconds: float) -> None:
    m = analysis.moran  # type: ignore[attr-defined]
    clusters = analysis.clusters  # type: ignore[attr-defined]
    console.print(
        f"Moran's I {m.I:.4f} (z {m.z_norm:.2f}, p_sim {m.p_sim:.3f}); "
        f"LISA {analysis.lisa.counts()}; {len(clusters)} hot-spot cluster(s), "  # type: ignore[attr-defined]
        f"{sum(c.cross_border for c in clusters)} across borders; "
        f"wrote {written} in {seconds:.1f} s",
        markup=False,
    )
    for c in clusters[:10]:
        emp = f", employment {c.employment:,.0f}" if c.employment is not None else ""
        lq = f", LQ {c.lq_total:.2f}" if c.lq_total is not None else ""
        console.print(
            f"  {c.cluster_id}. {c.name} ({len(c.members)} regions{emp}{lq})", markup=False
        )


@app.command()
@exits_on_error
def concentration(
    out: Annotated[Path, typer.Option(help="Output directory.")],
    result: Annotated[
        str | None, typer.Option(help="Published result name or result directory.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year (default: the last).")] = None,
    region_type: Annotated[str | None, typer.Option(help="Region type of the result.")] = None,
    employment: Annotated[
        Path | None,
        typer.Option(
            help="Instead of a result: long CSV region,industry,employment[,establishments]."
        ),
    ] = None,
    region_col: str = "region",
    industry_col: str = "industry",
    employment_col: str = "employment",
    establishments_col: Annotated[str | None, typer.Option(help="Establishments column.")] = None,
    totals: Annotated[
        Path | None,
        typer.Option(help="--employment: CSV region,total (default: sum over the industries)."),
    ] = None,
    size_classes: Annotated[
        Path | None,
        typer.Option(help="CSV industry_code (or cluster_code) with CBP size classes n1_4..n1000."),
    ] = None,
    absent_as_zero: Annotated[
        bool | None, typer.Option("--absent-as-zero/--absent-as-missing")
    ] = None,
) -> None:
    """Ellison-Glaeser, Maurel-Sedillot, Herfindahl, Gini per cluster; Krugman per region."""
    import pandas as pd

    from clusterobs.spatial.concentration import plant_herfindahl
    from clusterobs.spatial.concentration.table import (
        cluster_concentration,
        concentration_by_industry,
        regional_specialisation,
    )
    from clusterobs.spatial.output import write_concentration

    sizes = pd.read_csv(size_classes, dtype=str) if size_classes else None
    if sizes is not None:
        for c in plant_herfindahl.CBP_SIZE_CLASSES:
            if c in sizes.columns:
                sizes[c] = pd.to_numeric(sizes[c], errors="raise")
    if employment is not None:
        rows = _read_long(employment, region_col, industry_col, employment_col, establishments_col)
        if totals is not None:
            t = pd.read_csv(totals, dtype={"region": str})
            tot = pd.DataFrame({"region_code": t["region"].astype(str), "total": t["total"]})
        else:
            tot = rows.groupby("region_code", as_index=False)["employment"].sum()
            tot = tot.rename(columns={"employment": "total"})
        table = concentration_by_industry(
            rows, tot, absent_as_zero=absent_as_zero is not False, size_classes=sizes
        )
        regions = None
        meta = {"employment_file": str(employment), "totals": str(totals) if totals else "sum"}
    else:
        if result is None:
            raise ValueError("give --result or --employment")
        path = _result_dir(result)
        table = cluster_concentration(
            path,
            year=year,
            region_type=region_type,
            absent_as_zero=absent_as_zero,
            size_classes=sizes,
        )
        regions = regional_specialisation(path, year=year, region_type=region_type)
        meta = {"dataset": path.name, "year": int(table["year"].iloc[0]) if len(table) else year}
    meta["plant_herfindahl_methods"] = plant_herfindahl.METHODS
    meta["rows"] = len(table)
    written = write_concentration(table, regions, out, meta)
    console.print(f"{len(table)} rows; wrote {written}")
    name_col = "cluster_name" if "cluster_name" in table.columns else "industry_code"
    for _, r in table.head(10).iterrows():
        eg = "n/a" if pd.isna(r["eg_gamma"]) else f"{r['eg_gamma']:.4f}"
        console.print(f"  {r[name_col]}: EG gamma {eg}")


def _read_long(path: Path, region: str, industry: str, employment: str, est: str | None):
    import pandas as pd

    from clusterobs.sources.errors import InputValidationError

    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for col in [region, industry, employment] + ([est] if est else []):
        if col not in df.columns:
            raise InputValidationError(f"no column {col!r}", file=path, field=col)
    out = pd.DataFrame({"region_code": df[region].str.strip(), "industry_code": df[industry]})
    for src, dst in [(employment, "employment")] + ([(est, "establishments")] if est else []):
        v = pd.to_numeric(df[src], errors="coerce")
        bad = v.isna() | (v < 0)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 1
            raise InputValidationError(
                f"{df[src].iloc[row - 1]!r} is missing, negative or not a number",
                file=path,
                row=row,
                field=src,
            )
        out[dst] = v.astype("float64")
    return out


@app.command()
@exits_on_error
def kd(
    points: Annotated[Path, typer.Option(help="Point file (CSV/CSV.gz/Parquet) with lon/lat.")],
    industry: Annotated[str, typer.Option(help="Industry code (any level, e.g. 331110).")],
    out: Annotated[Path, typer.Option(help="Output directory.")],
    industry_column: Annotated[str, typer.Option(help="Industry code column.")] = "industry",
    lon_column: str = "longitude",
    lat_column: str = "latitude",
    weight_column: Annotated[
        str | None, typer.Option(help="Weight column (e.g. emp): weighted Kd.")
    ] = None,
    simulations: Annotated[int, typer.Option(help="Random-location simulations.")] = 99,
    r_max: Annotated[float, typer.Option(help="Largest distance r (km).")] = 200.0,
    r_step: Annotated[float, typer.Option(help="Distance step (km).")] = 1.0,
    alpha: Annotated[float, typer.Option(help="Band level (two-sided).")] = 0.05,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 20_261_122,
    mode: Annotated[str, typer.Option(help="exact, or binned (approximation).")] = "exact",
    crs: Annotated[str, typer.Option(help="auto, geodesic or a projected CRS.")] = "auto",
    vintage: Annotated[
        str | None, typer.Option(help="Classification of --industry (default: latest).")
    ] = None,
    include_partial: Annotated[
        bool, typer.Option(help="Also points whose code is only partly in the industry.")
    ] = False,
    m_function: Annotated[bool, typer.Option("--m", help="Also compute the M function.")] = False,
    name: Annotated[
        str | None, typer.Option(help="Name in the platform's store (default: out name).")
    ] = None,
    publish: Annotated[bool, typer.Option(help="Publish for the observatory.")] = True,
) -> None:
    """Duranton-Overman Kd with confidence bands (random location among all points)."""
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.config import load_config
    from clusterobs.spatial.points.industries import match_industry
    from clusterobs.spatial.points.kd import KdOptions
    from clusterobs.spatial.points.pointset import read_points

    options = KdOptions(
        r_max_km=r_max,
        r_step_km=r_step,
        simulations=simulations,
        alpha=alpha,
        seed=seed,
        weighted=weight_column is not None,
        mode=mode,  # type: ignore[arg-type]
    )
    pts = read_points(
        points,
        lon_column=lon_column,
        lat_column=lat_column,
        industry_column=industry_column,
        weight_column=weight_column,
    )
    config = load_config()
    match = match_industry(
        pts.industry,
        industry,
        ClassificationStore.load(config.data_dir / "classifications"),
        target_vintage=vintage,
        include_partial=include_partial,
    )
    console.print(
        f"{match.n:,} of {pts.n:,} points in {industry} ({match.target_vintage or 'literal'}); "
        f"per vintage: {match.per_vintage}",
        markup=False,
    )
    result, m = _kd_with_progress(pts, match, crs, options, m_function)
    meta = {
        "name": name or out.name,
        "points_file": str(points),
        "points": pts.n,
        "points_without_industry": pts.missing_industry,
        "industry_column": industry_column,
        "weight_column": weight_column,
    }
    store_dir = config.data_dir / "spatial" / "kd" if publish else None
    _write_kd(result, match, m, out, meta, store_dir)


def _write_kd(
    result: object, match: object, m: object, out: Path, meta: dict, store_dir: Path | None
) -> None:
    """Write the Kd result, publish it for the observatory (``store_dir``), report it."""
    from clusterobs.spatial import output

    written = output.write_kd(result, match, out, meta, m)
    target = output.publish(written, store_dir, meta["name"]) if store_dir else None
    s = result.summary()  # type: ignore[attr-defined]
    console.print(
        f"Kd: bandwidth {s['bandwidth_km']:.2f} km; localisation {s['localisation_index']:.5f}, "
        f"dispersion {s['dispersion_index']:.5f}; localised at {s['localised_at_km_global']} km "
        f"(global band); {s['seconds']:.1f} s; wrote {written}"
        + (f"; published as {target.name}" if target else ""),
        markup=False,
    )
    typer.echo(json.dumps({"localised": s["localised"], "dispersed": s["dispersed"]}))


def _kd_with_progress(
    pts: object, match: object, crs: str, options: KdOptions, m_function: bool
) -> tuple:
    """Kd (and optionally M) of the matched points, with a progress bar over simulations."""
    from clusterobs.spatial.points.kd import DurantonOverman
    from clusterobs.spatial.points.mfunction import MarconPuech
    from clusterobs.spatial.projection import choose_frame

    frame = choose_frame(pts.lon, pts.lat, crs)  # type: ignore[attr-defined]
    coords = frame.coordinates(pts.lon, pts.lat)  # type: ignore[attr-defined]
    weights = pts.weight  # type: ignore[attr-defined]
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Kd simulations", total=max(options.simulations, 1))
        result = DurantonOverman(
            coords,
            match.mask,  # type: ignore[attr-defined]
            frame,
            weights=weights,
            options=options,
            progress=lambda done, total: progress.update(task, completed=done),
        )
        m = None
        if m_function:
            progress.update(task, description="M simulations")
            m = MarconPuech(coords, match.mask, frame, weights=weights, options=options)  # type: ignore[attr-defined]
    return result, m
