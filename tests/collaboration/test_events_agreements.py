"""Events (registration, meeting requests, no double booking, outcomes) and agreements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clusterobs.collaboration.models import Agreement, MeetingSeat
from clusterobs.collaboration.services import agreements as agreement_services
from clusterobs.collaboration.services import events as event_services


@pytest.fixture
def third(db, users):
    from clusterobs.registry import services as registry_services
    from clusterobs.registry.models import Organisation

    org = registry_services.create_record(
        Organisation, user=users["editor"], name="Clusterland Test", kind="cluster_organisation"
    )
    org.managers.add(users["viewer"])
    return org


def _accepted(event, users, a, a_user, b, b_user):
    ra = event_services.register(event=event, organisation=a, user=a_user)
    rb = event_services.register(event=event, organisation=b, user=b_user)
    mr = event_services.request_meeting(requester=ra, invitee=rb, user=a_user)
    event_services.respond_to_meeting(meeting_request=mr, user=b_user, accept=True)
    return mr


def test_registration_rules(event, collab, users):
    with pytest.raises(PermissionDenied):
        event_services.register(
            event=event, organisation=collab["org"], user=users["other_manager"]
        )
    event.registration_open = False
    event.save()
    with pytest.raises(ValidationError):
        event_services.register(event=event, organisation=collab["org"], user=users["manager"])


def test_meeting_flow_and_no_double_booking(event, collab, users, third):
    slot1, slot2, _ = event.slots.all()
    mr = _accepted(
        event, users, collab["org"], users["manager"], collab["other"], users["other_manager"]
    )
    with pytest.raises(PermissionDenied):
        event_services.schedule_meeting(meeting_request=mr, slot=slot1, user=users["viewer"])
    event_services.schedule_meeting(meeting_request=mr, slot=slot1, user=users["other_manager"])
    # the third organisation wants to meet the first in the same slot: refused
    r3 = event_services.register(event=event, organisation=third, user=users["viewer"])
    ra = event.registrations.get(organisation=collab["org"])
    mr2 = event_services.request_meeting(requester=r3, invitee=ra, user=users["viewer"])
    with pytest.raises(ValidationError):  # not yet accepted
        event_services.schedule_meeting(meeting_request=mr2, slot=slot2, user=users["viewer"])
    event_services.respond_to_meeting(meeting_request=mr2, user=users["manager"], accept=True)
    with pytest.raises(event_services.DoubleBookingError):
        event_services.schedule_meeting(meeting_request=mr2, slot=slot1, user=users["viewer"])
    meeting = event_services.schedule_meeting(meeting_request=mr2, slot=slot2, user=users["viewer"])
    assert meeting.slot == slot2
    assert MeetingSeat.objects.filter(registration=ra).count() == 2


def test_database_refuses_double_booking(event, collab, users, third):
    slot = event.slots.first()
    mr = _accepted(
        event, users, collab["org"], users["manager"], collab["other"], users["other_manager"]
    )
    meeting = event_services.schedule_meeting(meeting_request=mr, slot=slot, user=users["manager"])
    ra = event.registrations.get(organisation=collab["org"])
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=meeting, slot=slot, registration=ra)


def test_outcome_after_meeting_starts_agreement(event, collab, users):
    slot = event.slots.first()
    mr = _accepted(
        event, users, collab["org"], users["manager"], collab["other"], users["other_manager"]
    )
    meeting = event_services.schedule_meeting(meeting_request=mr, slot=slot, user=users["manager"])
    with pytest.raises(ValidationError):  # the meeting is in 2030
        event_services.record_outcome(meeting=meeting, user=users["manager"], outcome="x")
    slot.starts_at = slot.starts_at.replace(year=2020)
    slot.ends_at = slot.ends_at.replace(year=2020)
    slot.save()
    meeting.refresh_from_db()
    with pytest.raises(PermissionDenied):
        event_services.record_outcome(meeting=meeting, user=users["viewer"], outcome="x")
    event_services.record_outcome(
        meeting=meeting,
        user=users["manager"],
        outcome="Joint tanning pilot",
        start_agreement="Tanning MoU",
    )
    agreement = Agreement.objects.get(title="Tanning MoU")
    assert set(agreement.parties.all()) == {collab["org"], collab["other"]}
    assert agreement.event == event and agreement.status == "planned"


def test_event_pages_and_schedule_api(event, collab, users, client, api_client):
    slot = event.slots.first()
    mr = _accepted(
        event, users, collab["org"], users["manager"], collab["other"], users["other_manager"]
    )
    event_services.schedule_meeting(meeting_request=mr, slot=slot, user=users["manager"])
    page = client.get(f"/collaboration/events/{event.slug}/").content.decode()
    assert "Agra Footwear Association – Coimbatore Foundry Cluster Organisation" in page
    rows = api_client.get(f"/api/collaboration/events/{event.slug}/schedule/").json()
    assert rows[0]["meetings"][0]["between"] == [collab["org"].slug, collab["other"].slug]


def test_agreement_edit_rules(collab, users):
    agreement = agreement_services.create_agreement(
        user=users["manager"], parties=[collab["org"]], title="Test MoU", kind="mou"
    )
    with pytest.raises(PermissionDenied):
        agreement_services.create_agreement(
            user=users["viewer"], parties=[collab["org"]], title="No", kind="mou"
        )
    with pytest.raises(PermissionDenied):
        agreement_services.update_agreement(
            agreement=agreement,
            user=users["other_manager"],
            expected_version=1,
            changes={"outcomes": "x"},
        )
    agreement_services.update_agreement(
        agreement=agreement, user=users["manager"], expected_version=1, changes={"outcomes": "x"}
    )


def test_starter_agreements_and_projects(starter, client, api_client):
    from clusterobs.collaboration.models import CollaborationProfile
    from clusterobs.collaboration.starter import load

    created = load()
    # 15 MoUs of Annex 2; the three cluster organisations the report describes
    assert created == {"agreements": 20, "project profiles": 3, "organisation profiles": 3}
    assert load() == {"agreements": 0, "project profiles": 0, "organisation profiles": 0}
    ccc = CollaborationProfile.objects.get(organisation__slug="copenhagen-cleantech-cluster")
    assert ccc.target_countries == ["IN"] and not ccc.verified
    mou = Agreement.objects.get(key="ebtc-clusterland-mou-2010")
    assert mou.signed_on == dt.date(2010, 12, 1) and mou.signed_on_precision == "day"
    assert {p.slug for p in mou.parties.all()} >= {"ebtc", "clusterland-oberoesterreich"}
    ccc = Agreement.objects.get(key="ccc-ebtc-memorandum-2012")
    assert (ccc.signed_on, ccc.signed_on_precision) == (dt.date(2012, 6, 1), "month")
    assert set(
        CollaborationProfile.objects.filter(initiative__isnull=False).values_list(
            "initiative__slug", flat=True
        )
    ) == {"reina", "wiintech", "feeding-the-planet"}
    page = client.get("/collaboration/agreements/").content.decode()
    assert "1 December 2010" in page and "June 2012" in page
    assert client.get("/collaboration/agreements/ebtc-clusterland-mou-2010/").status_code == 200
    assert api_client.get("/api/collaboration/agreements/").json()["count"] == 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_scheduling_books_a_participant_once(event, collab, users, third):
    """Two schedulers race to put the same participant in one slot: exactly one wins.

    Both pass the application-level check at the same time; the unique seat constraint makes the
    second insert wait for the first transaction and then fail (PostgreSQL only: SQLite's test
    database is an in-memory one that serialises everything anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    slot = event.slots.first()
    mr1 = _accepted(
        event, users, collab["org"], users["manager"], collab["other"], users["other_manager"]
    )
    ra = event.registrations.get(organisation=collab["org"])
    r3 = event_services.register(event=event, organisation=third, user=users["viewer"])
    mr2 = event_services.request_meeting(requester=r3, invitee=ra, user=users["viewer"])
    event_services.respond_to_meeting(meeting_request=mr2, user=users["manager"], accept=True)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(meeting_request, user):
        try:
            barrier.wait()
            event_services.schedule_meeting(meeting_request=meeting_request, slot=slot, user=user)
            results.append("booked")
        except event_services.DoubleBookingError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(mr1, users["other_manager"])),
        threading.Thread(target=run, args=(mr2, users["viewer"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["booked", "refused"]
    assert MeetingSeat.objects.filter(slot=slot, registration=ra).count() == 1
