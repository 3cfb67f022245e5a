"""The real CBP state data (2008-2011) built once per session into a temporary results store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterobs.data.catalog import CLASSIFICATIONS_DIR
from clusterobs.data.catalog import path as data_path
from tests.support import FIXTURES

CBP = data_path("us_cbp_state")
WEB_DEFS = FIXTURES / "naics2007_to_cluster_uscmp_2014_web.csv"
RELATEDNESS = data_path("uscmp_relatedness")
DATASET = "us-cbp-states"


@pytest.fixture(scope="session")
def obs_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build and publish like ``clusterobs mapping build`` (manifest inputs included)."""
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.definitions.reader import load_definition
    from clusterobs.mapping import output, pipeline
    from clusterobs.mapping.inputs import bundle_inputs
    from clusterobs.sources.cbp import read_cbp
    from clusterobs.sources.regions import us_states
    from clusterobs.tables.engine import connect

    root = tmp_path_factory.mktemp("observatory")
    classifications = CLASSIFICATIONS_DIR
    store = ClassificationStore.load(classifications)
    eng = connect()
    result = pipeline.build(
        read_cbp(eng, CBP),
        load_definition(WEB_DEFS, "NAICS2007"),
        engine=eng,
        store=store,
        regions=us_states(),
        options=pipeline.MappingOptions(years=(2008, 2011), allow_unknown_codes=True),
        relatedness=RELATEDNESS,
    )
    result.manifest["inputs"] = {
        "employment": str(CBP),
        "format": "cbp",
        "definitions": str(WEB_DEFS),
        "regions": "built-in U.S. states",
        "relatedness": str(RELATEDNESS),
    }
    written = output.write_result(result, root / "results" / DATASET)
    manifest = json.loads((written / "manifest.json").read_text())
    manifest["inputs"] = bundle_inputs(written, manifest["inputs"])  # as the CLI does
    (written / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return {"results": root / "results", "classifications": classifications}


@pytest.fixture(autouse=True)
def _observatory_settings(settings, obs_results: dict[str, Path]) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(obs_results["results"])
    settings.OBSERVATORY_CLASSIFICATIONS_DIR = str(obs_results["classifications"])
    settings.OBSERVATORY_JOBS_SYNC = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def store():
    from clusterobs.observatory.store import get_store

    return get_store(DATASET)


def read_manifest(results: Path) -> dict:
    return json.loads((results / DATASET / "manifest.json").read_text())
