"""Items 9, 13 and 14 of issue 12: bad input is a 400 (API) or a message (pages), never a 500;
redirects back never leave the site; history shows login names only to signed-in users."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterobs.collaboration.services import partner_requests as request_services


@pytest.fixture
def programme(registry, users):
    from clusterobs.programmes import services as programme_services
    from clusterobs.programmes.starter import load

    load()
    return programme_services.create_initiative(
        user=users["editor"],
        name="Agra footwear cluster development",
        cluster=registry["leather"],
        scheme=registry["scheme"],
        implementing_agency=registry["org"],
        start_date=dt.date(2020, 4, 1),
        published=True,
    )


def test_funding_calculator_refuses_an_overflowing_amount(client, programme) -> None:
    response = client.post(
        "/api/funding-calculator/",
        {"scheme": "msecdp", "costs": {"cfc": "1e999999"}},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "cfc" in response.content.decode()


def test_initiative_end_before_start_is_a_400(token_for, users, programme) -> None:
    response = token_for(users["editor"]).patch(
        f"/api/programme-initiatives/{programme.slug}/",
        {"end_date": "2019-01-01", "version": programme.version},
        format="json",
    )
    assert response.status_code == 400, response.content


def test_an_unknown_application_component_is_refused(token_for, users, programme) -> None:
    response = token_for(users["editor"]).post(
        "/api/programme-applications/",
        {
            "initiative": programme.slug,
            "component": "zzz",
            "proposed_cost": "10",
            "submitted_on": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "component" in response.json()


def test_history_hides_login_names_from_anonymous_visitors(client, token_for, users, registry):
    url = f"/api/clusters/{registry['leather'].slug}/history/"
    anonymous = client.get(url).json()
    assert isinstance(anonymous, list) and anonymous
    assert all(entry["user"] is None for entry in anonymous)
    assert "editor" not in client.get(url).content.decode()
    signed_in = token_for(users["viewer"]).get(url).json()
    assert any(entry["user"] == "editor" for entry in signed_in)


@pytest.mark.parametrize(
    ("post", "named"),
    [
        ({"action": "edit", "version": "x", "summary": "s"}, "version: Enter a whole number."),
        ({"action": "edit", "target_countries": "FR, Atlantis"}, "target_countries: not ISO"),
        ({"action": "verify", "management_fte": "abc"}, "management_fte: Enter a number."),
        ({"action": "verify", "committed_members": "many"}, "committed_members: Enter a whole"),
        ({"action": "verify", "website": "not a site"}, "website: Enter a valid URL."),
    ],
)
def test_profile_forms_with_bad_values_name_the_field(client, collab, users, post, named) -> None:
    """Django forms check the values; the message names the field and nothing is saved."""
    from clusterobs.collaboration.models import VerificationRequest

    client.force_login(users["manager"])
    before = VerificationRequest.objects.count()
    response = client.post(f"/collaboration/profiles/{collab['org'].slug}/act/", post)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert named in page.content.decode()
    assert VerificationRequest.objects.count() == before


def test_a_request_with_a_wrong_date_names_the_field(client, collab, users) -> None:
    from clusterobs.collaboration.models import PartnerRequest

    client.force_login(users["manager"])
    response = client.post(
        "/collaboration/requests/new/",
        {"organisation": collab["org"].slug, "title": "Partner", "deadline": "31/12/2026"},
    )
    assert response.status_code == 200
    assert "deadline: Enter a valid date." in response.content.decode()
    assert not PartnerRequest.objects.exists()
    good = client.post(
        "/collaboration/requests/new/",
        {"organisation": collab["org"].slug, "title": "Partner", "deadline": "2026-12-31",
         "countries": "de, FR", "visibility": "public"},
    )  # fmt: skip
    assert good.status_code == 302
    assert PartnerRequest.objects.get().countries == ["DE", "FR"]


def test_a_meeting_request_with_a_wrong_requester_answers_a_message(
    client, collab, users, event
) -> None:
    client.force_login(users["manager"])
    response = client.post(
        f"/collaboration/events/{event.slug}/",
        {"action": "meet", "requester": "abc", "invitee": "1"},
    )
    assert response.status_code in (302, 404)


def test_error_redirects_never_follow_an_off_site_referer(client, collab, users) -> None:
    request = request_services.create_partner_request(
        organisation=collab["org"],
        user=users["manager"],
        title="Partner for leather tanning technology",
        technologies=["leather tanning"],
        sector_codes=["USCMP:25"],
    )
    client.force_login(users["manager"])  # interest in its own request: refused
    for referer in ("https://evil.example/phish", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            f"/collaboration/requests/{request.pk}/act/",
            {"action": "interest", "sender": collab["org"].slug},
            HTTP_REFERER=referer,
        )
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], referer
    same_site = client.post(
        f"/collaboration/requests/{request.pk}/act/",
        {"action": "interest", "sender": collab["org"].slug},
        HTTP_REFERER="http://testserver/collaboration/requests/",
    )
    assert same_site["Location"] == "http://testserver/collaboration/requests/"
