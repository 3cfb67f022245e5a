"""Case studies: a draft from a saved evaluation report, access, what works, API, starter."""

from __future__ import annotations

import pytest

from clusterobs.knowledge import selectors, services
from clusterobs.knowledge.models import CaseStudy, Document
from tests.knowledge.conftest import make_pdf
from tests.programmes.test_evaluation_api import _survey


@pytest.fixture
def evaluated(programme, users, tmp_path, django_capture_on_commit_callbacks):
    """An evaluation run on a simulated survey, its PDF report saved from the M&E module."""
    from clusterobs.programmes import services as programme_services

    initiative = programme["initiative"]
    programme_services.import_survey(
        user=users["manager"], initiative=initiative, path=_survey(tmp_path / "s.csv")
    )
    run = programme_services.run_evaluation(
        user=users["manager"], initiative=initiative, outcome="employment", programme_start=2020
    )
    pdf = make_pdf([f"Impact evaluation of {initiative.name}: employment.", "Event study."])
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.save_evaluation_report(user=users["manager"], run=run, pdf=pdf)
    run.refresh_from_db()
    return {**programme, "run": run}


def test_saved_evaluation_report_becomes_a_case_study_draft(evaluated):
    run = evaluated["run"]
    case = CaseStudy.objects.get(evaluation_run=run)
    att = run.results["did"]["effects"]["att"]
    assert case.status == "draft" and case.visibility == "initiative"
    assert case.initiative == evaluated["initiative"]
    assert case.cluster == evaluated["initiative"].cluster
    assert case.evaluation_design == "did"
    assert case.lifecycle_stage == evaluated["initiative"].stage
    (result,) = case.results.all()
    assert result.indicator == "employment"
    assert result.estimate == pytest.approx(att["coef"])
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(att["ci_low"]),
        pytest.approx(att["ci_high"]),
    )
    assert result.confidence == pytest.approx(0.95)
    report = Document.objects.get(initiative_document=run.report)
    assert report.doc_type == "evaluation"
    assert list(case.documents.all()) == [report]


def test_draft_is_read_by_the_initiative_readers_only(evaluated, users):
    from django.contrib.auth.models import AnonymousUser

    readers = {
        "anonymous": (AnonymousUser(), False),
        "viewer": (users["viewer"], False),
        "other_manager": (users["other_manager"], False),
        "manager": (users["manager"], True),  # implementing agency
        "funder": (evaluated["funder"], True),  # funds the scheme
        "editor": (users["editor"], True),
    }
    for _role, (user, reads) in readers.items():
        assert selectors.case_studies(user).exists() is reads, _role
    case = CaseStudy.objects.get()
    services.publish_case_study(user=users["editor"], case=case)
    assert selectors.case_studies(AnonymousUser()).exists()


def test_what_works_sets_estimates_side_by_side(registry, users, reference):
    challenge = registry["leather"].thematic_challenges.model.objects.get(key="pollution-intensive")
    common = {"challenge": challenge, "intervention_kind": "environment", "status": "published"}
    services.create_case_study(
        user=users["editor"],
        title="Agra effluent treatment plant",
        evaluation_design="did",
        results=[{"indicator": "effluent treated", "estimate": 0.4, "ci_low": 0.1, "ci_high": 0.7}],
        **common,
    )
    services.create_case_study(
        user=users["editor"],
        title="Kanpur tannery cleaner production",
        evaluation_design="before_after",
        results=[
            {"indicator": "effluent treated", "estimate": 0.1, "ci_low": -0.2, "ci_high": 0.4}
        ],
        **common,
    )
    services.create_case_study(
        user=users["editor"],
        title="Unrelated skills programme",
        intervention_kind="skills",
        status="published",
        results=[{"indicator": "trained", "estimate": 3.0}],
    )
    rows = selectors.what_works(users["viewer"], challenge="pollution-intensive")
    assert [(r["case_study"].title, r["significant"]) for r in rows] == [
        ("Agra effluent treatment plant", True),
        ("Kanpur tannery cleaner production", False),
    ]
    assert len(selectors.what_works(users["viewer"], intervention="skills")) == 1


def test_case_study_pages_and_api(evaluated, users, client, api_client):
    case = CaseStudy.objects.get()
    client.force_login(users["manager"])
    page = client.get(f"/library/case-studies/{case.slug}/")
    assert page.status_code == 200 and "Difference-in-differences" in page.content.decode()
    initiative_page = client.get(f"/programmes/{evaluated['initiative'].slug}/")
    assert case.title in initiative_page.content.decode()
    assert api_client.get(f"/api/library/case-studies/{case.slug}/").status_code == 404
    api_client.force_authenticate(users["manager"])
    data = api_client.get(f"/api/library/case-studies/{case.slug}/").json()
    assert data["results"][0]["indicator"] == "employment"
    assert data["evaluation_design"] == "did"
    ww = api_client.get("/api/library/what-works/").json()
    assert [row["case_study"] for row in ww] == [case.slug]


def test_openapi_lists_the_library(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/library/search/",
        "/api/library/documents/",
        "/api/library/case-studies/",
        "/api/library/what-works/",
    ):
        assert path in paths


def test_starter_records_cite_the_seed_documents_without_copying_them(starter, users):
    from clusterobs.knowledge.starter import load

    assert load() == {"library documents": 2}
    assert load() == {"library documents": 0}
    docs = {d.title: d for d in Document.objects.filter(collection="starter")}
    assert set(docs) == {
        "Changing Paradigms of Cluster Development",
        "Report on Cluster Existence and Cooperation",
    }
    gate = docs["Report on Cluster Existence and Cooperation"]
    assert not gate.file and "All rights reserved" in gate.licence
    assert "section 2" in gate.citation and gate.reference.key == "india-gate-d5-3-2012"
    result = selectors.search(users["viewer"], "Vienna Cluster Manifesto", mode="fulltext")
    assert result.hits[0].document == gate
