"""Fixtures of the spatial tests: a 3 x 3 lattice and a small classification store.

Most tests run on the small files in ``fixtures/`` (see ``fixtures/SOURCE.md``) and the embedded
data; those that need the full datasets beside the checkout use the ``shared_data`` fixture and
are skipped, with that reason, when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).parent / "fixtures"

#: Rook neighbours of the 3 x 3 lattice, written out by hand (r0 r1 r2 / r3 r4 r5 / r6 r7 r8).
ROOK = {
    "r0": ["r1", "r3"],
    "r1": ["r0", "r2", "r4"],
    "r2": ["r1", "r5"],
    "r3": ["r0", "r4", "r6"],
    "r4": ["r1", "r3", "r5", "r7"],
    "r5": ["r2", "r4", "r8"],
    "r6": ["r3", "r7"],
    "r7": ["r4", "r6", "r8"],
    "r8": ["r5", "r7"],
}
#: Queen adds the diagonals.
QUEEN = {
    "r0": ["r1", "r3", "r4"],
    "r1": ["r0", "r2", "r3", "r4", "r5"],
    "r2": ["r1", "r4", "r5"],
    "r3": ["r0", "r1", "r4", "r6", "r7"],
    "r4": ["r0", "r1", "r2", "r3", "r5", "r6", "r7", "r8"],
    "r5": ["r1", "r2", "r4", "r7", "r8"],
    "r6": ["r3", "r4", "r7"],
    "r7": ["r3", "r4", "r5", "r6", "r8"],
    "r8": ["r4", "r5", "r7"],
}
LATTICE = [f"r{k}" for k in range(9)]


@pytest.fixture(scope="session")
def lattice():
    from clusterobs.spatial.boundaries import read_boundaries

    return read_boundaries(FIXTURES / "lattice.geojson")


@pytest.fixture
def rook(lattice):
    from clusterobs.spatial.weights import build_weights

    return build_weights(lattice, "rook")


@pytest.fixture(scope="session")
def small_store():
    """A ClassificationStore with the NAICS codes and concordance links of the fixture."""
    from clusterobs.classifications.store import CODE_COLUMNS, XWALK_COLUMNS, ClassificationStore

    df = pd.read_csv(FIXTURES / "classifications_small.csv", dtype=str, keep_default_na=False)
    codes = df[df["kind"] == "code"].assign(level=6, parent="", detailed=True)
    links = df[df["kind"] == "link"].rename(
        columns={
            "classification": "from_classification",
            "code": "from_code",
        }
    )
    links = links.assign(note="official")
    return ClassificationStore(
        codes[CODE_COLUMNS].reset_index(drop=True), links[XWALK_COLUMNS].reset_index(drop=True)
    )
