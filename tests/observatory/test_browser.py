"""The observatory in headless Chromium on the real CBP state data.

Region dashboard, cluster switch, choropleth colours against the API, CSV export against the API,
and the custom region builder finishing in the background with recomputed LQs. Debian's Chromium
(never ``playwright install``) from the shared session ``browser`` fixture of
``tests/conftest.py``; screenshots in ``test-artifacts/``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, expect

from tests.support import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"observatory-{name}.png"), full_page=True)


def test_dashboard_cluster_switch_map_and_csv(page: Page) -> None:
    page.goto("/observatory/regions/state/06/?year=2011")
    expect(page.locator("h1")).to_contain_text("California")
    expect(page.locator("figure[data-name=portfolio] svg circle").first).to_be_attached()
    expect(page.locator("figure[data-name=top_clusters] svg rect").nth(3)).to_be_attached()
    _shot(page, "region")

    # CSV export of the top clusters table = the API's numbers.
    api = page.request.get("/api/observatory/regions/06/?type=state&year=2011").json()
    with page.expect_download() as dl:
        page.locator("[data-table=top_clusters] a", has_text="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text())))
    want = api["tables"]["top_clusters"]["rows"]
    assert [r["cluster_code"] for r in rows] == [w["cluster_code"] for w in want]
    assert [float(r["employment"]) for r in rows] == pytest.approx([w["employment"] for w in want])

    # Switch cluster: the region x cluster view of the top cluster.
    top = want[0]
    page.select_option("#cluster-select", top["cluster_code"])
    page.get_by_role("button", name="Open").click()
    page.wait_for_url(f"**/regions/state/06/{top['cluster_code']}/**")
    expect(page.locator("h1")).to_contain_text(top["cluster_name"])
    expect(page.locator("figure[data-name=shift_share] svg rect").first).to_be_attached()
    _shot(page, "region-cluster")

    # The choropleth draws every state with the API's colour for its value.
    cluster = top["cluster_code"]
    page.goto(f"/observatory/map/?cluster={cluster}&indicator=lq_traded_local&year=2011")
    page.wait_for_selector("figure.obs-map[data-ready='1']")
    values = page.request.get(
        f"/api/observatory/map/?cluster={cluster}&indicator=lq_traded_local&year=2011"
    ).json()["tables"]["values"]["rows"]
    by_code = {r["region_code"]: r for r in values}
    hi = max((r for r in values if r["value"] is not None), key=lambda r: r["value"])
    lo = min((r for r in values if r["value"] is not None), key=lambda r: r["value"])
    fill = page.locator(f"path[data-code='{hi['region_code']}']").get_attribute("fill")
    assert fill == "#fde725"
    fill = page.locator(f"path[data-code='{lo['region_code']}']").get_attribute("fill")
    assert fill == "#440154"
    for code in ("06", "48", "26", "36"):
        got = page.locator(f"path[data-code='{code}']").get_attribute("fill")
        assert got == by_code[code]["color"], code
    assert page.locator("figure.obs-map path[data-code]").count() >= 51
    _shot(page, "map")

    # Keyboard: a map region is focusable and Enter opens its region x cluster view.
    page.locator("path[data-code='48']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/regions/state/48/{cluster}/")
    expect(page.locator("h1")).to_contain_text("Texas")

    # Phone: the dashboard reflows without horizontal scrolling of the page.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/observatory/regions/state/06/")
    expect(page.locator("figure[data-name=portfolio] svg")).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The main navigation stays one line (it scrolls sideways) instead of wrapping.
    nav_height = page.evaluate("document.querySelector('.site-nav').getBoundingClientRect().height")
    assert nav_height < 48, nav_height
    _shot(page, "region-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Search with autocomplete: an industry code finds its cluster.
    page.goto("/observatory/")
    page.fill("#obs-q", "336111")
    expect(page.locator("#obs-q-list li").first).to_contain_text("336111")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/observatory/clusters/**")
    expect(page.locator("figure[data-name=related_clusters] svg")).to_be_attached()
    _shot(page, "cluster")


def test_custom_region_builder(page: Page, settings, django_user_model) -> None:
    settings.OBSERVATORY_JOBS_SYNC = False  # the real path: a worker thread, polled by the page
    django_user_model.objects.create_user("analyst", password="pw-analyst-123")
    page.goto("/accounts/login/?next=/observatory/custom-regions/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("pw-analyst-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/observatory/custom-regions/")
    page.wait_for_selector("figure.obs-map[data-ready='1']")
    page.fill("input[name=name]", "Pacific coast")
    for code in ("06", "41", "53"):  # picked on the map
        page.locator(f"figure.obs-map path[data-code='{code}']").click()
    page.check("input[name=members][value='32']")  # and from the list
    assert page.locator("path[data-code='41']").get_attribute("fill") == "#E69F00"
    _shot(page, "custom-builder")
    page.get_by_role("button", name="Build custom region").click()
    try:
        page.wait_for_url("**/observatory/custom-regions/*/", timeout=30_000)
    except Exception:
        print("JOB:", page.locator(".obs-job").inner_text())
        raise
    expect(page.locator("h1")).to_contain_text("Pacific coast")
    expect(page.locator("h1")).to_contain_text("Nevada")
    table = page.locator("#table-custom")
    expect(table).to_be_visible()
    lq = table.locator("td.col-lq_traded_local").first.inner_text()
    assert float(lq) > 0
    _shot(page, "custom-region")
