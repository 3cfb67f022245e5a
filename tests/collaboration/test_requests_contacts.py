"""Partner searches: visibility, interest with consent, rate limit, notifications, privacy."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clusterobs.collaboration import selectors
from clusterobs.collaboration.models import Contact, Notification
from clusterobs.collaboration.services import contacts as contact_services
from clusterobs.collaboration.services import partner_requests as request_services


def _post(collab, users, **kw):
    defaults = dict(
        organisation=collab["org"],
        user=users["manager"],
        title="Partner for leather tanning technology",
        technologies=["leather tanning"],
        sector_codes=["USCMP:25"],
    )
    return request_services.create_partner_request(**(defaults | kw))


def test_only_managers_post_requests(collab, users):
    with pytest.raises(PermissionDenied):
        _post(collab, users, user=users["other_manager"])
    with pytest.raises(ValidationError):
        _post(collab, users, visibility="audience")  # private needs an audience


@pytest.mark.parametrize(
    "visibility, anonymous, viewer, other_manager",
    [
        ("public", True, True, True),
        ("registered", False, True, True),
        ("audience", False, False, True),
    ],
)
def test_request_visibility(collab, users, visibility, anonymous, viewer, other_manager):
    from django.contrib.auth.models import AnonymousUser

    audience = [collab["other"]] if visibility == "audience" else []
    request = _post(collab, users, visibility=visibility, audience=audience)
    assert selectors.can_see_request(AnonymousUser(), request) is anonymous
    assert selectors.can_see_request(users["viewer"], request) is viewer
    assert selectors.can_see_request(users["other_manager"], request) is other_manager
    assert selectors.can_see_request(users["manager"], request)
    assert selectors.can_see_request(users["admin"], request)


def test_private_request_hidden_in_pages_and_api(collab, users, client, token_for):
    request = _post(collab, users, visibility="audience", audience=[collab["other"]])
    client.force_login(users["viewer"])
    assert client.get(f"/collaboration/requests/{request.pk}/").status_code == 404
    assert request.title not in client.get("/collaboration/requests/").content.decode()
    assert (
        token_for(users["viewer"])
        .get(f"/api/collaboration/partner-requests/{request.pk}/")
        .status_code
        == 404
    )
    client.force_login(users["other_manager"])
    assert client.get(f"/collaboration/requests/{request.pk}/").status_code == 200
    assert (
        token_for(users["other_manager"])
        .get(f"/api/collaboration/partner-requests/{request.pk}/")
        .status_code
        == 200
    )
    # the audience was told, by notification and e-mail
    assert Notification.objects.filter(user=users["other_manager"]).exists()


def test_interest_consent_and_messages(collab, users):
    request = _post(collab, users)
    with pytest.raises(PermissionDenied):  # viewer manages no organisation
        contact_services.express_interest(
            request=request, sender_org=collab["other"], user=users["viewer"]
        )
    with pytest.raises(ValidationError):  # an organisation cannot answer its own request
        contact_services.express_interest(
            request=request, sender_org=collab["org"], user=users["manager"]
        )
    contact = contact_services.express_interest(
        request=request, sender_org=collab["other"], user=users["other_manager"], message="Hello"
    )
    assert [m.to for m in mail.outbox][-1] == ["manager@example.org"]
    with pytest.raises(ValidationError):  # no message before consent
        contact_services.send_message(contact=contact, user=users["other_manager"], body="hi")
    with pytest.raises(PermissionDenied):  # the sender cannot accept on the recipient's behalf
        contact_services.respond_to_contact(
            contact=contact, user=users["other_manager"], accept=True
        )
    contact_services.respond_to_contact(contact=contact, user=users["manager"], accept=True)
    contact_services.send_message(
        contact=contact, user=users["other_manager"], body="Shall we meet?"
    )
    with pytest.raises(PermissionDenied):
        contact_services.send_message(contact=contact, user=users["viewer"], body="intruder")
    assert users["manager"].collab_notifications.filter(text__contains="New message from").exists()


def test_api_interest_never_shows_email(collab, users, token_for):
    request = _post(collab, users)
    client = token_for(users["other_manager"])
    response = client.post(
        f"/api/collaboration/partner-requests/{request.pk}/interest/",
        {"sender": collab["other"].slug, "message": "Interested"},
        format="json",
    )
    assert response.status_code == 201, response.content
    for url in (
        "/api/collaboration/contacts/",
        f"/api/collaboration/partner-requests/{request.pk}/",
    ):
        body = token_for(users["manager"]).get(url).content.decode()
        assert "@example.org" not in body
    accept = token_for(users["manager"]).post(
        f"/api/collaboration/contacts/{response.json()['id']}/respond/",
        {"accept": True},
        format="json",
    )
    assert accept.status_code == 200 and accept.json()["status"] == "accepted"


def test_contact_rate_limit(collab, users, settings, registry, token_for):
    from clusterobs.registry import services as registry_services
    from clusterobs.registry.models import Organisation

    settings.COLLABORATION_CONTACTS_PER_HOUR = 2
    targets = [
        registry_services.create_record(
            Organisation, user=users["editor"], name=f"Target {i}", kind="other", country="DE"
        )
        for i in range(4)
    ]
    for target in targets[:2]:
        contact_services.contact_organisation(
            sender_org=collab["org"], recipient_org=target, user=users["manager"]
        )
    with pytest.raises(contact_services.RateLimitedError):
        contact_services.contact_organisation(
            sender_org=collab["org"], recipient_org=targets[2], user=users["manager"]
        )
    # a contact older than an hour no longer counts
    Contact.objects.filter(sender_user=users["manager"]).update(
        created_at=Contact.objects.first().created_at.replace(year=2000)
    )
    contact_services.contact_organisation(
        sender_org=collab["org"], recipient_org=targets[2], user=users["manager"]
    )
    request = _post(collab, users, organisation=collab["other"], user=users["other_manager"])
    contact_services.contact_organisation(
        sender_org=collab["org"], recipient_org=targets[3], user=users["manager"]
    )
    response = token_for(users["manager"]).post(
        f"/api/collaboration/partner-requests/{request.pk}/interest/",
        {"sender": collab["org"].slug},
        format="json",
    )
    assert response.status_code == 429


def test_follow_and_close_notifies_followers(collab, users):
    request = _post(collab, users)
    request_services.follow_request(request=request, user=users["viewer"])
    request_services.close_partner_request(request=request, user=users["manager"])
    assert users["viewer"].collab_notifications.filter(text__contains="closed").exists()
    with pytest.raises(ValidationError):
        contact_services.express_interest(
            request=request, sender_org=collab["other"], user=users["other_manager"]
        )


def test_personal_data_export_and_delete(collab, users, client):
    request = _post(collab, users)
    contact = contact_services.express_interest(
        request=request, sender_org=collab["other"], user=users["other_manager"], message="Hi"
    )
    contact_services.respond_to_contact(contact=contact, user=users["manager"], accept=True)
    contact_services.send_message(
        contact=contact, user=users["other_manager"], body="My private note"
    )
    client.force_login(users["other_manager"])
    data = client.get("/collaboration/me/export.json").json()
    assert data["messages"][0]["body"] == "My private note"
    assert data["contacts_sent"][0]["message"] == "Hi"
    assert data["user"]["email"] == "other_manager@example.org"
    client.force_login(users["manager"])
    assert client.get("/collaboration/me/export.json").json()["messages"] == []
    client.force_login(users["other_manager"])
    client.post("/collaboration/me/", {})
    contact.refresh_from_db()
    assert contact.sender_user is None
    assert contact.messages.get().body == "[deleted by its author]"
    assert not Notification.objects.filter(user=users["other_manager"]).exists()
    client.post("/collaboration/me/", {"delete_account": "1"})
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="other_manager").exists()
