"""Profiles (only managers edit; conflicts detected) and the verification workflow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clusterobs.collaboration.services import profiles as profile_services
from clusterobs.collaboration.services import verification as verification_services
from clusterobs.registry.services import ConflictError


def test_manager_edits_profile(collab, users):
    profile = profile_services.update_profile(
        profile=collab["profile"],
        user=users["manager"],
        expected_version=1,
        changes={"summary": "New summary", "target_countries": ["de", "at"]},
    )
    assert profile.summary == "New summary"
    assert profile.target_countries == ["DE", "AT"]
    assert profile.version == 2


@pytest.mark.parametrize("who", ["other_manager", "viewer", "editor"])
def test_others_may_not_edit_profile(collab, users, who):
    with pytest.raises(PermissionDenied):
        profile_services.update_profile(
            profile=collab["profile"], user=users[who], expected_version=1, changes={"summary": "x"}
        )


def test_admin_may_edit_profile(collab, users):
    profile = profile_services.update_profile(
        profile=collab["profile"], user=users["admin"], expected_version=1, changes={"summary": "x"}
    )
    profile.refresh_from_db()
    assert profile.summary == "x" and profile.version == 2
    assert profile.updated_by == users["admin"]


def test_stale_edit_is_a_conflict(collab, users):
    profile_services.update_profile(
        profile=collab["profile"],
        user=users["manager"],
        expected_version=1,
        changes={"summary": "a"},
    )
    with pytest.raises(ConflictError):
        profile_services.update_profile(
            profile=collab["profile"],
            user=users["manager"],
            expected_version=1,
            changes={"summary": "b"},
        )


def test_unknown_offer_category_is_refused(collab, users):
    with pytest.raises(ValidationError):
        profile_services.update_profile(
            profile=collab["profile"],
            user=users["manager"],
            expected_version=1,
            changes={"offers": {"magic": ["x"]}},
        )


def test_api_profile_edit_rules(collab, users, token_for, api_client):
    url = f"/api/collaboration/profiles/{collab['org'].slug}/"
    assert api_client.get(url).status_code == 200
    assert api_client.patch(url, {"summary": "x", "version": 1}, format="json").status_code in (
        401,
        403,
    )
    denied = token_for(users["other_manager"]).patch(
        url, {"summary": "x", "version": 1}, format="json"
    )
    assert denied.status_code == 403
    ok = token_for(users["manager"]).patch(url, {"summary": "API", "version": 1}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    stale = token_for(users["manager"]).patch(url, {"summary": "B", "version": 1}, format="json")
    assert stale.status_code == 409


def test_criteria():
    ok = dict(
        management_fte=Decimal("0.5"),
        website="https://example.org",
        website_shows_activity=True,
        committed_members=15,
        member_types=["sme", "research"],
        recognised_by="",
    )
    assert verification_services.verification_criteria(**ok)["met"]
    for change in (
        {"management_fte": Decimal("0.4")},
        {"website_shows_activity": False},
        {"committed_members": 14},
        {"member_types": ["sme"]},
    ):
        assert not verification_services.verification_criteria(**(ok | change))["met"], change
    waived = ok | {"committed_members": 3, "recognised_by": "go-cluster (Germany)"}
    assert verification_services.verification_criteria(**waived)["met"]


def _ask(collab, users, **kw):
    defaults = dict(
        organisation=collab["org"],
        user=users["manager"],
        management_fte=Decimal("1.5"),
        website="https://agra-footwear.example.org",
        website_shows_activity=True,
        committed_members=40,
        member_types=["sme", "large"],
    )
    return verification_services.request_verification(**(defaults | kw))


def test_verification_approved_shows_badge(collab, users, client):
    verification = _ask(collab, users)
    assert any("asks to be verified" in m.subject for m in mail.outbox)
    with pytest.raises(ValidationError):
        _ask(collab, users)  # one pending request at a time
    verification_services.decide_verification(
        verification=verification, user=users["admin"], approve=True, reasons="All criteria met"
    )
    collab["profile"].refresh_from_db()
    assert collab["profile"].verified
    page = client.get(f"/collaboration/profiles/{collab['org'].slug}/")
    assert "Verified cluster organisation" in page.content.decode()


def test_verification_rules(collab, users):
    with pytest.raises(PermissionDenied):
        _ask(collab, users, user=users["other_manager"])
    weak = _ask(collab, users, committed_members=3)
    with pytest.raises(PermissionDenied):
        verification_services.decide_verification(
            verification=weak, user=users["editor"], approve=False, reasons="no"
        )
    with pytest.raises(ValidationError):
        verification_services.decide_verification(
            verification=weak, user=users["admin"], approve=True, reasons=""
        )
    with pytest.raises(ValidationError):
        verification_services.decide_verification(
            verification=weak, user=users["admin"], approve=False, reasons=""
        )
    verification_services.decide_verification(
        verification=weak, user=users["admin"], approve=False, reasons="Fewer than 15 members"
    )
    collab["profile"].refresh_from_db()
    assert not collab["profile"].verified
    assert users["manager"].collab_notifications.filter(text__contains="Fewer than 15").exists()


def test_verification_queue_is_admin_only(collab, users, client):
    _ask(collab, users)
    client.force_login(users["manager"])
    assert client.get("/collaboration/verifications/").status_code == 403
    client.force_login(users["admin"])
    page = client.get("/collaboration/verifications/")
    assert page.status_code == 200 and "Agra Footwear Association" in page.content.decode()
