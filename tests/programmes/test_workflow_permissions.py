"""Lifecycle, application status workflow (history, days pending, overdue) and permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterobs.programmes import selectors, services
from clusterobs.programmes.models import StatusLimit
from clusterobs.registry.services import ConflictError


def test_lifecycle_stages_are_data_and_current_stage_is_furthest(programme, users):
    from clusterobs.programmes.models import LifecycleStage

    keys = list(LifecycleStage.objects.values_list("key", flat=True))
    assert keys[0] == "selection" and keys[2] == "diagnostic-study" and keys[-1] == "me-exit"
    initiative = programme["initiative"]
    services.reach_stage(user=users["manager"], initiative=initiative, stage_key="action-plan",
                         reached_on=dt.date(2021, 1, 1))  # fmt: skip
    services.reach_stage(user=users["manager"], initiative=initiative,
                         stage_key="diagnostic-study", reached_on=dt.date(2020, 9, 1))  # fmt: skip
    initiative.refresh_from_db()
    assert initiative.stage.key == "action-plan"
    with pytest.raises(ValidationError, match="already reached"):
        services.reach_stage(user=users["manager"], initiative=initiative,
                             stage_key="action-plan", reached_on=dt.date(2021, 2, 1))  # fmt: skip
    timeline = selectors.stage_timeline(initiative)
    assert [r["reached_on"] is not None for r in timeline][:4] == [True, False, True, True]


def _app(programme, users, **kw):
    return services.submit_application(
        user=users["manager"], initiative=programme["initiative"], component="cfc",
        proposed_cost=Decimal("800"), unit="lakh", **kw,
    )  # fmt: skip


def test_status_workflow_history_and_invalid_moves(programme, users):
    app = _app(programme, users)
    editor, manager = users["editor"], users["manager"]
    app = services.transition_application(
        user=editor,
        application=app,
        expected_version=1,
        to_status="clarification_sought",
        note="land papers?",
    )
    app = services.transition_application(user=manager, application=app, expected_version=2,
                                          to_status="clarified")  # fmt: skip
    app = services.transition_application(user=manager, application=app, expected_version=3,
                                          to_status="dpr_uploaded")  # fmt: skip
    app = services.transition_application(user=editor, application=app, expected_version=4,
                                          to_status="approved")  # fmt: skip
    with pytest.raises(ValidationError, match="grant sanctioned"):
        services.transition_application(user=editor, application=app, expected_version=5,
                                        to_status="sanctioned")  # fmt: skip
    app = services.transition_application(
        user=editor,
        application=app,
        expected_version=5,
        to_status="sanctioned",
        grant_sanctioned=Decimal(560),
    )
    app = services.transition_application(
        user=manager,
        application=app,
        expected_version=6,
        to_status="completed",
        grant_released=Decimal(560),
    )
    history = [(c.from_status, c.to_status) for c in app.status_changes.all()]
    assert history == [
        ("", "submitted"), ("submitted", "clarification_sought"),
        ("clarification_sought", "clarified"), ("clarified", "dpr_uploaded"),
        ("dpr_uploaded", "approved"), ("approved", "sanctioned"), ("sanctioned", "completed"),
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="final status"):
        services.transition_application(user=editor, application=app, expected_version=7,
                                        to_status="approved")  # fmt: skip
    with pytest.raises(ConflictError):
        services.transition_application(user=editor, application=app, expected_version=3,
                                        to_status="rejected")  # fmt: skip


def test_applicant_cannot_decide_its_own_application(programme, users):
    app = _app(programme, users)
    with pytest.raises(PermissionDenied):
        services.transition_application(user=users["manager"], application=app,
                                        expected_version=1, to_status="approved")  # fmt: skip


def test_days_pending_and_overdue_flag(programme, users):
    app = _app(programme, users)
    StatusLimit.objects.filter(status="submitted").update(days=10)
    today = timezone.localdate()
    app.status_since = timezone.now() - dt.timedelta(days=10)
    assert selectors.pending(app, today=today).overdue is False  # exactly at the limit
    app.status_since = timezone.now() - dt.timedelta(days=11)
    app.save()
    state = selectors.pending(app, today=today)
    assert state.days == 11 and state.limit == 10 and state.overdue
    assert [p.application for p in selectors.applications(users["editor"], overdue_only=True)] == [
        app
    ]
    app.status = "rejected"
    assert selectors.pending(app, today=today).overdue is False  # final statuses never flagged


def test_implementing_agency_edits_only_its_initiatives(programme, users):
    mine, theirs = programme["initiative"], programme["other"]
    manager = users["manager"]
    services.update_initiative(mine, user=manager, expected_version=1, changes={"budget": 350})
    with pytest.raises(PermissionDenied):
        services.update_initiative(theirs, user=manager, expected_version=1, changes={"budget": 1})
    with pytest.raises(PermissionDenied):
        services.submit_application(user=manager, initiative=theirs, component="dpr",
                                    proposed_cost=Decimal(5))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.reach_stage(user=users["viewer"], initiative=mine, stage_key="trust-building",
                             reached_on=dt.date(2020, 5, 1))  # fmt: skip
    with pytest.raises(ConflictError):
        services.update_initiative(mine, user=users["editor"], expected_version=1,
                                   changes={"budget": 2})  # fmt: skip


def test_funders_read_their_schemes_initiatives_and_applications(programme, users):
    _app(programme, users)
    funder = programme["funder"]
    assert [p.application.component for p in selectors.applications(funder)] == ["cfc"]
    assert selectors.applications(users["viewer"]) == []
    assert selectors.applications(users["other_manager"]) == []
    # the unpublished initiative of another scheme stays hidden from the funder
    assert selectors.initiative_detail(funder, programme["other"].slug) is None
    assert selectors.initiative_detail(users["other_manager"], programme["other"].slug)
    with pytest.raises(PermissionDenied):
        services.update_initiative(programme["initiative"], user=funder, expected_version=1,
                                   changes={"budget": 1})  # fmt: skip


def test_api_anonymous_sees_summary_only(programme, api_client):
    slug = programme["initiative"].slug
    data = api_client.get(f"/api/programme-initiatives/{slug}/").json()
    assert set(data) == {"slug", "name", "cluster", "scheme", "stage", "start_date", "end_date"}
    listing = api_client.get("/api/programme-initiatives/").json()["results"]
    assert [i["slug"] for i in listing] == [slug]
    assert api_client.get("/api/programme-applications/").json()["results"] == []


def test_api_writes_need_token_and_rights(programme, users, token_for, client):
    slug = programme["initiative"].slug
    client.force_login(users["manager"])
    session = client.patch(f"/api/programme-initiatives/{slug}/", {"budget": "1", "version": 1},
                           content_type="application/json")  # fmt: skip
    assert session.status_code == 403
    manager = token_for(users["manager"])
    ok = manager.patch(f"/api/programme-initiatives/{slug}/", {"budget": "400", "version": 1},
                       format="json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = manager.patch(f"/api/programme-initiatives/{slug}/", {"budget": "5", "version": 1},
                          format="json")  # fmt: skip
    assert stale.status_code == 409
    other = token_for(users["other_manager"]).patch(
        f"/api/programme-initiatives/{programme['other'].slug}/", {"budget": "5", "version": 1},
        format="json")  # fmt: skip
    assert other.status_code == 200
    denied = token_for(users["other_manager"]).patch(
        f"/api/programme-initiatives/{slug}/", {"budget": "5", "version": 2}, format="json"
    )
    assert denied.status_code == 403
    created = manager.post("/api/programme-applications/", {
        "initiative": slug, "component": "dpr", "proposed_cost": "5", "submitted_on": "2024-01-02",
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    editor = token_for(users["editor"])
    moved = editor.post(f"/api/programme-applications/{pk}/transition/",
                        {"to_status": "approved", "version": 1}, format="json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "approved"
    invalid = editor.post(f"/api/programme-applications/{pk}/transition/",
                          {"to_status": "clarified", "version": 2}, format="json")  # fmt: skip
    assert invalid.status_code == 400
    funder = token_for(programme["funder"]).get(f"/api/programme-applications/{pk}/")
    assert funder.status_code == 200 and len(funder.json()["history"]) == 2


def test_document_upload_and_download_permissions(programme, users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    initiative = programme["initiative"]
    doc = services.upload_document(
        user=users["manager"], initiative=initiative, kind="dsr", title="DSR Agra",
        file=SimpleUploadedFile("dsr.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )  # fmt: skip
    assert doc.size == 13 and doc.file.name.startswith(f"programmes/{initiative.slug}/")
    with pytest.raises(ValidationError):
        services.upload_document(user=users["manager"], initiative=initiative, kind="dsr",
                                 title="x", file=SimpleUploadedFile("run.exe", b"MZ"))  # fmt: skip
    assert client.get(f"/programmes/documents/{doc.pk}/").status_code == 404
    client.force_login(programme["funder"])
    response = client.get(f"/programmes/documents/{doc.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
