"""Spatial pages and their JSON twins on the real CBP state data (the observatory's session
result): hot spots, cross-border clusters with "use as custom region", concentration, Kd.

Runs on the embedded CBP state data (the observatory fixtures build the result from it).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = [
    pytest.mark.django_db,
]
FIXTURES = Path(__file__).resolve().parents[1] / "spatial" / "fixtures"
AUTOMOTIVE = "5"  # U.S. Cluster Mapping code of the Automotive cluster in the NAICS 2007 file
HOT = f"/observatory/clusters/{AUTOMOTIVE}/hotspots/?year=2011"
API = f"/api/observatory/spatial/hotspots/?cluster={AUTOMOTIVE}&year=2011"


@pytest.fixture(autouse=True)
def _spatial_dir(settings, tmp_path_factory):
    settings.OBSERVATORY_SPATIAL_DIR = str(tmp_path_factory.getbasetemp() / "spatial-data")


def _no_inline_code(html: str) -> None:
    """A strict CSP is coming: no inline script (data blocks only), no style=, no on*=."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_hotspot_api_finds_the_great_lakes_automotive_cluster(client):
    d = client.get(API).json()
    assert d["cluster_name"] == "Automotive" and d["measure"] == "lq_total"
    assert d["multiple_testing"].startswith("Benjamini-Hochberg")
    assert d["moran"]["I"] > 0.4 and d["moran"]["p_sim"] <= 0.01
    top = d["tables"]["clusters"]["rows"][0]
    assert top["cross_border"] and {"26", "39", "18"} <= set(top["members"])
    rows = {r["region_code"]: r for r in d["tables"]["regions"]["rows"]}
    assert rows["26"]["gi_class"] == "hot" and rows["26"]["significant"]
    assert rows["02"]["lisa_class"] == "island"  # Alaska has no neighbour
    assert {r["region_code"] for r in d["no_data"]} == {"60", "66", "69", "72", "78"}


def test_hotspot_api_equals_the_library(client, store):
    """The twin returns the library's numbers: Moran's I recomputed here with esda."""
    import esda

    from clusterobs.spatial.boundaries import builtin_boundaries
    from clusterobs.spatial.results import measure_values
    from clusterobs.spatial.weights import build_weights

    d = client.get(API).json()
    table = measure_values(store.path, cluster=AUTOMOTIVE, measure="lq_total", year=2011)
    values = table.frame.set_index("region_code")["value"]
    w = build_weights(builtin_boundaries("state"), "queen").restrict(sorted(values.index))
    ref = esda.Moran(values.reindex(w.ids).to_numpy(), w.to_libpysal("r"), permutations=0)
    assert d["moran"]["I"] == pytest.approx(ref.I, abs=1e-9)  # rounded to 9 decimals in JSON


def test_hotspot_api_csv_and_errors(client):
    csv = client.get(API + "&format=csv&table=clusters")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("cluster_id,name,regions")
    assert client.get(API + "&weights=hexagon").status_code == 400
    assert client.get(API + "&measure=nonsense").status_code == 400
    assert client.get("/api/observatory/spatial/hotspots/?cluster=nope").status_code == 404
    assert client.get(API + "&format=csv&table=nope").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        HOT,
        HOT + "&layer=gi&weights=knn:4",
        HOT + "&measure=emp_cagr&layer=gi",  # growth can be negative: LISA only
        HOT + "&measure=employment&weights=distance:500&basis=lisa",
        f"/observatory/clusters/{AUTOMOTIVE}/cross-border/?year=2011",
        f"/observatory/spatial/concentration/?cluster={AUTOMOTIVE}",
        "/observatory/spatial/kd/",
    ],
)
def test_pages_render_without_inline_code(client, url):
    r = client.get(url)
    assert r.status_code == 200
    _no_inline_code(r.content.decode())


def test_hotspot_page_has_map_legend_and_twin(client):
    html = client.get(HOT).content.decode()
    assert 'class="obs-spatial-map"' in html
    assert "/api/observatory/spatial/hotspots/?cluster=5" in html
    assert "High-high (cluster core)" in html
    assert "Michigan" in html
    assert "observatory/spatial.js" in html


def test_cluster_dashboard_links_to_the_spatial_pages(client):
    html = client.get(f"/observatory/clusters/{AUTOMOTIVE}/?year=2011").content.decode()
    assert f"/observatory/clusters/{AUTOMOTIVE}/hotspots/" in html
    assert f"/observatory/clusters/{AUTOMOTIVE}/cross-border/" in html
    assert "/observatory/spatial/concentration/" in html


def test_use_as_custom_region_in_one_click(client, django_user_model):
    from clusterobs.observatory.models import CustomRegion

    page = f"/observatory/clusters/{AUTOMOTIVE}/cross-border/?year=2011"
    assert "Use as custom region" not in client.get(page).content.decode()  # anonymous
    user = django_user_model.objects.create_user("analyst", password="pw-analyst-123")
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    html = browser.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    members = re.search(r'name="members" value="([^"]+)"', html).group(1)
    assert set(members.split(",")) >= {"26", "39", "18"}
    r = browser.post(
        "/observatory/spatial/custom-region/",
        {
            "csrfmiddlewaretoken": token,
            "members": members,
            "region_type": "state",
            "name": "Automotive: Great Lakes",
            "next": page,
        },
    )
    cr = CustomRegion.objects.get(owner=user)
    assert r.status_code == 302 and r["Location"] == f"/observatory/custom-regions/{cr.pk}/"
    assert sorted(cr.members) == sorted(members.split(","))
    assert cr.jobs.get().status == "done" and cr.result  # recomputed (sync in tests)
    assert browser.get(r["Location"]).status_code == 200
    # Not shared: another user cannot open it.
    other = django_user_model.objects.create_user("other", password="pw-other-123")
    client.force_login(other)
    assert client.get(r["Location"]).status_code == 404


def test_custom_region_post_needs_login_and_csrf(client, django_user_model):
    from django.test import Client

    r = client.post("/observatory/spatial/custom-region/", {"members": "26,39"})
    assert r.status_code == 302 and "/login" in r["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(django_user_model.objects.create_user("u1", password="pw-u1-12345"))
    assert strict.post("/observatory/spatial/custom-region/", {"members": "26"}).status_code == 403
    assert client.get("/observatory/spatial/custom-region/").status_code in (302, 405)


def test_concentration_page_and_api(client):
    d = client.get("/api/observatory/spatial/concentration/?year=2011").json()
    rows = d["tables"]["clusters"]["rows"]
    assert len(rows) == 67
    auto = next(r for r in rows if r["cluster_code"] == AUTOMOTIVE)
    assert auto["plant_herfindahl_method"] == "equal_within_region"
    assert 0 < auto["eg_gamma"] < 1
    assert all(r["eg_gamma"] is None or r["eg_gamma"] > -1 for r in rows)
    regions = d["tables"]["regions"]["rows"]
    assert len(regions) == 51 and all(0 <= r["krugman"] <= 2 for r in regions)
    html = client.get(f"/observatory/spatial/concentration/?cluster={AUTOMOTIVE}").content
    assert b"Ellison-Glaeser gamma" in html


@pytest.fixture
def published_kd(settings):
    """A Kd result published like ``clusterobs spatial kd`` from the small point fixture."""
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
    out = Path(settings.OBSERVATORY_SPATIAL_DIR) / "written" / "steel-small"
    written = output.write_kd(kd, match, out, {"name": "steel-small"})
    output.publish(written, Path(settings.OBSERVATORY_SPATIAL_DIR) / "kd", "steel-small")
    return kd


def test_kd_pages_and_api(client, published_kd):
    listing = client.get("/api/observatory/spatial/kd/").json()
    assert [r["name"] for r in listing] == ["steel-small"]
    d = client.get("/api/observatory/spatial/kd/steel-small/").json()
    curve = pd.DataFrame(d["tables"]["curve"]["rows"])
    assert np.allclose(curve["kd"], published_kd.kd, rtol=1e-9)
    assert np.allclose(curve["global_hi"], published_kd.global_hi, rtol=1e-9)
    html = client.get("/observatory/spatial/kd/steel-small/").content.decode()
    assert 'class="obs-kd-chart"' in html and 'id="kd-data"' in html
    _no_inline_code(html)
    assert client.get("/observatory/spatial/kd/nothing/").status_code == 404
    assert client.get("/api/observatory/spatial/kd/nothing/").status_code == 404


def test_openapi_documents_the_spatial_twins(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("hotspots", "clusters", "concentration", "kd"):
        assert f"/api/observatory/spatial/{path}/" in schema["paths"]


def test_kd_upload_through_the_api_runs_a_job_and_publishes(client, django_user_model, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = django_user_model.objects.create_user("analyst", password="pw-analyst-123")
    data = (FIXTURES / "points_lonlat.csv").read_bytes()
    form = {
        "industry": "3311",
        "name": "steel",
        "industry_column": "naics",
        "simulations": "19",
        "r_max": "40",
        "weight_column": "emp",
    }
    anonymous = client.post(
        "/api/observatory/spatial/kd/", {**form, "points": SimpleUploadedFile("p.csv", data)}
    )
    assert anonymous.status_code in (401, 403)
    client.force_login(user)
    r = client.post(
        "/api/observatory/spatial/kd/", {**form, "points": SimpleUploadedFile("p.csv", data)}
    )
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["name"] == "analyst-steel" and body["job"]["status"] == "done"
    d = client.get("/api/observatory/spatial/kd/analyst-steel/").json()
    assert d["summary"]["owner"] == "analyst"
    assert d["summary"]["kd"]["weighted"] is True and d["summary"]["industry"]["points"] == 20
    assert client.get(f"/api/observatory/jobs/{body['job']['id']}/").json()["status"] == "done"
    assert not list((Path(settings.OBSERVATORY_SPATIAL_DIR) / "uploads").glob("*"))  # cleaned


def test_kd_upload_errors_name_the_field_and_respect_owners(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = django_user_model.objects.create_user("owner", password="pw-owner-123")
    client.force_login(owner)
    data = (FIXTURES / "points_lonlat.csv").read_bytes()
    bad = client.post(
        "/api/observatory/spatial/kd/",
        {"industry": "3311", "name": "x", "points": SimpleUploadedFile("p.txt", data)},
    )
    assert bad.status_code == 400 and "points" in bad.json()
    bad = client.post(
        "/api/observatory/spatial/kd/",
        {"industry": "3311", "name": "../etc", "points": SimpleUploadedFile("p.csv", data)},
    )
    assert bad.status_code == 400 and "name" in bad.json()
    # A file with a broken row: the job fails with file, row and field in its message.
    broken = data.decode().splitlines()
    broken[3] = broken[3].replace(broken[3].split(",")[2], "north")
    r = client.post(
        "/api/observatory/spatial/kd/",
        {
            "industry": "3311",
            "name": "broken",
            "industry_column": "naics",
            "points": SimpleUploadedFile("p.csv", "\n".join(broken).encode()),
        },
    )
    job = r.json()["job"]
    assert job["status"] == "failed" and "row 3" in job["message"] and "latitude" in job["message"]
    # Another user's job is not visible.
    other = django_user_model.objects.create_user("other", password="pw-other-123")
    client.force_login(other)
    assert client.get(f"/api/observatory/jobs/{job['id']}/").status_code == 404


def test_kd_upload_page_form(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = client.get("/observatory/spatial/kd/").content.decode()
    assert "to compute Kd on your own file" in html
    client.force_login(django_user_model.objects.create_user("u2", password="pw-u2-123456"))
    data = (FIXTURES / "points_lonlat.csv").read_bytes()
    r = client.post(
        "/observatory/spatial/kd/",
        {
            "industry": "3311",
            "name": "page",
            "industry_column": "naics",
            "lon_column": "longitude",
            "lat_column": "latitude",
            "simulations": "19",
            "r_max": "40",
            "r_step": "1",
            "mode": "exact",
            "seed": "1",
            "points": SimpleUploadedFile("p.csv", data),
        },
    )
    assert r.status_code == 302 and "?job=" in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert "published u2-page" in page
    _no_inline_code(page)
