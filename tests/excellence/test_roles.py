"""Each role's allowed and denied actions, through the web pages and the API.

manager: fills in and sees own reports; assessor: only assigned applications; label admin:
accepts, assigns, decides, imports; public: label registry and verification only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clusterobs.excellence import assessments, lifecycle
from clusterobs.excellence.models import Application, LabelLevel
from tests.excellence.conftest import answer_all, generate_population

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, frameworks):
    """A submitted quality assessment of ``org`` with an accepted Gold-like application whose
    national assessor is assigned (the foreign one is not)."""
    generate_population(frameworks["cluster-quality"], 12)
    a = assessments.start(
        user=world["manager"],
        organisation=world["org"],
        framework=frameworks["cluster-quality"],
        year=timezone.localdate().year,
    )
    answer_all(a)
    assessments.submit(user=world["manager"], assessment=a)
    app = lifecycle.apply(
        user=world["manager"],
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        assessment=a,
    )
    lifecycle.accept(user=world["label_admin"], application=app)
    lifecycle.assign(user=world["label_admin"], application=app, assessor=world["national"])
    return {"assessment": a, "app": app}


def _as(client, user):
    client.force_login(user)
    return client


PAGES = [
    "/excellence/assessments/{a}/",
    "/excellence/assessments/{a}/report/",
    "/excellence/applications/{app}/",
]


@pytest.mark.parametrize(
    "who,expected",
    [
        ("manager", [200, 200, 200]),
        ("label_admin", [200, 200, 200]),
        ("national", [200, 200, 200]),  # assigned: sees the application and its assessment
        ("foreign", [404, 404, 404]),  # an assessor not assigned sees nothing
        ("other_manager", [404, 404, 404]),
        ("viewer", [404, 404, 404]),
    ],
)
def test_who_sees_assessments_reports_and_applications(case, world, client, who, expected):
    user = world[who].user if who in ("national", "foreign") else world[who]
    _as(client, user)
    urls = [p.format(a=case["assessment"].pk, app=case["app"].pk) for p in PAGES]
    assert [client.get(u).status_code for u in urls] == expected


def test_anonymous_is_sent_to_log_in_but_sees_the_public_pages(case, client):
    assert client.get(f"/excellence/assessments/{case['assessment'].pk}/").status_code == 302
    assert client.get(f"/excellence/applications/{case['app'].pk}/").status_code == 302
    assert client.get("/excellence/").status_code == 200
    assert client.get("/excellence/labels/").status_code == 200
    assert client.get("/excellence/labels/import/").status_code == 302


def test_only_managers_fill_in_through_the_page(case, world, client, frameworks):
    draft = assessments.start(
        user=world["manager"],
        organisation=world["org"],
        framework=frameworks["cluster-benchmark"],
        year=2026,
    )
    url = f"/excellence/assessments/{draft.pk}/"
    _as(client, world["label_admin"])
    assert client.post(url, {"value_awards": "3"}).status_code == 403
    _as(client, world["manager"])
    assert client.post(url, {"value_awards": "3"}).status_code == 302
    assert draft.answers.get(indicator__key="awards").value == 3
    _as(client, world["other_manager"])
    assert client.post(url, {"value_awards": "9"}).status_code == 404
    resp = client.post(
        "/excellence/assessments/start/",
        {
            "organisation": world["org"].slug,
            "framework": frameworks["cluster-benchmark"].pk,
            "year": 2026,
        },
    )
    assert resp.status_code == 302 and resp.url == "/excellence/"  # not one of theirs


def test_only_label_admins_accept_assign_and_decide(case, world, client):
    url = f"/excellence/applications/{case['app'].pk}/act/"
    decide = {"action": "decide", "decision": "refuse", "reasons": "No"}
    for who in ("manager", "other_manager", "viewer"):
        _as(client, world[who])
        assert client.post(url, decide).status_code in (403, 404)
        assert client.post(
            url, {"action": "assign", "assessor": world["foreign"].pk}
        ).status_code in (403, 404)
    _as(client, world["national"].user)
    assert client.post(url, decide).status_code == 403
    assert Application.objects.get(pk=case["app"].pk).status == "accepted"
    _as(client, world["label_admin"])
    client.post(url, {"action": "assign", "assessor": world["foreign"].pk})
    assert case["app"].assignments.count() == 2
    client.post(url, decide)
    app = Application.objects.get(pk=case["app"].pk)
    assert (
        app.status == "refused" and app.reasons == "No" and app.decided_by == world["label_admin"]
    )
    decided = app.history.first()  # every decision is in the history, with who made it
    assert decided.status == "refused" and decided.history_user == world["label_admin"]


def test_only_assigned_assessors_score(case, world, client):
    url = f"/excellence/applications/{case['app'].pk}/act/"
    body = {"action": "score", "indicator": "awards", "score": "80", "note": "seen"}
    _as(client, world["national"].user)
    assert client.post(url, body).status_code == 302
    assert case["app"].assignments.get().scores.get().score == 80
    _as(client, world["foreign"].user)
    assert client.post(url, body).status_code == 404
    _as(client, world["manager"])
    assert client.post(url, body).status_code == 403
    _as(client, world["label_admin"])
    assert client.post(url, body).status_code == 403


def test_label_import_page_is_for_label_admins(world, frameworks, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"number,organisation,level,awarded_on\nI-1,agra-footwear-association,gold,2026-01-05\n"
    for who in ("manager", "viewer"):
        _as(client, world[who])
        assert client.get("/excellence/labels/import/").status_code == 403
    _as(client, world["label_admin"])
    resp = client.post(
        "/excellence/labels/import/", {"file": SimpleUploadedFile("l.csv", csv), "source": "ESCA"}
    )
    assert resp.status_code == 302
    bad = csv.replace(b"2026-01-05", b"soon")
    resp = client.post(
        "/excellence/labels/import/", {"file": SimpleUploadedFile("m.csv", bad), "source": "ESCA"}
    )
    assert "m.csv, row 2, field awarded_on" in resp.content.decode()


def test_api_roles(case, world, token_for, api_client):
    a, app = case["assessment"], case["app"]
    report = f"/api/excellence/assessments/{a.pk}/report/"
    assert api_client.get(report).status_code == 401
    assert api_client.get("/api/excellence/applications/").status_code == 401
    assert api_client.get("/api/excellence/frameworks/").status_code == 200
    assert api_client.get("/api/excellence/labels/").status_code == 200
    manager = token_for(world["manager"])
    body = manager.get(report).json()
    assert body["organisation"] == world["org"].slug and body["min_group_size"] == 10
    assert [x["id"] for x in manager.get("/api/excellence/applications/").json()["results"]] == [
        app.pk
    ]
    other = token_for(world["other_manager"])
    assert other.get(report).status_code == 404
    assert other.get("/api/excellence/applications/").json()["results"] == []
    assert (
        token_for(world["national"].user).get("/api/excellence/applications/").json()["count"] == 1
    )
    assert (
        token_for(world["foreign"].user).get("/api/excellence/applications/").json()["count"] == 0
    )
    assert token_for(world["foreign"].user).get(report).status_code == 404


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/excellence/labels/{number}/" in paths
    assert "/api/excellence/assessments/{id}/report/" in paths
    assert "/api/excellence/frameworks/" in paths


def test_the_report_shows_only_aggregates_of_others(case, world, client):
    _as(client, world["manager"])
    html = client.get(f"/excellence/assessments/{case['assessment'].pk}/report/").content.decode()
    assert "Generated cluster" not in html  # no other organisation is named
    assert "All organisations" in html and "13 organisations" in html
