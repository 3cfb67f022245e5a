"""Benchmark 1: full build of the CBP state file 2000-2011 (all years, all measures), DuckDB.

Run from the repository root: ``.venv/bin/python benchmarks/mapping/bench_cbp_full.py``.
Needs the shared data beside the checkout (``../shared/data``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from clusterobs.classifications.store import ClassificationStore, import_classifications
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import output, pipeline
from clusterobs.sources.cbp import read_cbp
from clusterobs.tables.engine import connect

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-cbp-"))
    import_classifications(DATA / "industry_classifications", tmp / "classifications")
    start = time.perf_counter()
    store = ClassificationStore.load(tmp / "classifications")
    definition = load_definition(
        DATA / "us_cluster_definitions" / "naics2007_to_cluster_uscmp_2014_web.csv", "NAICS2007"
    )
    eng = connect()
    src = read_cbp(eng, DATA / "us_cbp_state_2000_2011" / "cbp_state_naics_2000_2011.csv.gz")
    result = pipeline.build(
        src,
        definition,
        engine=eng,
        store=store,
        relatedness=DATA / "us_cluster_definitions" / "traded_cluster_relatedness_uscmp.csv",
        options=pipeline.MappingOptions(esteban_marquillas=True),
    )
    output.write_result(result, tmp / "out")
    wall = time.perf_counter() - start
    print(f"cbp_full_wall_seconds={wall:.2f}")
    print(f"rows={result.manifest['rows']}")
    print(f"steps={result.manifest['timings_seconds']}")


if __name__ == "__main__":
    main()
