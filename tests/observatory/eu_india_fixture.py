"""The EU NUTS 2 and India district observatories, published as ``clusterobs init`` does."""

from __future__ import annotations

import shutil
from pathlib import Path

from clusterobs.complexity.outputs import write_complexity
from clusterobs.mapping import embedded, service

EU, INDIA = "eu-nuts2", "india-districts"


def build_eu_india(root: Path) -> Path:
    """Build and publish the two embedded observatories (mapping tables, kept inputs and the
    clusters' complexity files) into ``root/results``; returns the results directory."""
    results = root / "results"
    for obs in embedded.OBSERVATORIES:
        if obs.name not in (EU, INDIA):
            continue
        outcome = service.build_result(
            obs.request(),
            root / "builds" / obs.name,
            publish_to=(results, obs.name),
            finish=lambda written: write_complexity(written, level="cluster"),
        )
        shutil.rmtree(outcome.written)
    return results
