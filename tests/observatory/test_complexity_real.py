"""Complexity pages on the real CBP state result (2008-2011, 6-digit NAICS, midpoint-imputed).

Reuses the observatory's session build of the full CBP data (the embedded CBP state data),
copied so that adding the complexity files leaves the shared result untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.observatory.conftest import DATASET

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cx_real(obs_results: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from clusterobs.classifications.store import ClassificationStore
    from clusterobs.complexity.outputs import write_complexity

    root = tmp_path_factory.mktemp("cx-real") / "results"
    shutil.copytree(obs_results["results"] / DATASET, root / DATASET)
    store = ClassificationStore.load(obs_results["classifications"])

    def titles(vintage: str) -> dict[str, str]:
        c = store.codes[store.codes["classification"] == vintage]
        return dict(zip(c["code"].astype(str), c["title"].astype(str), strict=True))

    write_complexity(root / DATASET, level="industry", titles=titles)
    return root


@pytest.fixture(autouse=True)
def _observatory_settings(settings, cx_real: Path, obs_results: dict[str, Path]) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(cx_real)
    settings.OBSERVATORY_CLASSIFICATIONS_DIR = str(obs_results["classifications"])


def test_state_ranking_and_california(client) -> None:
    ranking = client.get("/api/observatory/complexity/regions/?year=2011").json()
    rows = ranking["tables"]["ranking"]["rows"]
    assert len(rows) == 51 and ranking["complexity"]["level"] == "industry"
    ca = next(r for r in rows if r["region_code"] == "06")
    d = client.get("/api/observatory/complexity/regions/06/?year=2011").json()
    assert d["summary"]["rank"] == ca["rank"] and d["summary"]["eci"] == ca["eci"]
    opp = d["tables"]["opportunities"]["rows"]
    # Names come from the NAICS 2007 titles; reasons name California's specialisations.
    assert all(r["industry_name"] != r["industry_code"] for r in opp[:25])
    assert sum(1 for r in opp[:25] if r["reasons"]) >= 20
    page = client.get("/observatory/complexity/regions/state/06/?year=2011")
    assert page.status_code == 200 and "California" in page.content.decode()
    check = client.get(
        "/api/observatory/complexity/regions/06/smart-specialisation/?priorities=1,336411"
    ).json()
    assert set(check["resolved"]) == {"1", "336411"} and not check["unknown"]
