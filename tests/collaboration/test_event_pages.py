"""Events are created and given time slots in the browser forms: editors create, the
organiser's managers (and editors) add slots; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from clusterobs.collaboration.models import Event, TimeSlot

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Indo-European textile cluster meet",
    "kind": "b2b",
    "place": "Tiruppur",
    "country": "IN",
    "starts_on": "2031-02-10",
    "ends_on": "2031-02-11",
    "registration_open": "on",
}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_editor_creates_an_event_with_an_organiser(users, collab) -> None:
    r = _client(users["editor"]).post(
        "/collaboration/events/new/", {**NEW, "organiser": collab["org"].slug}
    )
    assert r.status_code == 302
    event = Event.objects.get(name=NEW["name"])
    assert event.organiser == collab["org"] and event.created_by == users["editor"]
    assert "New event" in _client(users["editor"]).get("/collaboration/events/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2031-02-01"}, "cannot end before it starts"),
        ({"organiser": "nobody-by-this-name"}, "No organisation has the slug or name"),
        ({"country": "XX"}, "is not an ISO 3166-1 alpha-2 country code"),
        ({"kind": "party"}, "Select a valid choice"),
    ],
)
def test_bad_event_input_changes_nothing(users, collab, changes, message) -> None:
    r = _client(users["editor"]).post("/collaboration/events/new/", {**NEW, **changes})
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Event.objects.filter(name=NEW["name"]).exists()


def test_only_editors_create_events(users, collab) -> None:
    assert Client().get("/collaboration/events/new/").status_code == 302
    for role in ("viewer", "manager"):
        assert _client(users[role]).post("/collaboration/events/new/", NEW).status_code == 403
    assert not Event.objects.filter(name=NEW["name"]).exists()
    page = _client(users["viewer"]).get("/collaboration/events/").content.decode()
    assert "New event" not in page


def test_organiser_manager_adds_slots_others_may_not(users, collab, event) -> None:
    Event.objects.filter(pk=event.pk).update(organiser=collab["org"])
    url = f"/collaboration/events/{event.slug}/"
    slots = {"action": "slots", "first": "2030-03-02T14:00", "count": "4", "minutes": "20"}
    before = TimeSlot.objects.filter(event=event).count()
    assert _client(users["other_manager"]).post(url, slots).status_code == 403
    assert "Add time slots" not in _client(users["other_manager"]).get(url).content.decode()
    assert TimeSlot.objects.filter(event=event).count() == before
    manager = _client(users["manager"])
    assert "Add time slots" in manager.get(url).content.decode()
    r = manager.post(url, slots, follow=True)
    assert "4 time slots added" in r.content.decode()
    added = TimeSlot.objects.filter(event=event).order_by("starts_at")[before:]
    assert [(s.ends_at - s.starts_at).seconds for s in added] == [1200] * 4
    # outside the event's dates: refused, nothing added
    r = manager.post(url, {**slots, "first": "2030-04-01T09:00"}, follow=True)
    assert "must fall within the event" in r.content.decode()
    assert TimeSlot.objects.filter(event=event).count() == before + 4
