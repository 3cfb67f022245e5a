"""Published results with complexity outputs, built from the CBP sample kept in the repository
(tests/complexity/data/SOURCE.md): one per complexity level and one without complexity."""

from __future__ import annotations

import json
from pathlib import Path

from tests.complexity.conftest import SAMPLE_CBP, SAMPLE_DEFS

CLUSTERS, INDUSTRIES, PLAIN = "sample-clusters", "sample-industries", "sample-plain"


def build_sample_results(root: Path) -> Path:
    """``root/results/{sample-clusters, sample-industries, sample-plain}``, as the CLI publishes
    them (inputs bundled; ``clusterobs complexity add`` for the first two)."""
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.complexity.outputs import write_complexity
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import output, pipeline
    from clusterobs.mapping.inputs import bundle_inputs
    from clusterobs.sources.cbp import read_cbp
    from clusterobs.sources.regions import us_states
    from clusterobs.tables.engine import connect

    results = root / "results"
    eng = connect()
    res = pipeline.build(
        read_cbp(eng, SAMPLE_CBP),
        load_definition(SAMPLE_DEFS, "NAICS2007"),
        engine=eng,
        store=ClassificationStore.empty(),
        regions=us_states(),
    )
    res.manifest["inputs"] = {
        "employment": str(SAMPLE_CBP),
        "format": "cbp",
        "definitions": str(SAMPLE_DEFS),
        "regions": "built-in U.S. states",
    }
    for name, level in ((CLUSTERS, "cluster"), (INDUSTRIES, "industry"), (PLAIN, None)):
        written = output.write_result(res, results / name)
        manifest = json.loads((written / "manifest.json").read_text())
        manifest["inputs"] = bundle_inputs(written, manifest["inputs"])
        (written / "manifest.json").write_text(json.dumps(manifest, indent=2))
        if level:
            write_complexity(written, level=level, engine=eng)
    return results
