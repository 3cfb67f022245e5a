"""In a real headless Chromium: every main page fits a phone (390 px) without horizontal
overflow, lights one menu item and links the favicon; the registry map fits the boundaries it
shows; chart ticks are round and clear of the axis titles; and a cluster organisation onboards
itself (sign up, confirm, claim) until an administrator approves it.

Observatory pages use the session's CBP result of ``tests/observatory/conftest.py``.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.observatory.conftest import _observatory_settings, obs_results  # noqa: F401
from tests.support import ARTIFACTS, REPO

US_STATES = REPO / "src/clusterobs/observatory/static/observatory/vendor/us-atlas/states-10m.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

#: The width of a common phone (CSS pixels), as the issue asks.
PHONE = {"width": 390, "height": 844}

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = el.parentElement, scrolls = false;
    while (parent && parent !== document.body) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) {
        scrolls = true; break;
      }
      parent = parent.parentElement;
    }
    if (!scrolls) wide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return {width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def site(db, users, starter):
    """Starter content with its sources, collaboration and programme reference data, and the
    U.S. state boundaries (the vendored TopoJSON) for the registry map."""
    from clusterobs.collaboration.starter import load as load_collaboration
    from clusterobs.programmes.starter import load as load_programmes
    from clusterobs.regions.services import RegionImportSpec, import_regions

    load_collaboration()
    load_programmes()
    # one managed initiative and one matchmaking event, for their pages
    import datetime as dt

    from clusterobs.collaboration.services.events import create_event
    from clusterobs.programmes.services import create_initiative
    from clusterobs.registry.models import Cluster, Organisation

    create_initiative(
        user=users["editor"],
        name="Knitwear cluster development",
        cluster=Cluster.objects.get(slug="knitwear-india"),
        stage_key="selection",
        start_date=dt.date(2024, 4, 1),
        published=True,
    )
    create_event(
        user=users["editor"],
        name="EU-India cluster matchmaking",
        kind="c2c",
        starts_on=dt.date(2030, 3, 2),
        ends_on=dt.date(2030, 3, 3),
        organiser=Organisation.objects.get(slug="ebtc"),
        place="New Delhi",
        country="IN",
    )
    import_regions(
        US_STATES,
        RegionImportSpec(
            code_field="id", name_field="name", level="state", country="US", layer="states"
        ),
    )
    return users


def _context(browser: Browser, live_server, **kwargs) -> BrowserContext:
    return browser.new_context(base_url=live_server.url, **kwargs)


def _login(context: BrowserContext, username: str, password: str) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.fixture
def phone(browser: Browser, live_server, site) -> Iterator[Page]:
    context = _context(browser, live_server, viewport=PHONE)
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    yield page
    context.close()
    assert outside == [], f"page requested external URLs: {outside}"


PUBLIC_PAGES = [
    "/",
    "/clusters/",
    "/clusters/knitwear-prato/",
    "/clusters/ice-wine-niagara/",
    "/organisations/",
    "/organisations/fmc/",
    "/schemes/",
    "/schemes/msecdp/",
    "/schemes/cip/",
    "/initiatives/",
    "/initiatives/feeding-the-planet/",
    "/map/",
    "/sources/",
    "/observatory/",
    "/observatory/regions/state/06/",
    "/observatory/clusters/1/",
    "/observatory/regions/state/06/1/",
    "/observatory/map/",
    "/observatory/map/?cluster=1&bubbles=1",
    "/observatory/compare/?regions=06,48,36&clusters=1",
    "/observatory/search/?q=auto",
    "/observatory/custom-regions/",
    "/observatory/custom-clusters/",
    "/programmes/",
    "/programmes/calculator/",
    "/programmes/indicators/",
    "/programmes/policy/",
    "/programmes/schemes/msecdp/",
    "/collaboration/",
    "/collaboration/agreements/",
    "/collaboration/agreements/ebtc-clusterland-mou-2010/",
    "/collaboration/events/",
    "/collaboration/events/eu-india-cluster-matchmaking/",
    "/collaboration/profiles/biogenesis/",
    "/collaboration/requests/",
    "/programmes/knitwear-cluster-development/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/confirm/resend/",
]
SIGNED_IN_PAGES = [
    "/accounts/",
    "/accounts/claim/",
    "/accounts/claim/new/",
    "/accounts/claims/",
    "/accounts/password_change/",
    "/programmes/knitwear-cluster-development/",  # in full, with the editing forms
    "/programmes/knitwear-cluster-development/evaluation/",
    "/programmes/knitwear-cluster-development/dashboard/",
    "/collaboration/verifications/",
    "/collaboration/me/",
]


def _check_page(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(OVERFLOW)
    assert layout["scroll"] <= layout["width"], (path, layout)
    assert layout["wide"] == [], (path, layout)
    current = page.locator("nav.site-nav [aria-current=page]")
    assert current.count() <= 1, (path, current.all_inner_texts())
    icon = page.locator('head link[rel="icon"]')
    assert icon.count() == 1 and icon.get_attribute("href") == "/static/web/favicon.svg", path


def test_every_main_page_fits_a_phone(phone: Page, obs_results) -> None:  # noqa: F811
    for path in PUBLIC_PAGES:
        _check_page(phone, path)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto("/observatory/regions/state/06/")
    phone.screenshot(path=str(ARTIFACTS / "phone-region.png"), full_page=True)


def test_signed_in_pages_fit_a_phone(browser: Browser, live_server, site) -> None:
    context = _context(browser, live_server, viewport=PHONE)
    page = _login(context, "admin", "pw-admin-123")
    try:
        for path in SIGNED_IN_PAGES:
            _check_page(page, path)
    finally:
        context.close()


def test_registry_map_fits_the_boundaries_shown(browser: Browser, live_server, site) -> None:
    context = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto("/map/")  # U.S. states, the only boundary layer, are shown by default
        expect(page.locator("#map-status")).to_contain_text("places shown")
        page.wait_for_function("document.getElementById('registry-map').dataset.fitted")
        # The U.S. states: Hawaii to Alaska, the western Aleutians (west of 180 degrees) to Maine.
        fit = page.evaluate(
            """() => {
              const map = document.getElementById('registry-map').leafletMap;
              const states = L.latLngBounds([[18.9, -179.2], [71.4, -66.9]]);
              return {contains: map.getBounds().contains(states), zoom: map.getZoom(),
                      best: map.getBoundsZoom(states)};
            }"""
        )
        # all of them in view, at (about) the largest zoom that shows them all: not the world
        assert fit["contains"], fit
        assert fit["zoom"] >= fit["best"] - 0.5, fit
        assert fit["best"] >= 2, fit
        # Back to no boundaries: the points (clusters worldwide) set the view again.
        page.select_option("#boundary-layer", "")
        page.wait_for_function(
            "document.getElementById('registry-map').dataset.fitted === 'points'"
        )
    finally:
        context.close()


def _numbers(labels: list[str]) -> list[float]:
    values = []
    for text in labels:
        match = re.fullmatch(r"(-?[\d,.]+)(k|M)?%?", text.strip())
        assert match, text
        value = float(match.group(1).replace(",", ""))
        values.append(value * {"k": 1e3, "M": 1e6, None: 1}[match.group(2)])
    return values


def _is_round(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m, rel_tol=1e-9) for m in (1, 2, 5, 10))


def test_chart_ticks_are_round_and_clear_of_axis_titles(
    browser: Browser,
    live_server,
    site,
    obs_results,  # noqa: F811
) -> None:
    context = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for path in ("/observatory/regions/state/06/", "/observatory/regions/state/06/1/"):
            page.goto(path)
            page.wait_for_selector("figure.obs-chart svg .obs-tick")
            for figure in page.locator("figure.obs-chart:has(svg .obs-tick)").all():
                boxes = figure.evaluate(
                    """f => ({
                      ticks: [...f.querySelectorAll('svg .obs-tick')].map(t => {
                        const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y,
                          w: b.width, h: b.height, anchor: t.getAttribute('text-anchor')}; }),
                      titles: [...f.querySelectorAll('svg .obs-axis-title')].map(t => {
                        const b = t.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height}; })
                    })"""
                )
                for axis in ("end", "middle"):  # y-axis (right-aligned) and x-axis labels
                    labels = [t["text"] for t in boxes["ticks"] if t["anchor"] == axis]
                    if len(labels) < 2:
                        continue
                    values = _numbers(labels)
                    steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
                    assert len(steps) == 1, (path, labels)  # evenly spaced
                    assert _is_round(abs(steps.pop())), (path, labels)
                assert boxes["titles"], path
                for title in boxes["titles"]:
                    for tick in boxes["ticks"]:
                        apart = (
                            title["x"] + title["w"] <= tick["x"]
                            or tick["x"] + tick["w"] <= title["x"]
                            or title["y"] + title["h"] <= tick["y"]
                            or tick["y"] + tick["h"] <= title["y"]
                        )
                        assert apart, (path, title, tick)
    finally:
        context.close()


def test_a_cluster_organisation_onboards_itself(browser: Browser, live_server, site) -> None:
    from django.core import mail

    from clusterobs.registry.models import Organisation

    visitor = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    admin = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        page = visitor.new_page()
        page.goto("/organisations/fmc/")
        page.get_by_role("link", name="Sign up", exact=True).last.click()
        page.get_by_label("Username").fill("priya")
        page.get_by_label("E-mail address").fill("priya@fmc.example.org")
        page.get_by_label("Password", exact=True).fill("Cluster-Onboard-2025")
        page.get_by_label("Password again").fill("Cluster-Onboard-2025")
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
        link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
        expect(page.locator(".messages")).to_contain_text("confirmed")

        page.goto("/organisations/fmc/")
        expect(page.get_by_role("link", name="Edit")).to_have_count(0)
        page.get_by_role("link", name="Claim it and ask for verification").click()
        expect(page.get_by_label("Organisation")).to_have_value("fmc")
        page.get_by_label("Your position in it").fill("Programme officer")
        page.get_by_label("How can we check this?").fill("Listed on the team page of the website.")
        page.get_by_role("button", name="Ask for verification").click()
        expect(page.locator("#claims-h + div")).to_contain_text("Pending")
        # still no right to edit while the claim waits
        page.goto("/organisations/fmc/edit/")
        expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")

        queue = _login(admin, "admin", "pw-admin-123")
        queue.goto("/accounts/claims/")
        claim = queue.locator("section.claim").filter(has_text="Foundation for MSME Clusters")
        expect(claim).to_contain_text("Listed on the team page")
        claim.get_by_label("Approve").check()
        claim.get_by_role("button", name="Decide").click()
        expect(queue.locator(".messages")).to_contain_text("Decided")

        page.goto("/accounts/")
        expect(page.locator("#managed-h + ul")).to_contain_text("Foundation for MSME Clusters")
        page.goto("/organisations/fmc/")
        page.get_by_role("link", name="Edit").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Foundation for MSME")
        managers = Organisation.objects.get(slug="fmc").managers
        assert list(managers.values_list("username", flat=True)) == ["priya"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.goto("/accounts/")
        page.screenshot(path=str(ARTIFACTS / "onboarding-account.png"), full_page=True)
    finally:
        visitor.close()
        admin.close()
