"""In headless Chromium: an EU NUTS 2 region dashboard and the Indian district choropleth
render with data (no request leaves the server)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect

from tests.observatory.eu_india_fixture import EU, INDIA, build_eu_india
from tests.support import air_gapped_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def eu_india_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_eu_india(tmp_path_factory.mktemp("eu-india-browser"))


@pytest.fixture(autouse=True)
def _eu_india_settings(settings, eu_india_results: Path) -> None:
    settings.OBSERVATORY_RESULTS_DIR = str(eu_india_results)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """The shared air-gapped page, also failing on JavaScript errors."""
    with air_gapped_page(browser, live_server.url, fail_on_js_errors=True) as pg:
        yield pg


def test_eu_region_dashboard_renders_with_data(page: Page) -> None:
    page.goto(f"/observatory/regions/nuts2/DE11/?dataset={EU}&year=2015")
    expect(page.locator("h1")).to_contain_text("Stuttgart")
    bars = page.locator("figure[data-name=top_clusters] svg rect")
    expect(bars.first).to_be_visible()
    assert bars.count() >= 5
    expect(page.locator("body")).to_contain_text("Automotive")
    expect(page.locator("body")).to_contain_text("Persons employed")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eu-region-DE11.png"), full_page=True)


def test_india_district_choropleth_renders_with_data(page: Page) -> None:
    from clusterobs.regions.starter import load

    load()  # the district boundaries, as `clusterobs init` loads them
    page.goto(f"/observatory/map/?dataset={INDIA}")
    paths = page.locator("figure[data-name=map] svg g.regions path")
    expect(paths.first).to_be_attached()
    fc = page.request.get("/api/regions/geojson/?level=district").json()
    assert paths.count() == sum(1 for f in fc["features"] if f["geometry"]) > 600
    coloured = page.locator(
        "figure[data-name=map] svg g.regions path[role=button]"
    )  # regions with a value
    assert coloured.count() == 85
    fills = set(coloured.evaluate_all("ps => ps.map(p => p.getAttribute('fill'))"))
    assert len(fills) > 1  # a choropleth, not one colour
    page.screenshot(path=str(ARTIFACTS / "india-districts-map.png"), full_page=True)
