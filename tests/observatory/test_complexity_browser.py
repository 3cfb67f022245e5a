"""The complexity pages in headless Chromium (results built from the CBP sample in the repo).

The opportunity chart draws one bubble per industry with the API's values, marks the region's
specialisations, exports its table as CSV equal to the API; the smart-specialisation form
outlines the declared priorities. No request leaves the server (no CDN).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect

from tests.observatory.complexity_fixture import INDUSTRIES, build_sample_results
from tests.support import air_gapped_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def cx_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_results(tmp_path_factory.mktemp("cx-browser"))


@pytest.fixture(autouse=True)
def _observatory_settings(settings, cx_results: Path) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(cx_results)
    settings.OBSERVATORY_CLASSIFICATIONS_DIR = str(cx_results / "no-classifications")


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """The shared air-gapped page, also failing on JavaScript errors."""
    with air_gapped_page(browser, live_server.url, fail_on_js_errors=True) as pg:
        yield pg


def test_opportunity_chart_and_csv(page: Page) -> None:
    page.goto(f"/observatory/complexity/regions/state/48/?dataset={INDUSTRIES}")
    expect(page.locator("h1")).to_contain_text("Texas")
    api = page.request.get(f"/api/observatory/complexity/regions/48/?dataset={INDUSTRIES}").json()
    chart = api["tables"]["chart"]["rows"]
    drawn = [r for r in chart if r["density"] is not None and r["pci"] is not None]
    circles = page.locator("figure[data-name=opportunity_chart] svg g.points circle")
    expect(circles).to_have_count(len(drawn))
    # Specialisations are filled orange (Okabe-Ito), the others blue.
    orange = page.locator("figure[data-name=opportunity_chart] circle[fill='#E69F00']")
    expect(orange).to_have_count(sum(1 for r in drawn if r["present"]))
    expect(page.locator("figure[data-name=eci_trend] svg polyline")).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "complexity-region.png"), full_page=True)
    with page.expect_download() as dl:
        page.locator("[data-table=opportunities] a", has_text="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text())))
    want = api["tables"]["opportunities"]["rows"]
    assert [r["industry_code"] for r in rows] == [w["industry_code"] for w in want]
    assert [float(r["score"]) for r in rows] == pytest.approx([w["score"] for w in want])
    # The chart's own CSV export is the chart data.
    with page.expect_download() as dl2:
        page.locator("figure[data-name=opportunity_chart] button[data-export=csv]").click()
    chart_rows = list(csv.DictReader(io.StringIO(Path(dl2.value.path()).read_text())))
    assert len(chart_rows) == len(chart)


def test_smart_specialisation_form_outlines_priorities(page: Page) -> None:
    page.goto(
        f"/observatory/complexity/regions/state/56/smart-specialisation/?dataset={INDUSTRIES}"
    )
    page.fill("#priorities", "5 541511")
    page.get_by_role("button", name="Check").click()
    page.wait_for_url("**priorities=5+541511**")
    expect(page.locator("#table-priorities tbody tr")).to_have_count(2)
    api = page.request.get(
        "/api/observatory/complexity/regions/56/smart-specialisation/"
        f"?dataset={INDUSTRIES}&priorities=5,541511"
    ).json()
    flagged = [
        r for r in api["tables"]["chart"]["rows"] if r["priority"] and r["density"] is not None
    ]
    outlined = page.locator("figure[data-name=smart_specialisation_chart] circle[stroke='#000']")
    # The legend adds one outlined marker.
    expect(outlined).to_have_count(len(flagged) + 1)
    page.screenshot(path=str(ARTIFACTS / "complexity-smart.png"), full_page=True)
