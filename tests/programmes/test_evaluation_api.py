"""The impact evaluation's JSON twins: runs (DiD, event study, spillovers) and saved reports,
in the OpenAPI document, with the programme permissions of the pages."""

from __future__ import annotations

from pathlib import Path

import pytest


def _survey(path: Path) -> Path:
    """A simulated firm panel with a known effect (0.5 on the scaled outcome), as CSV."""
    from clusterobs.programmes.evaluation import simulate_firm_panel

    panel = simulate_firm_panel(
        seed=5, n_clusters=12, firms_per_cluster=5, periods=6, start=3, effect=0.5
    )
    lines = ["firm,cluster,treated_cluster,participant,year,employment"]
    for r in panel.itertuples():
        lines.append(
            f"f{r.firm},c{r.cluster},{'yes' if r.treated else 'no'},"
            f"{'yes' if r.participant else 'no'},{2017 + r.period},{100 + 20 * r.y:.2f}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def surveyed(programme, users, tmp_path):
    from clusterobs.programmes import services

    initiative = programme["initiative"]
    services.import_survey(
        user=users["manager"], initiative=initiative, path=_survey(tmp_path / "s.csv")
    )
    return programme


def test_run_list_detail_and_report_through_the_api(surveyed, token_for, users, client) -> None:
    initiative = surveyed["initiative"]
    manager = token_for(users["manager"])
    body = {"initiative": initiative.slug, "outcome": "employment", "programme_start": 2020}
    created = manager.post("/api/programme-evaluations/", body, format="json")
    assert created.status_code == 201, created.content
    run = created.json()
    att = run["results"]["did"]["effects"]["att"]
    # Simulated: participants gain 0.5 and their neighbours 0.05 on y; employment = 100 + 20 y,
    # so 10 and 1 jobs. (Seeded panel: the 95% intervals of this sample cover both.)
    direct = run["results"]["spillovers"]["effects"]
    assert direct["att"]["ci_low"] < 10 < direct["att"]["ci_high"]
    assert direct["spillover"]["ci_low"] < 1 < direct["spillover"]["ci_high"]
    assert 1 < att["coef"] < 10  # the average over all firms of treated clusters lies between
    assert run["page_url"] == f"/programmes/{initiative.slug}/evaluation/{run['id']}/"
    assert run["report"] is None
    listed = manager.get("/api/programme-evaluations/", {"initiative": initiative.slug}).json()
    assert [r["id"] for r in listed["results"]] == [run["id"]]
    detail = manager.get(f"/api/programme-evaluations/{run['id']}/").json()
    assert detail["results"] == run["results"]
    # the page shows the same estimate
    client.force_login(users["manager"])
    page = client.get(run["page_url"]).content.decode()
    assert f"{att['coef']:.3f}" in page
    # no report yet, then one saved through the API
    assert manager.get(f"/api/programme-evaluations/{run['id']}/report/").status_code == 404
    saved = manager.post(f"/api/programme-evaluations/{run['id']}/report/")
    assert saved.status_code == 201
    report = manager.get(f"/api/programme-evaluations/{run['id']}/report/").json()
    assert report["title"].startswith("Impact evaluation: employment")
    download = client.get(report["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"


def test_evaluations_are_read_and_run_only_by_those_allowed(surveyed, token_for, users, api_client):
    initiative = surveyed["initiative"]
    body = {"initiative": initiative.slug, "outcome": "employment", "programme_start": 2020}
    # the other organisation's manager may neither run nor see it
    other = token_for(users["other_manager"])
    assert other.post("/api/programme-evaluations/", body, format="json").status_code == 400
    run = token_for(users["manager"]).post("/api/programme-evaluations/", body, format="json")
    run_id = run.json()["id"]
    assert other.get(f"/api/programme-evaluations/{run_id}/").status_code == 404
    assert api_client.get("/api/programme-evaluations/").json()["count"] == 0
    assert api_client.get(f"/api/programme-evaluations/{run_id}/").status_code == 404
    # the funder reads it in full but may not save its report
    funder = token_for(surveyed["funder"])
    assert funder.get(f"/api/programme-evaluations/{run_id}/").status_code == 200
    assert funder.post(f"/api/programme-evaluations/{run_id}/report/").status_code == 403
    # writes need a token, not a session
    from rest_framework.test import APIClient

    session = APIClient()
    session.force_login(users["manager"])
    assert session.post("/api/programme-evaluations/", body, format="json").status_code == 403


def test_bad_requests_are_named(surveyed, token_for, users) -> None:
    manager = token_for(users["manager"])
    slug = surveyed["initiative"].slug
    missing = manager.post(
        "/api/programme-evaluations/",
        {"initiative": slug, "outcome": "exports", "programme_start": 2020},
        format="json",
    )
    assert missing.status_code == 400 and "No survey answers for 'exports'" in str(missing.json())
    bad_year = manager.post(
        "/api/programme-evaluations/",
        {"initiative": slug, "outcome": "employment", "programme_start": 12},
        format="json",
    )
    assert bad_year.status_code == 400 and "programme_start" in bad_year.json()


def test_openapi_documents_the_evaluation_twins(api_client, db) -> None:
    schema = api_client.get("/api/schema/").content.decode()
    for path in (
        "/api/programme-evaluations/:",
        "/api/programme-evaluations/{id}/:",
        "/api/programme-evaluations/{id}/report/:",
    ):
        assert path in schema, path
    assert "EvaluationRun" in schema and "EvaluationRequest" in schema
