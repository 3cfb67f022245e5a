"""Observatory pages render the selectors' data; imputed values are marked; PDFs render."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/observatory/",
        "/observatory/regions/state/06/",
        "/observatory/regions/state/06/?year=2009",
        "/observatory/clusters/1/",
        "/observatory/clusters/1/?region=26",
        "/observatory/regions/state/26/1/",
        "/observatory/map/",
        "/observatory/map/?cluster=1&indicator=eco_stars&bubbles=1",
        "/observatory/search/?q=auto",
        "/observatory/compare/?regions=06,48&clusters=1",
        "/observatory/custom-regions/",
        "/observatory/custom-clusters/",
        "/observatory/custom-clusters/?q=3361",
    ],
)
def test_pages_render(client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, url
    assert b"obs-" in r.content


def test_region_page_marks_imputed_and_exports(client) -> None:
    html = client.get("/observatory/regions/state/06/").content.decode()
    assert "obs-imputed" in html
    assert "format=csv&amp;table=top_clusters" in html
    assert 'data-kind="bubble"' in html
    assert "California" in html


def test_cluster_switch_redirects(client) -> None:
    r = client.get("/observatory/regions/state/06/cluster/", {"cluster": "5", "year": "2010"})
    assert r.status_code == 302 and r["Location"].endswith("/regions/state/06/5/?year=2010")


def test_search_page_redirects_on_single_hit(client) -> None:
    r = client.get("/observatory/search/", {"q": "California"})
    assert r.status_code == 302 and r["Location"].endswith(
        "/regions/state/06/?dataset=us-cbp-states"
    )


def test_compare_saved_per_user(client, django_user_model) -> None:
    u = django_user_model.objects.create_user("ann", password="pw-ann-12")
    client.force_login(u)
    r = client.post("/observatory/compare/", {"name": "Sun belt", "params": "regions=48,12"})
    assert r.status_code == 302
    page = client.get("/observatory/compare/?regions=48,12").content.decode()
    assert "Sun belt" in page


@pytest.mark.parametrize(
    "url", ["/observatory/regions/state/48/profile.pdf", "/observatory/clusters/1/profile.pdf"]
)
def test_pdf_reports(client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:4] == b"%PDF" and len(r.content) > 5000


def test_chart_strings_are_translatable(client) -> None:
    """Chart and map texts go through Django's JavaScript catalog (gettext in JavaScript)."""
    html = client.get("/observatory/regions/state/06/").content.decode()
    # One catalog URL per language: browsers cache it for an hour, and a language switch must
    # not keep the previous language's words.
    assert '<script src="/jsi18n/?language=en"></script>' in html
    french = client.get("/observatory/regions/state/06/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<script src="/jsi18n/?language=fr"></script>' in french.content.decode()
    catalog = client.get("/jsi18n/?language=en")
    assert catalog.status_code == 200
    assert b"django.gettext" in catalog.content and b"django.interpolate" in catalog.content
    from django.contrib.staticfiles import finders

    js = Path(finders.find("observatory/observatory.js")).read_text(encoding="utf-8")
    for phrase in ('_("no data")', '_("(strong)")', '_("%s: employment %s")', '_("n/a")'):
        assert phrase in js


def test_custom_region_list_pages_through_all_of_them(client, django_user_model) -> None:
    """Shared custom regions of every user add up: the list pages through them (it once
    showed the first 100 without a word)."""
    from clusterobs.observatory.models import CustomRegion
    from clusterobs.observatory.views import CUSTOM_PAGE_SIZE

    owner = django_user_model.objects.create_user("bo", password="pw-bo-12345")
    n = CUSTOM_PAGE_SIZE + 1
    CustomRegion.objects.bulk_create(
        CustomRegion(
            owner=owner,
            name=f"Union {i:03}",
            dataset="x",
            region_type="state",
            members=["06", "41"],
            shared=True,
        )
        for i in range(n)
    )
    first = client.get("/observatory/custom-regions/").content.decode()
    second = client.get("/observatory/custom-regions/?page=2").content.decode()
    names = {f"Union {i:03}" for i in range(n)}
    shown = [{x for x in names if f">{x}<" in page} for page in (first, second)]
    assert len(shown[0]) == CUSTOM_PAGE_SIZE and len(shown[1]) == 1
    assert shown[0] | shown[1] == names
    assert "Page 1 of 2" in first and 'rel="next"' in first


def test_custom_cluster_builder_says_how_many_industries_match(client, store) -> None:
    """The builder lists the first 100 matching industries; a user picking every industry of
    a sector must learn that more match (it once cut at 100 without a word)."""
    from clusterobs.observatory.selectors.search import search
    from clusterobs.observatory.views import INDUSTRY_HITS_SHOWN

    total = sum(1 for r in search(store, "31", limit=None) if r["kind"] == "industry")
    assert total > INDUSTRY_HITS_SHOWN  # NAICS 31: food, beverages, textiles, apparel
    html = client.get("/observatory/custom-clusters/", {"q": "31"}).content.decode()
    assert html.count("data-add-code=") == INDUSTRY_HITS_SHOWN
    assert f"The first {INDUSTRY_HITS_SHOWN} of {total} matching industries are listed" in html
    few = client.get("/observatory/custom-clusters/", {"q": "336111"}).content.decode()
    assert "matching industries are listed" not in few and few.count("data-add-code=") == 1
