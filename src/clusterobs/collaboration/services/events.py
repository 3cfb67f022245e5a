"""Events, their registrations and time slots, and bilateral meetings with their outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from clusterobs.collaboration import permissions
from clusterobs.collaboration.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Registration,
    TimeSlot,
)
from clusterobs.collaboration.services.agreements import create_agreement
from clusterobs.collaboration.services.checks import require, require_manager
from clusterobs.collaboration.services.notifications import managers_of, notify
from clusterobs.collaboration.services.profiles import get_or_create_profile
from clusterobs.collaboration.vocabularies import MeetingStatus
from clusterobs.registry.models import Organisation


class DoubleBookingError(Exception):
    """A participant already has a meeting in that slot."""


# -- events and bilateral meetings ---------------------------------------------------------------
def create_event(
    *,
    user: User,
    name: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    slug: str = "",
    **fields: Any,
) -> Event:
    require(permissions.can_create_event(user), "Only editors create events.")
    event = Event(
        slug=slug or slugify(name)[:200],
        name=name,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        **fields,
    )
    event.full_clean()
    event.save()
    return event


def add_slots(
    *, event: Event, user: User, first: dt.datetime, count: int, minutes: int = 30
) -> list[TimeSlot]:
    """``count`` consecutive slots of ``minutes`` from ``first``."""
    require(
        permissions.can_create_event(user)
        or (event.organiser is not None and permissions.manages(user, event.organiser)),
        "Only the organiser adds time slots.",
    )
    step = dt.timedelta(minutes=minutes)
    return [
        TimeSlot.objects.create(
            event=event, starts_at=first + i * step, ends_at=first + (i + 1) * step
        )
        for i in range(count)
    ]


def register(
    *, event: Event, organisation: Organisation, user: User, note: str = ""
) -> Registration:
    require_manager(user, organisation)
    if not event.registration_open:
        raise ValidationError("Registration for this event is closed.")
    registration, _ = Registration.objects.get_or_create(
        event=event, organisation=organisation, defaults={"registered_by": user, "note": note}
    )
    get_or_create_profile(organisation=organisation)
    return registration


def request_meeting(
    *, requester: Registration, invitee: Registration, user: User, message: str = ""
) -> MeetingRequest:
    require_manager(user, requester.organisation)
    if requester.event_id != invitee.event_id:
        raise ValidationError("Both participants must be registered for the same event.")
    if requester.pk == invitee.pk:
        raise ValidationError("A participant cannot meet itself.")
    try:
        with transaction.atomic():
            meeting_request = MeetingRequest.objects.create(
                event=requester.event, requester=requester, invitee=invitee, message=message
            )
    except IntegrityError as exc:
        raise ValidationError("You already asked this participant for a meeting.") from exc
    notify(
        users=managers_of(invitee.organisation),
        text=f"{requester.organisation} asks for a meeting at {requester.event}",
        url=f"/collaboration/events/{requester.event.slug}/",
    )
    return meeting_request


def respond_to_meeting(
    *, meeting_request: MeetingRequest, user: User, accept: bool
) -> MeetingRequest:
    require_manager(user, meeting_request.invitee.organisation)
    if meeting_request.status != MeetingStatus.PENDING:
        raise ValidationError("This meeting request was already answered.")
    meeting_request.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting_request.save(update_fields=["status"])
    notify(
        users=managers_of(meeting_request.requester.organisation),
        text=f"{meeting_request.invitee.organisation} "
        f"{'accepted' if accept else 'declined'} your meeting request",
        url=f"/collaboration/events/{meeting_request.event.slug}/",
    )
    return meeting_request


def schedule_meeting(
    *, meeting_request: MeetingRequest, slot: TimeSlot, user: User, table: str = ""
) -> Meeting:
    """Put an accepted meeting in a slot; neither participant may be booked twice in it.

    The check runs in one transaction and the database enforces it anyway (unique seat per slot
    and participant), so two schedulers racing for the same slot cannot both succeed.
    """
    requester, invitee = meeting_request.requester, meeting_request.invitee
    event = meeting_request.event
    require(
        permissions.manages(user, requester.organisation)
        or permissions.manages(user, invitee.organisation)
        or permissions.can_create_event(user)
        or (event.organiser is not None and permissions.manages(user, event.organiser)),
        "Only the participants or the organiser schedule this meeting.",
    )
    if slot.event_id != event.pk:
        raise ValidationError("This slot belongs to another event.")
    if meeting_request.status != MeetingStatus.ACCEPTED:
        raise ValidationError("Only an accepted meeting request can be scheduled.")
    busy = MeetingSeat.objects.filter(slot=slot, registration__in=[requester, invitee])
    try:
        with transaction.atomic():
            if busy.exists():
                raise DoubleBookingError("A participant already has a meeting in this slot.")
            meeting = Meeting.objects.create(request=meeting_request, slot=slot, table=table)
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(meeting=meeting, slot=slot, registration=requester),
                    MeetingSeat(meeting=meeting, slot=slot, registration=invitee),
                ]
            )
            meeting_request.status = MeetingStatus.SCHEDULED
            meeting_request.save(update_fields=["status"])
    except IntegrityError as exc:
        raise DoubleBookingError("A participant already has a meeting in this slot.") from exc
    notify(
        users=managers_of(requester.organisation) + managers_of(invitee.organisation),
        text=f"Meeting {requester.organisation} – {invitee.organisation} at {slot}",
        url=f"/collaboration/events/{event.slug}/",
    )
    return meeting


def record_outcome(
    *,
    meeting: Meeting,
    user: User,
    outcome: str,
    start_agreement: str = "",
    agreement_kind: str = "mou",
) -> Meeting:
    """After the meeting: what came of it, optionally the agreement it started (status planned)."""
    requester = meeting.request.requester.organisation
    invitee = meeting.request.invitee.organisation
    require(
        permissions.manages(user, requester) or permissions.manages(user, invitee),
        "Only the participants record the outcome.",
    )
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError("Outcomes are recorded after the meeting.")
    with transaction.atomic():
        if start_agreement:
            meeting.agreement = create_agreement(
                user=user,
                parties=[requester, invitee],
                title=start_agreement,
                key=f"{slugify(start_agreement)[:100]}-{meeting.pk}",
                kind=agreement_kind,
                status="planned",
                event=meeting.slot.event,
                source=f"Outcome of a meeting at {meeting.slot.event}",
            )
        meeting.outcome = outcome
        meeting.outcome_recorded_at = timezone.now()
        meeting.save()
    return meeting
