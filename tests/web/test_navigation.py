"""One main-menu item lit at a time, the favicon on every page, the footer's sources link."""

from __future__ import annotations

import re

import pytest

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
CURRENT = re.compile(r'<a href="([^"]*)"[^>]*aria-current="page"')


def current_items(html: str) -> list[str]:
    return CURRENT.findall(NAV.search(html).group(0))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("/clusters/", "/clusters/"),
        ("/clusters/knitwear-india/", "/clusters/"),
        ("/organisations/", "/organisations/"),
        ("/schemes/cip/", "/schemes/"),
        ("/map/", "/map/"),
        ("/observatory/", "/observatory/"),
        ("/observatory/map/", "/observatory/"),  # not "Map" as well
        ("/programmes/", "/programmes/"),
        ("/initiatives/", "/programmes/"),
        ("/initiatives/feeding-the-planet/", "/programmes/"),
        ("/collaboration/agreements/", "/collaboration/"),
        ("/accounts/signup/", "/accounts/signup/"),
        ("/accounts/login/", "/accounts/login/"),
        ("/no-such-page/", None),
    ],
)
def test_exactly_one_menu_item_is_current(starter, client, path: str, expected) -> None:
    response = client.get(path)
    items = current_items(response.content.decode())
    if expected is None:
        assert items == []
    else:
        assert len(items) == 1, (path, items)
        assert items[0].split("?")[0] == expected


def test_section_comes_from_the_url_pattern() -> None:
    from django.test import RequestFactory
    from django.urls import resolve

    from clusterobs.web.navigation import section

    def of(path: str) -> str:
        request = RequestFactory().get(path)
        try:
            request.resolver_match = resolve(path)
        except Exception:
            request.resolver_match = None
        return section(request)

    assert of("/observatory/map/") == "observatory"
    assert of("/map/") == "map"
    assert of("/collaboration/profiles/x/") == "collaboration"
    assert of("/accounts/password_reset/") == "account"
    assert of("/admin/") == ""
    assert of("/clusters/missing-and-unmatched/edit/") == "clusters"


@pytest.mark.parametrize(
    "path",
    ["/", "/sources/", "/accounts/signup/", "/no-such-page/", "/admin/login/", "/api/clusters/"],
)
def test_every_html_page_links_the_favicon(starter, client, path: str) -> None:
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert '<link rel="icon" href="/static/web/favicon.svg"' in response.content.decode(), path


def test_favicon_ico_points_to_the_icon(client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.svg"


def test_server_error_page_has_the_favicon() -> None:
    from django.template.loader import render_to_string

    assert 'rel="icon"' in render_to_string("500.html")


def test_footer_links_the_sources(client, db) -> None:
    assert 'href="/sources/"' in client.get("/").content.decode()
