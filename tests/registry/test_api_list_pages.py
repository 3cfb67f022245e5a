"""List pages of the API: exact counts from one query, a bounded number of queries per page,
and rows in the same shape and order as the records they come from."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Window
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from clusterobs.regions.models import Region
from clusterobs.registry import selectors, serializers
from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
    Organisation,
    OrganisationSector,
    ThematicChallenge,
)


@pytest.fixture
def many(registry):
    """12 more published pump clusters (regions, codes, challenges) and 12 organisations."""
    state = Region.objects.create(
        country="IN", level="state", code="24", name="Gujarat", geometry={"type": "Point"}
    )
    district = Region.objects.create(
        country="IN", level="district", code="438", name="Rajkot", parent=state
    )
    energy = ThematicChallenge.objects.get(key="energy-intensive")
    pollution = ThematicChallenge.objects.get(key="pollution-intensive")
    for i in range(12):
        cluster = Cluster.objects.create(
            name=f"{'pump' if i % 2 else 'Pump'} cluster {i:02d}, Rajkot",
            slug=f"pump-cluster-{i:02d}",
            product="Pumps",
            place="Rajkot",
            country="IN",
            state=state if i % 3 else None,
            district=district if i % 4 else None,
            cluster_type="traditional_manufacturing",
            description="Motors and pumps",
        )
        if i % 2:
            cluster.thematic_challenges.set([pollution, energy])
        for code in ("333914", "335312")[: i % 3]:
            ClusterIndustryCode.objects.create(
                cluster=cluster, classification="NAICS2017", code=code
            )
        org = Organisation.objects.create(
            name=f"Rajkot pump firm {i:02d}",
            slug=f"rajkot-pump-firm-{i:02d}",
            kind="firm",
            country="IN",
            city="Rajkot",
            published=i != 5,
        )
        if i % 2:
            OrganisationSector.objects.create(
                organisation=org, classification="NAICS2017", code="333914"
            )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/api/clusters/?q=pump", 4),
        ("/api/clusters/?country=IN&cluster_type=traditional_manufacturing", 5),
        ("/api/organisations/?q=rajkot", 3),
        ("/api/organisations/?kind=firm", 4),
    ],
)
def test_queries_per_page_do_not_grow_with_the_page(api_client, many, url, bound) -> None:
    """Count and keys in one query (two for an unsearched list, in index order), records in
    one, each related list in one: as many queries for a page of 2 as for a page of 50."""
    small, large = _queries(api_client, f"{url}&limit=2"), _queries(api_client, f"{url}&limit=50")
    assert small == large <= bound


def test_counts_are_exact_on_every_page_and_past_the_end(api_client, many) -> None:
    first = api_client.get("/api/clusters/?q=pump&limit=5").json()
    assert first["count"] == 12
    assert first["previous"] is None
    assert "offset=5" in first["next"]
    assert "count_estimated" not in first  # counts are exact; nothing is estimated
    last = api_client.get("/api/clusters/?q=pump&limit=5&offset=10").json()
    assert (last["count"], len(last["results"]), last["next"]) == (12, 2, None)
    past = api_client.get("/api/clusters/?q=pump&limit=5&offset=40").json()
    assert (past["count"], past["results"]) == (12, [])
    unsearched = api_client.get("/api/clusters/?limit=5&offset=40").json()
    assert (unsearched["count"], unsearched["results"]) == (14, [])
    none = api_client.get("/api/clusters/?q=zebra").json()
    assert (none["count"], none["results"], none["next"]) == (0, [], None)
    orgs = api_client.get("/api/organisations/?q=rajkot&limit=4&offset=8").json()
    assert (orgs["count"], len(orgs["results"])) == (11, 3)  # one is unpublished


def test_pages_follow_the_selector_order(api_client, many) -> None:
    anon = selectors.ClusterFilters(q="pump")
    expected = [c.slug for c in selectors.cluster_list(None, anon)]
    pages = [
        api_client.get(f"/api/clusters/?q=pump&limit=5&offset={o}").json()["results"]
        for o in (0, 5, 10)
    ]
    assert [r["slug"] for page in pages for r in page] == expected
    listed = api_client.get("/api/clusters/?country=IN&limit=100").json()["results"]
    unsearched = selectors.cluster_list(None, selectors.ClusterFilters(country="IN"))
    assert [r["slug"] for r in listed] == [c.slug for c in unsearched]


@pytest.mark.parametrize(
    ("url", "serializer", "records"),
    [
        (
            "/api/clusters/?limit=100",
            serializers.ClusterListSerializer,
            lambda: selectors.cluster_list(None, selectors.ClusterFilters()),
        ),
        (
            "/api/organisations/?limit=100",
            serializers.OrganisationListSerializer,
            lambda: selectors.organisation_list(None, selectors.OrganisationFilters()),
        ),
    ],
)
def test_page_rows_have_the_shape_of_their_records(
    api_client, many, url, serializer, records
) -> None:
    """The plain rows of a page serialize exactly as the model instances do (same keys in the
    same order, regions without their boundaries, related codes and challenges in order)."""
    request = Request(APIRequestFactory().get(url))
    expected = [dict(serializer(r, context={"request": request}).data) for r in records()]
    results = api_client.get(url).json()["results"]
    assert results == expected
    assert [list(r) for r in results] == [list(e) for e in expected]
    assert list(results[0]) == list(serializer.Meta.fields)
    if serializer is serializers.ClusterListSerializer:
        with_everything = next(r for r in results if r["slug"] == "pump-cluster-05")
        assert with_everything["state"] == {
            "country": "IN",
            "level": "state",
            "code": "24",
            "name": "Gujarat",
        }
        assert with_everything["district"]["name"] == "Rajkot"
        assert with_everything["thematic_challenges"] == ["energy-intensive", "pollution-intensive"]
        assert [c["code"] for c in with_everything["industry_codes"]] == ["333914", "335312"]


def test_editors_count_unpublished_records(token_for, users, many) -> None:
    client = token_for(users["editor"])
    assert client.get("/api/organisations/?q=rajkot").json()["count"] == 12
    assert client.get("/api/clusters/?limit=1").json()["count"] == 15


def test_sqlite_reads_filtered_search_candidates_from_the_index_alone(many) -> None:
    """The (country, name, published) index covers a filtered, searched page on SQLite: no
    table row is read for records that the page does not show."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    qs = selectors.cluster_list(None, selectors.ClusterFilters(q="pump", country="IN"))
    keys = qs.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[:50]
    sql, params = keys.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX cluster_country_list_idx" in plan
