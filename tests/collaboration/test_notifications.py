"""In-app notifications: unread ones are marked, opening one marks it read and follows its local
link, nobody opens another user's notification, and an outside link is never followed."""

from __future__ import annotations

import pytest
from django.test import Client

from clusterobs.collaboration.models import Notification
from clusterobs.collaboration.services import notifications as notification_services

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_unread_notifications_open_and_mark_read(users, collab) -> None:
    (mine,) = notification_services.notify(
        users=[users["manager"]], text="New interest", url="/collaboration/requests/"
    )
    notification_services.notify(users=[users["manager"]], text="Second", url="")
    (theirs,) = notification_services.notify(users=[users["viewer"]], text="Private note", url="/")
    client = _client(users["manager"])
    home = client.get("/collaboration/").content.decode()
    assert "2 new" in home and "New interest" in home and "Private note" not in home
    r = client.get(f"/collaboration/notifications/{mine.pk}/")
    assert r.status_code == 302 and r["Location"] == "/collaboration/requests/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "1 new" in client.get("/collaboration/").content.decode()
    # someone else's notification: not found, and stays unread
    assert client.get(f"/collaboration/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # mark all read (POST only)
    assert client.get("/collaboration/notifications/read/").status_code == 405
    client.post("/collaboration/notifications/read/")
    assert not Notification.objects.filter(user=users["manager"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=users["viewer"], read_at__isnull=True).count() == 1


def test_outside_links_are_not_followed(users, collab) -> None:
    (note,) = notification_services.notify(
        users=[users["manager"]], text="Phish", url="https://evil.example/x"
    )
    r = _client(users["manager"]).get(f"/collaboration/notifications/{note.pk}/")
    assert r.status_code == 302 and r["Location"] == "/collaboration/"
    assert Client().get(f"/collaboration/notifications/{note.pk}/").status_code == 302
