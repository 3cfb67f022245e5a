"""End to end in a real headless Chromium: search, open a cluster, see it on the maps.

Uses Debian's Chromium (never ``playwright install``: the machine is air-gapped) against
pytest-django's live server. Screenshots go to ``test-artifacts/``; with
``CLUSTEROBS_SCREENSHOTS=docs/screenshots`` the README tour screenshots are refreshed too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusterobs.data.catalog import path as data_path

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# fixtures in the same thread would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, expect

from tests.support import ARTIFACTS, REPO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def us_registry(db, users):
    """U.S. state boundaries (real TopoJSON) and a few clusters and organisations placed on them."""
    from clusterobs.regions.models import Region
    from clusterobs.regions.services import RegionImportSpec, import_regions
    from clusterobs.registry import services
    from clusterobs.registry.models import (
        ClusterIndustryCode,
        ClusterLink,
        CountryFigure,
        KeyFigure,
        Organisation,
        OrganisationProfile,
        Scheme,
        ThematicChallenge,
    )

    import_regions(
        data_path("us_states_boundaries"),
        RegionImportSpec(
            code_field="id",
            name_field="name",
            level="state",
            country="US",
            layer="states",
            simplify=0.01,
        ),
    )
    ThematicChallenge.objects.get_or_create(
        key="energy-intensive",
        defaults={
            "name": "Energy intensive",
            "need": "Energy efficiency",
            "products": ["Castings & Forging", "Foundry"],
        },
    )
    editor = users["editor"]
    rows = [
        ("Automotive cluster, Detroit", "Automotive parts", "Detroit", "26", 42.33, -83.05,
         "traditional_manufacturing", "3363", "Motor vehicle parts manufacturing"),
        ("Biopharma cluster, Boston", "Biopharmaceuticals", "Boston", "25", 42.36, -71.06,
         "high_tech", "3254", "Pharmaceutical and medicine manufacturing"),
        ("Software cluster, Seattle", "Software", "Seattle", "53", 47.61, -122.33,
         "high_tech", "5112", "Software publishers"),
        ("Foundry cluster, Pittsburgh", "Foundry castings", "Pittsburgh", "42", 40.44, -79.99,
         "traditional_manufacturing", "3315", "Foundries"),
        ("Furniture cluster, High Point", "Furniture", "High Point", "37", 35.96, -80.01,
         "traditional_manufacturing", "3371", "Household and institutional furniture"),
        ("Aerospace cluster, Wichita", "Aircraft and parts", "Wichita", "20", 37.69, -97.34,
         "high_tech", "3364", "Aerospace product and parts manufacturing"),
    ]  # fmt: skip
    clusters = {}
    for name, product, place, state, lat, lon, kind, code, title in rows:
        cluster = services.create_cluster(
            user=editor,
            name=name,
            product=product,
            place=place,
            country="US",
            state=Region.objects.get(country="US", level="state", code=state),
            latitude=lat,
            longitude=lon,
            location_precision="city",
            cluster_type=kind,
            description=f"{product} firms in and around {place}.",
            source="Illustrative example for the tour (not official data)",
        )
        ClusterIndustryCode.objects.create(
            cluster=cluster, classification="NAICS2017", code=code, title=title
        )
        for year, value in ((2016, 11800), (2021, 12500)):
            KeyFigure.objects.create(
                cluster=cluster,
                indicator="employment",
                value=value,
                unit="persons",
                year=year,
                source="Illustrative example (not official data)",
            )
        clusters[place] = cluster
    org = services.create_record(
        Organisation,
        user=editor,
        name="Michigan Automotive Cluster Association",
        kind="cluster_organisation",
        country="US",
        state=Region.objects.get(country="US", level="state", code="26"),
        city="Ann Arbor",
        latitude=42.28,
        longitude=-83.74,
        source="Illustrative example for the tour (not official data)",
    )
    OrganisationProfile.objects.create(
        organisation=org, members_sme=85, members_large=12, members_research=6, founding_year=2005
    )
    ClusterLink.objects.create(
        cluster=clusters["Detroit"], organisation=org, role="cluster_organisation"
    )
    scheme = services.create_record(
        Scheme,
        user=editor,
        name="Regional Innovation Strategies",
        acronym="RIS",
        kind="programme",
        institution="U.S. Economic Development Administration",
        country="US",
        focus_areas=["Innovation", "Entrepreneurship"],
        source="Illustrative example for the tour",
    )
    scheme.clusters.add(clusters["Detroit"], clusters["Boston"])
    CountryFigure.objects.create(
        key="us-traded-clusters",
        country="US",
        indicator="cluster_definitions",
        label="Traded clusters in the U.S. benchmark cluster definitions",
        value=51,
        unit="clusters",
        year=2016,
        source="Delgado, Porter and Stern (2016), Defining clusters of related industries",
    )
    return clusters


def _shot(page: Page, name: str, *, tour: bool = True) -> None:
    """Full-page screenshot for the test record; viewport one for the README tour if asked."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    tour_dir = os.environ.get("CLUSTEROBS_SCREENSHOTS")
    if tour and tour_dir:
        target = Path(tour_dir)
        target = target if target.is_absolute() else REPO / target
        target.mkdir(parents=True, exist_ok=True)
        # Viewport-sized PNGs keep the README light (each well under 300 KB).
        page.screenshot(path=str(target / f"{name}.png"))


def test_visitor_and_editor_journey(page: Page, us_registry) -> None:
    """Search, list, detail with its map, the registry map; then an editor logs in and edits."""
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster Observatory")
    _shot(page, "home")

    page.get_by_label("Search clusters by product, place or industry code").fill("automotive")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/clusters/?q=automotive")
    results = page.locator("table.records tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Automotive cluster, Detroit")

    # the list and its filters, as seen by a visitor
    page.goto("/clusters/")
    expect(page.locator("table.records tbody tr")).to_have_count(6)
    page.get_by_text("More filters").click()
    page.get_by_label("Type").select_option("high_tech")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table.records tbody tr")).to_have_count(3)
    page.goto("/clusters/")
    _shot(page, "cluster-list")

    page.get_by_role("link", name="Automotive cluster, Detroit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Automotive cluster, Detroit")
    expect(page.get_by_text("Michigan Automotive Cluster Association")).to_be_visible()
    key_figures = page.locator("section", has=page.get_by_role("heading", name="Key figures"))
    expect(key_figures.locator("tbody tr")).to_have_count(2)
    # Leaflet drew the state boundary and the cluster's marker as SVG paths
    detail_map = page.locator("#detail-map")
    expect(detail_map.locator("path.leaflet-interactive")).to_have_count(2)
    page.locator("#detail-map").scroll_into_view_if_needed()
    _shot(page, "cluster-detail")

    page.goto("/map/")
    big_map = page.locator("#registry-map")
    # 6 clusters + 1 organisation as circle markers, plus the 56 imported U.S. state shapes
    expect(big_map.locator(".leaflet-overlay-pane path.leaflet-interactive")).to_have_count(7)
    expect(big_map.locator(".leaflet-boundaries-pane path.leaflet-interactive")).to_have_count(56)
    expect(page.locator("#map-status")).to_contain_text("7 places shown")
    _shot(page, "map")
    # The map's own words come from Django's JavaScript catalog: in French, French.
    page.evaluate("document.cookie = 'django_language=fr; path=/'")
    page.reload()
    expect(page.locator("#map-status")).to_have_text("7 lieux affichés.")
    page.evaluate("document.cookie = 'django_language=; path=/; max-age=0'")
    page.reload()
    expect(page.locator("#map-status")).to_have_text("7 places shown.")

    # a marker's popup links back to the record
    big_map.locator(".leaflet-overlay-pane path.leaflet-interactive").first.click(force=True)
    expect(big_map.locator(".leaflet-popup-content a")).to_have_count(1)

    # One test rather than two: each transactional test flushes the database afterwards,
    # which costs seconds on PostgreSQL.
    _editor_logs_in_and_edits(page, us_registry)


def _editor_logs_in_and_edits(page: Page, us_registry: dict) -> None:
    from django.contrib.auth.models import User

    user = User.objects.get(username="editor")
    user.set_password("pw-editor-123")
    user.save()
    cluster = us_registry["Seattle"]
    page.goto(f"/clusters/{cluster.slug}/edit/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw-editor-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/clusters/{cluster.slug}/edit/")
    page.get_by_label("Description").fill("Cloud and games software.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/clusters/{cluster.slug}/")
    expect(page.get_by_role("status").first).to_contain_text("Saved.")
    expect(page.locator(".lead")).to_have_text("Cloud and games software.")
    _shot(page, "cluster-edited", tour=False)
