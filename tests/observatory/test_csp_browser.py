"""Issue 12: the observatory's chart and map pages (the most script-heavy of the site) run under
the strict Content-Security-Policy without a single violation, and a custom cluster named with a
script shows as text on its page and in the list."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

PAYLOAD = '<img src=x onerror="window.__xss=1;alert(1)">'
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
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [], f"CSP violations on {url}"
    assert page.evaluate("window.__xss") is None and page.dialogs == [], url


def test_observatory_pages_satisfy_the_csp(page: Page) -> None:
    for url in (
        "/observatory/",
        "/observatory/regions/state/06/?year=2011",
        "/observatory/map/?cluster=5&indicator=lq_traded_local&year=2011",
        "/observatory/clusters/5/",
        "/observatory/clusters/5/hotspots/?year=2011",
        "/observatory/compare/?regions=06,48&year=2011",
        "/observatory/search/?q=11",
    ):
        _check(page, url)


def test_a_custom_cluster_named_with_a_script_shows_as_text(
    page: Page, django_user_model, live_server
) -> None:
    from django.test import Client

    from clusterobs.observatory.models import CustomCluster

    owner = django_user_model.objects.create_user("hal", password="pw-hal-123456")
    custom = CustomCluster.objects.create(
        owner=owner, name="Cars " + PAYLOAD, dataset="us-cbp-states", industries=["336111"],
        shared=True,
    )  # fmt: skip
    client = Client()
    client.force_login(owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for url in (f"/observatory/custom-clusters/{custom.pk}/", "/observatory/custom-clusters/"):
        _check(page, url)
        assert "Cars " + PAYLOAD in page.inner_text("body"), url
        assert page.locator("img[src='x']").count() == 0, url
