"""Onboarding of cluster organisations: sign up, confirm the address, claim or propose an
organisation, an administrator decides; password reset. Each role's rights are checked."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from clusterobs.accounts import services
from clusterobs.accounts.models import OrganisationClaim
from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import can_edit

PASSWORD = "Kn1twear-Cluster-2024"


def _link(message: mail.EmailMessage) -> str:
    """The first link of an e-mail, as a path on the test server."""
    url = re.search(r"https?://\S+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def _sign_up(client, username: str = "asha", email: str = "asha@example.org"):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.fixture
def confirmed(db, client):
    """A user who signed up and confirmed the address (and is logged in)."""
    _sign_up(client)
    client.get(_link(mail.outbox[-1]))
    return User.objects.get(username="asha")


def test_sign_up_sends_a_confirmation_and_the_account_waits_for_it(db, client) -> None:
    response = _sign_up(client)
    assert response.status_code == 200
    assert "asha@example.org" in response.content.decode()
    user = User.objects.get(username="asha")
    assert not user.is_active  # cannot log in before confirming
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.org"]
    assert "/accounts/confirm/" in message.body
    login = client.post("/accounts/login/", {"username": "asha", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session


def test_confirming_activates_logs_in_the_same_browser_and_the_link_works_once(db, client) -> None:
    _sign_up(client)
    link = _link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert User.objects.get(username="asha").is_active
    assert client.session["_auth_user_id"] == str(User.objects.get(username="asha").pk)
    again = client.get(link)
    assert again.status_code == 400  # single use: the token hashes the active flag


def test_a_link_opened_in_another_browser_activates_but_does_not_log_in(db, client) -> None:
    from django.test import Client

    _sign_up(client)
    other = Client()
    response = other.get(_link(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in other.session
    assert User.objects.get(username="asha").is_active


def test_forged_or_foreign_confirmation_links_are_refused(db, client) -> None:
    _sign_up(client)
    _sign_up(client, "ravi", "ravi@example.org")
    asha_link, ravi_link = _link(mail.outbox[0]), _link(mail.outbox[1])
    asha_uid, ravi_token = asha_link.split("/")[3], ravi_link.split("/")[4]
    assert client.get(f"/accounts/confirm/{asha_uid}/{ravi_token}/").status_code == 400
    assert client.get("/accounts/confirm/zzz/abc-def/").status_code == 400
    assert not User.objects.get(username="asha").is_active


def test_sign_up_refuses_a_used_address_and_weak_passwords(db, client) -> None:
    User.objects.create_user("old", email="Asha@Example.org", password="x")
    taken = _sign_up(client)
    assert "An account with this e-mail address exists." in taken.content.decode()
    weak = client.post(
        "/accounts/signup/",
        {"username": "new", "email": "new@example.org", "password1": "123", "password2": "123"},
    )
    assert "This password is too short" in weak.content.decode()
    differ = client.post(
        "/accounts/signup/",
        {"username": "n2", "email": "n2@example.org", "password1": PASSWORD, "password2": "x"},
    )
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.filter(username__in=["new", "n2"]).exists()
    assert mail.outbox == []


def test_resending_the_link_says_the_same_for_any_address(db, client) -> None:
    _sign_up(client)
    unknown = client.post("/accounts/confirm/resend/", {"email": "nobody@example.org"}, follow=True)
    known = client.post("/accounts/confirm/resend/", {"email": "asha@example.org"}, follow=True)
    text = "If an unconfirmed account uses this address"
    assert text in unknown.content.decode() and text in known.content.decode()
    assert len(mail.outbox) == 2  # the sign-up link and one new one, none for the stranger


def test_unapproved_claimant_cannot_edit_and_approval_grants_exactly_that_organisation(
    registry, confirmed, client, users, token_for
) -> None:
    org, other = registry["org"], registry["other_org"]
    response = client.post(
        "/accounts/claim/",
        {
            "organisation": org.slug,
            "role": "Cluster development executive",
            "evidence": "Named on the association's team page.",
        },
    )
    assert response.status_code == 302
    claim = OrganisationClaim.objects.get(user=confirmed)
    assert claim.status == "pending" and claim.organisation == org
    # pending: no right of any kind
    assert not can_edit(confirmed, org)
    assert client.get(f"/organisations/{org.slug}/edit/").status_code == 403
    api = token_for(confirmed)
    assert (
        api.patch(f"/api/organisations/{org.slug}/", {"city": "X", "version": 1}, format="json")
    ).status_code == 403
    # the claimant cannot decide their own claim
    assert client.get("/accounts/claims/").status_code == 403
    assert client.post(f"/accounts/claims/{claim.pk}/decide/", {"approve": "1"}).status_code == 403
    assert claim.organisation.managers.filter(pk=confirmed.pk).count() == 0
    # an administrator approves
    admin = users["admin"]
    services.decide_claim(claim=claim, user=admin, approve=True)
    confirmed.refresh_from_db()
    assert list(confirmed.managed_organisations.all()) == [org]
    assert can_edit(confirmed, org) and not can_edit(confirmed, other)
    assert client.get(f"/organisations/{org.slug}/edit/").status_code == 200
    assert client.get(f"/organisations/{other.slug}/edit/").status_code == 403
    assert client.get(f"/clusters/{registry['leather'].slug}/edit/").status_code == 403
    ok = api.patch(f"/api/organisations/{org.slug}/", {"city": "Agra", "version": 1}, format="json")
    assert ok.status_code == 200
    denied = api.patch(
        f"/api/organisations/{other.slug}/", {"city": "X", "version": 1}, format="json"
    )
    assert denied.status_code == 403
    assert any("approved" in m.subject for m in mail.outbox if m.to == ["asha@example.org"])


def test_a_proposed_organisation_exists_only_once_approved(db, confirmed, client, users) -> None:
    body = {
        "name": "Moradabad Brassware Cluster Association",
        "kind": "cluster_organisation",
        "country": "in",
        "city": "Moradabad",
        "website": "https://brass.example.org",
        "description": "Association of brass and bell metal units.",
        "role": "Secretary",
        "evidence": "Listed as secretary on the website.",
    }
    assert client.post("/accounts/claim/new/", body).status_code == 302
    claim = OrganisationClaim.objects.get(user=confirmed)
    assert claim.is_new_organisation and claim.proposed_country == "IN"
    assert not Organisation.objects.filter(name=body["name"]).exists()
    duplicate = client.post("/accounts/claim/new/", body)
    assert duplicate.status_code == 302  # a second proposal is allowed until decided ...
    second = OrganisationClaim.objects.exclude(pk=claim.pk).get()
    admin = client.__class__()
    admin.force_login(users["admin"])
    queue = admin.get("/accounts/claims/").content.decode()
    assert body["name"] in queue and "Listed as secretary" in queue
    assert admin.post(f"/accounts/claims/{second.pk}/decide/", {"approve": "0"}).status_code == 302
    second.refresh_from_db()
    assert second.status == "pending"  # a rejection needs reasons
    admin.post(
        f"/accounts/claims/{second.pk}/decide/", {"approve": "0", "reasons": "Duplicate request."}
    )
    admin.post(f"/accounts/claims/{claim.pk}/decide/", {"approve": "1"})
    org = Organisation.objects.get(name=body["name"])
    assert list(org.managers.all()) == [confirmed]
    assert org.source.startswith(f"Organisation claim {claim.pk}, approved")
    assert org.country == "IN" and org.created_by == users["admin"]
    page = client.get("/accounts/").content.decode()
    assert "Duplicate request." in page and body["name"] in page
    # ... and a proposal of a name the registry has is refused
    again = client.post("/accounts/claim/new/", body)
    assert "claim it instead" in again.content.decode()


def test_claims_need_a_confirmed_account_and_one_pending_claim_per_organisation(
    registry, confirmed, client
) -> None:
    assert (
        client.post("/accounts/claim/", {"organisation": registry["org"].slug}).status_code == 200
    )
    data = {"organisation": registry["org"].name, "role": "Manager", "evidence": "Team page."}
    assert client.post("/accounts/claim/", data).status_code == 302  # by exact name
    twice = client.post("/accounts/claim/", data)
    assert "already pending" in twice.content.decode()
    hidden = client.post(
        "/accounts/claim/", {**data, "organisation": "draft-biotech-cluster-lucknow"}
    )
    assert "No organisation has" in hidden.content.decode()
    client.logout()
    assert client.get("/accounts/claim/").status_code == 302  # to the login page
    inactive = User.objects.create_user("sleepy", email="s@example.org", password=PASSWORD)
    inactive.is_active = False
    inactive.save()
    with pytest.raises(Exception, match="Confirm your e-mail address first"):
        services.submit_claim(user=inactive, organisation=registry["org"], role="x", evidence="y")


def test_organisation_page_invites_its_manager_to_claim_it(registry, client, confirmed) -> None:
    page = client.get(f"/organisations/{registry['org'].slug}/").content.decode()
    assert f"/accounts/claim/?organisation={registry['org'].slug}" in page
    client.logout()
    anonymous = client.get(f"/organisations/{registry['org'].slug}/").content.decode()
    assert 'href="/accounts/signup/"' in anonymous


def test_password_reset_works_end_to_end(db, client) -> None:
    User.objects.create_user("meera", email="meera@example.org", password="Old-pass-2020")
    response = client.post("/accounts/password_reset/", {"email": "meera@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "New-Kn1t-pass-2025", "new_password2": "New-Kn1t-pass-2025"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert client.login(username="meera", password="New-Kn1t-pass-2025")
    assert not client.login(username="meera", password="Old-pass-2020")
    reused = client.get(link, follow=True)
    assert "not valid" in reused.content.decode()


def test_password_reset_says_nothing_about_unknown_addresses(db, client) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_email_settings_come_from_the_environment(monkeypatch, tmp_path) -> None:
    from clusterobs.config import load_config

    monkeypatch.setenv("CLUSTEROBS_DATA_DIR", str(tmp_path))
    assert load_config().email.django_backend.endswith("console.EmailBackend")
    monkeypatch.setenv("CLUSTEROBS_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("CLUSTEROBS_EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("CLUSTEROBS_EMAIL_PORT", "465")
    monkeypatch.setenv("CLUSTEROBS_EMAIL_USE_SSL", "true")
    email = load_config().email
    assert (email.host, email.port, email.use_ssl, email.use_tls) == (
        "smtp.example.org",
        465,
        True,
        False,
    )
    monkeypatch.setenv("CLUSTEROBS_EMAIL_BACKEND", "file")
    assert load_config().email.file_path == tmp_path.resolve() / "mail"
    monkeypatch.setenv("CLUSTEROBS_EMAIL_BACKEND", "pigeon")
    with pytest.raises(ValueError, match="CLUSTEROBS_EMAIL_BACKEND='pigeon'"):
        load_config()
    monkeypatch.setenv("CLUSTEROBS_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("CLUSTEROBS_EMAIL_PORT", "smtp")
    with pytest.raises(ValueError, match="CLUSTEROBS_EMAIL_PORT='smtp'"):
        load_config()
