"""Issue 12, item 1, in a real browser: a script typed into any user-editable name renders as
text on every page that shows it, maps and their tooltips included, and no page breaks the
Content-Security-Policy (scripts and styles only from the site's own files).

The payload is stored as the names themselves (as a manager renaming their organisation would);
a fired ``alert`` dialog, a set ``window.__xss`` or an ``<img>`` built from a name fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page

from tests.collaboration.conftest import collab  # noqa: F401  (the shared fixture)

PAYLOAD = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

#: Collects Content-Security-Policy violations (set before any page script runs).
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || ''));
});
"""


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@pytest.fixture
def poisoned(collab, users, registry):  # noqa: F811
    """Every user-editable name holds the payload: clusters, organisations, scheme, initiative,
    collaboration profile, partner request, event."""
    from clusterobs.collaboration.models import CollaborationProfile
    from clusterobs.collaboration.services import events as event_services
    from clusterobs.collaboration.services import partner_requests as request_services
    from clusterobs.registry.models import Cluster, Initiative, Organisation, Scheme

    Cluster.objects.filter(pk=registry["leather"].pk).update(name="Cluster " + PAYLOAD)
    Organisation.objects.filter(pk=registry["org"].pk).update(
        name="Org " + PAYLOAD, latitude=27.2, longitude=78.0
    )
    Scheme.objects.filter(pk=registry["scheme"].pk).update(name="Scheme " + PAYLOAD)
    initiative = Initiative.objects.create(
        name="Initiative " + PAYLOAD, slug="poisoned-initiative", country="IN", source="test"
    )
    initiative.clusters.add(registry["leather"])
    CollaborationProfile.objects.filter(pk=collab["profile"].pk).update(
        summary="Profile " + PAYLOAD
    )
    request = request_services.create_partner_request(
        organisation=registry["org"],
        user=users["manager"],
        title="Request " + PAYLOAD,
        technologies=["x"],
        sector_codes=["USCMP:25"],
    )
    event = event_services.create_event(
        user=users["editor"],
        name="Event " + PAYLOAD,
        kind="c2c",
        starts_on=__import__("datetime").date(2030, 3, 1),
        ends_on=__import__("datetime").date(2030, 3, 2),
        place="Agra",
    )
    return {
        "leather": registry["leather"].slug,
        "org": registry["org"].slug,
        "scheme": registry["scheme"].slug,
        "initiative": initiative.slug,
        "request": request.pk,
        "event": event.slug,
    }


def _assert_inert(page: Page, url: str) -> None:
    assert page.evaluate("window.__xss") is None, f"script ran on {url}"
    assert page.dialogs == [], f"dialog on {url}: {page.dialogs}"
    assert page.locator("img[src='x']").count() == 0, f"an <img> was built from data on {url}"
    assert page.evaluate("window.__csp") == [], f"CSP violations on {url}"


def _visit(page: Page, url: str, *, shows_payload: bool = True) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    if shows_payload:
        assert PAYLOAD in page.inner_text("body"), f"the name is not shown as text on {url}"
    _assert_inert(page, url)


def test_payload_names_render_as_text_on_every_page(page: Page, poisoned, users) -> None:
    pages = [
        "/",
        "/clusters/",
        f"/clusters/{poisoned['leather']}/",
        "/organisations/",
        f"/organisations/{poisoned['org']}/",
        "/schemes/",
        f"/schemes/{poisoned['scheme']}/",
        "/initiatives/",
        f"/initiatives/{poisoned['initiative']}/",
        f"/collaboration/profiles/{poisoned['org']}/",
        "/collaboration/requests/",
        f"/collaboration/requests/{poisoned['request']}/",
        "/collaboration/events/",
        f"/collaboration/events/{poisoned['event']}/",
    ]
    for url in pages:
        _visit(page, url, shows_payload=url != "/")


def test_map_tooltips_and_popups_show_names_as_text(page: Page, poisoned) -> None:
    for url in ("/map/", "/map/?country=IN"):
        _visit(page, url, shows_payload=False)
        page.wait_for_function("document.getElementById('registry-map').dataset.fitted")
        opened = page.evaluate(
            """() => { var n = 0;
                document.getElementById('registry-map').leafletMap.eachLayer(function (l) {
                  if (l.getTooltip && l.getTooltip()) { l.openTooltip(); n++; }
                }); return n; }"""
        )
        assert opened >= 2, url
        tooltips = page.locator(".leaflet-tooltip").all_inner_texts()
        assert "Cluster " + PAYLOAD in tooltips and "Org " + PAYLOAD in tooltips, tooltips
        page.evaluate(
            """() => document.getElementById('registry-map').leafletMap.eachLayer(function (l) {
                  if (l.getPopup && l.getPopup()) { l.openPopup(); }
                })"""
        )
        assert PAYLOAD in " ".join(page.locator(".leaflet-popup-content").all_inner_texts())
        _assert_inert(page, url)


def test_cluster_page_map_tooltip_is_text(page: Page, poisoned) -> None:
    url = f"/clusters/{poisoned['leather']}/"
    _visit(page, url)
    page.evaluate(
        """() => document.getElementById('detail-map').leafletMap.eachLayer(function (l) {
              if (l.getTooltip && l.getTooltip()) { l.openTooltip(); }
            })"""
    )
    assert "Cluster " + PAYLOAD in page.locator(".leaflet-tooltip").all_inner_texts()
    _assert_inert(page, url)


def test_signed_in_pages_and_tools_satisfy_the_csp(page: Page, poisoned, users, live_server):
    from django.test import Client

    client = Client()
    client.force_login(users["admin"])
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    for url in (
        f"/clusters/{poisoned['leather']}/edit/",
        f"/organisations/{poisoned['org']}/edit/",
        "/collaboration/contacts/",
        "/admin/",
        "/admin/registry/cluster/",
    ):
        _visit(page, url, shows_payload=False)
    for url in ("/api/docs/", "/observatory/", "/accounts/login/"):
        _visit(page, url, shows_payload=False)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    _assert_inert(page, "/api/docs/")
