"""Time the European and Indian imports and builds (see README.md in this folder).

Run from the repository root: ``.venv/bin/python benchmarks/euindia/bench_euindia.py [--runs N]``.
Prints one table of medians (wall clock, seconds) and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.engine.test_euindia_reference import reference  # noqa: E402

from clusterobs.definitions import load_definition  # noqa: E402
from clusterobs.mapping import pipeline  # noqa: E402
from clusterobs.mapping.output import write_result  # noqa: E402
from clusterobs.regions import nuts  # noqa: E402
from clusterobs.sources.census_india import read_b18, read_b18_parquet  # noqa: E402
from clusterobs.sources.eurostat import read_eurostat_tsv, read_sbs, read_sbs_parquet  # noqa: E402
from clusterobs.tables.engine import connect  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEFS = ROOT / "src" / "clusterobs" / "data" / "definitions"
EU_TSV = DATA / "eu_sbs_nuts2_nace_2008_2015" / "sbs_r_nuts06_r2.tsv.gz"
INDIA = sorted((DATA / "india_census2011_b18_district_nic").glob("*.csv"))


class Seconds(float):
    """Median wall-clock seconds, carrying the median CPU seconds (all threads of this
    process) of the same calls as ``.cpu``: under load, wall time waits for the cores."""

    cpu: float


def timed(fn: Callable[[], object], runs: int) -> tuple[Seconds, object]:
    times, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    wall = Seconds(statistics.median(times))
    wall.cpu = statistics.median(cpus)
    return wall, out


def eu_correspondence():
    history = nuts.NutsHistory.read(DATA / "nuts_code_changes_1999_2021")
    targets = set()
    for level in (0, 1, 2):
        path = DATA / "nuts_boundaries_2021" / f"NUTS_RG_60M_2021_4326_LEVL_{level}.geojson"
        targets |= set(nuts.boundary_codes(path)["code"])
    geo = read_eurostat_tsv(EU_TSV, keep={"indic_sb": ["V16110"]}).cells["geo"].astype(str)
    return nuts.correspondence(set(geo), history, targets), targets


def eu_build_written(definition_file: str, classification: str) -> pipeline.MappingResult:
    """Import the embedded Parquet, build every measure for all years, write the result."""
    eng = connect()
    imp = read_sbs_parquet(eng, region_types=("nuts2",))
    definition = load_definition(DEFS / definition_file, classification)
    result = pipeline.build(imp.source, definition, engine=eng)
    with tempfile.TemporaryDirectory() as tmp:
        write_result(result, Path(tmp) / "eu")
    return result


def india_build_written(measure: str, definition_file: str) -> pipeline.MappingResult:
    eng = connect()
    imp = read_b18_parquet(eng, measure=measure)
    definition = load_definition(DEFS / definition_file, "NIC2008")
    result = pipeline.build(imp.source, definition, engine=eng)
    with tempfile.TemporaryDirectory() as tmp:
        # One year: no change table (see the xfail in tests/engine/test_euindia_reference.py);
        # the writer streams its empty parts without reading them into pandas.
        write_result(result, Path(tmp) / "india")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = args.runs
    load_before = os.getloadavg()
    rows: list[tuple[str, float, str]] = []

    t, (corr, targets) = timed(eu_correspondence, 1)
    rows.append(("EU: NUTS correspondence (history + boundary codes)", t, f"{len(corr)} codes"))
    t, imp = timed(
        lambda: read_sbs(
            None, EU_TSV, correspondence=corr, boundary_codes=targets, negative="invalid"
        ),
        runs,
    )
    rows.append(("EU: import TSV -> canonical (3 measures, NUTS 2)", t, f"{len(imp.frame):,} rows"))
    t, imp_est = timed(
        lambda: read_sbs(
            None,
            EU_TSV,
            correspondence=corr,
            boundary_codes=targets,
            negative="invalid",
            estimate="bounded",
        ),
        1,
    )
    rows.append(
        (
            "EU: import TSV with bounded estimation",
            t,
            f"{imp_est.report.estimated_cells:,} cells estimated",
        )
    )
    t, res = timed(lambda: eu_build_written("uscmp_nace2_division.csv", "NACE2"), runs)
    rows.append(
        (
            "EU: build, all years 2008-2015, all measures, written",
            t,
            f"{res.manifest['rows']['cluster_region_year']:,} cluster-region-year rows, "
            f"{res.manifest['rows']['cluster_region_change']:,} change rows",
        )
    )
    eu = read_sbs_parquet(connect(), region_types=("nuts2",))
    frame = eu.source.frame  # the rows the engine gets
    definition = load_definition(DEFS / "uscmp_nace2_division.csv", "NACE2")
    t_ref, ref = timed(lambda: reference(frame, definition.table), runs)
    rows.append(
        ("EU: plain pandas recomputation (LQ, shares, stars only)", t_ref, f"{len(ref):,} rows")
    )

    t, imp_in = timed(lambda: read_b18(None, INDIA, measure="total"), runs)
    rows.append(("India: import 5 B-18 CSVs -> canonical", t, f"{len(imp_in.frame):,} rows"))
    t, res_in = timed(lambda: india_build_written("total", "uscmp_nic2008_class.csv"), runs)
    rows.append(
        (
            "India: build, U.S. clusters on NIC classes, written",
            t,
            f"{res_in.manifest['rows']['cluster_region_year']:,} rows",
        )
    )
    products = "india_product_clusters_nic2008.csv"
    t, res_p = timed(lambda: india_build_written("main", products), runs)
    rows.append(
        (
            "India: build, product clusters, written",
            t,
            f"{res_p.manifest['rows']['cluster_region_year']:,} rows",
        )
    )
    frame_in = read_b18_parquet(connect(), measure="total").source.frame
    def_in = load_definition(DEFS / "uscmp_nic2008_class.csv", "NIC2008")
    t_ref_in, _ = timed(lambda: reference(frame_in, def_in.table), runs)
    rows.append(("India: plain pandas recomputation (LQ, shares, stars)", t_ref_in, ""))

    load_after = os.getloadavg()
    print(f"runs per step (median): {runs}; load average before {load_before}, after {load_after}")
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'wall':>8}    {'CPU':>8}")
    for name, seconds, note in rows:
        cpu = getattr(seconds, "cpu", float("nan"))
        print(f"{name:<{width}}  {seconds:8.2f} s  {cpu:8.2f} s  {note}")


if __name__ == "__main__":
    main()
