"""The spatial pages in headless Chromium: the hot-spot map draws the API's classes and outlines
the significant regions, the Kd chart draws its curve and bands, a cross-border cluster becomes a
custom region in one click. Debian's Chromium (shared ``browser`` fixture); no external request.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect

from tests.support import ARTIFACTS, air_gapped_page

FIXTURES = Path(__file__).resolve().parents[1] / "spatial" / "fixtures"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(browser: Browser, live_server, settings, tmp_path) -> Iterator[Page]:
    """The shared air-gapped page, on a spatial directory of its own; a script error fails."""
    settings.OBSERVATORY_SPATIAL_DIR = str(tmp_path / "spatial")
    with air_gapped_page(browser, live_server.url, fail_on_js_errors=True) as pg:
        yield pg


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"spatial-{name}.png"), full_page=True)


def test_hotspot_map_draws_the_api_classes(page: Page) -> None:
    page.goto("/observatory/clusters/5/hotspots/?year=2011")
    page.wait_for_selector("figure.obs-spatial-map[data-ready='1']")
    api = page.request.get("/api/observatory/spatial/hotspots/?cluster=5&year=2011").json()
    rows = {r["region_code"]: r for r in api["tables"]["regions"]["rows"]}
    for code in ("26", "39", "06", "02"):
        path = page.locator(f"figure.obs-spatial-map path[data-code='{code}']")
        assert path.get_attribute("fill") == rows[code]["lisa_color"]
    outlined = page.locator("figure.obs-spatial-map path[data-significant]")
    assert sorted(outlined.evaluate_all("ps => ps.map(p => p.dataset.significant)")) == sorted(
        c for c, r in rows.items() if r["significant"]
    )
    # Puerto Rico and the territories: no data, drawn grey, never coloured as a class.
    assert page.locator("path[data-code='72']").get_attribute("fill") == api["no_data_color"]
    _shot(page, "hotspots")
    page.select_option("select[name=layer]", "gi")
    page.wait_for_url("**layer=gi**")
    page.wait_for_selector("figure.obs-spatial-map[data-ready='1']")
    assert page.locator("path[data-code='26']").get_attribute("fill") == rows["26"]["gi_color"]
    expect(page.locator(".obs-spatial-legend")).to_contain_text("Hot spot (significant)")


def test_cross_border_cluster_becomes_a_custom_region(page: Page, django_user_model) -> None:
    django_user_model.objects.create_user("analyst", password="pw-analyst-123")
    page.goto("/accounts/login/?next=/observatory/clusters/5/cross-border/%3Fyear%3D2011")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("pw-analyst-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/cross-border/**")
    expect(page.locator(".obs-spatial-clusters h2").first).to_contain_text("Michigan")
    page.wait_for_selector("figure.obs-spatial-map[data-ready='1']")
    api = page.request.get("/api/observatory/spatial/clusters/?cluster=5&year=2011").json()
    first = api["tables"]["clusters"]["rows"][0]
    for code in first["members"]:  # the cluster's regions in its colour, outlined
        assert page.locator(f"path[data-code='{code}']").get_attribute("fill") == first["color"]
        assert page.locator(f"path[data-significant='{code}']").count() == 1
    assert page.locator("path[data-code='06']").get_attribute("fill") == "#eeeeee"
    _shot(page, "cross-border")
    page.get_by_role("button", name="Use as custom region").first.click()
    page.wait_for_url("**/observatory/custom-regions/*/")
    expect(page.locator("h1")).to_contain_text("Michigan")
    expect(page.locator("body")).to_contain_text("Indiana")


def test_kd_chart_draws_curve_and_bands(page: Page, settings) -> None:
    from clusterobs.spatial import output
    from clusterobs.spatial.points.industries import match_industry
    from clusterobs.spatial.points.kd import DurantonOverman, KdOptions
    from clusterobs.spatial.points.pointset import read_points
    from clusterobs.spatial.projection import choose_frame

    pts = read_points(FIXTURES / "points_lonlat.csv", industry_column="naics")
    match = match_industry(pts.industry, "3311", None)
    frame = choose_frame(pts.lon, pts.lat)
    kd = DurantonOverman(
        frame.coordinates(pts.lon, pts.lat),
        match.mask,
        frame,
        options=KdOptions(r_max_km=40, simulations=19),
    )
    root = Path(settings.OBSERVATORY_SPATIAL_DIR)
    written = output.write_kd(kd, match, root / "written" / "steel", {"name": "steel"})
    output.publish(written, root / "kd", "steel")
    page.goto("/observatory/spatial/kd/steel/")
    page.wait_for_selector("figure.obs-kd-chart[data-ready='1']")
    assert page.locator("figure.obs-kd-chart svg polyline").count() == 4  # Kd, 2 global, mean
    assert page.locator("figure.obs-kd-chart svg path").count() == 1  # local band
    _shot(page, "kd")
