"""Items 4, 9 and 14 of issue 12: request bodies are parsed by serializers, never by ``bool()``.

Bad input is a 400 naming the field, never a 500 and never a silent misreading.
"""

from __future__ import annotations

import pytest

from clusterobs.collaboration.models import Contact
from clusterobs.collaboration.services import contacts as contact_services
from clusterobs.collaboration.services import partner_requests as request_services


def _contact(collab, users) -> Contact:
    request = request_services.create_partner_request(
        organisation=collab["org"],
        user=users["manager"],
        title="Partner for leather tanning technology",
        technologies=["leather tanning"],
        sector_codes=["USCMP:25"],
    )
    return contact_services.express_interest(
        request=request, sender_org=collab["other"], user=users["other_manager"], message="Hi"
    )


@pytest.mark.parametrize(
    ("body", "fmt", "status"),
    [
        ({"accept": "false"}, "json", "declined"),
        ({"accept": False}, "json", "declined"),
        ({"accept": 0}, "json", "declined"),
        ({"accept": "0"}, "multipart", "declined"),
        ({"accept": "true"}, "json", "accepted"),
        ({"accept": 1}, "json", "accepted"),
    ],
)
def test_respond_reads_booleans_strictly(collab, users, token_for, body, fmt, status) -> None:
    contact = _contact(collab, users)
    response = token_for(users["manager"]).post(
        f"/api/collaboration/contacts/{contact.pk}/respond/", body, format=fmt
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    contact.refresh_from_db()
    assert contact.status == status


@pytest.mark.parametrize("body", [{}, {"accept": "maybe"}, {"accept": None}])
def test_respond_without_a_clear_answer_is_a_400_naming_accept(
    collab, users, token_for, body
) -> None:
    contact = _contact(collab, users)
    response = token_for(users["manager"]).post(
        f"/api/collaboration/contacts/{contact.pk}/respond/", body, format="json"
    )
    assert response.status_code == 400
    assert "accept" in response.json()
    contact.refresh_from_db()
    assert contact.status == "pending"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "x"}, "version"),
        ({"offers": {"technologies": 5}}, "offers"),
        ({"offers": {"weapons": ["x"]}}, "offers"),
        ({"target_countries": [1]}, "target_countries"),
        ({"member_of": "no-such-organisation"}, "member_of"),
        ({"languages": "en"}, "languages"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_profile_patch_refuses_wrong_types(collab, users, token_for, change, field) -> None:
    body = {"version": collab["profile"].version} | change
    response = token_for(users["manager"]).patch(
        f"/api/collaboration/profiles/{collab['org'].slug}/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_profile_patch_needs_the_version(collab, users, token_for) -> None:
    response = token_for(users["manager"]).patch(
        f"/api/collaboration/profiles/{collab['org'].slug}/", {"summary": "x"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_profile_patch_stores_languages_as_a_list(collab, users, token_for) -> None:
    response = token_for(users["manager"]).patch(
        f"/api/collaboration/profiles/{collab['org'].slug}/",
        {"version": collab["profile"].version, "languages": ["EN"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == ["en"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/collaboration/me/erase/",
        "/api/collaboration/partner-requests/{pk}/interest/",
        "/api/collaboration/contacts/{contact}/respond/",
    ],
)
def test_a_json_list_body_is_a_400(collab, users, token_for, url) -> None:
    contact = _contact(collab, users)
    user = users["manager"]
    response = token_for(user).post(
        url.format(pk=contact.request_id, contact=contact.pk), [1, 2], format="json"
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("pk", ["abc", "1x", "%20"])
def test_non_integer_partner_request_ids_are_404(collab, users, token_for, pk) -> None:
    response = token_for(users["manager"]).get(f"/api/collaboration/partner-requests/{pk}/")
    assert response.status_code == 404
