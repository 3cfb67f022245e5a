"""Writes of the collaboration app: keyword-only, typed functions (HackSoft style).

Every function checks who may do it (raising ``PermissionDenied``), so the web pages and the API
cannot drift apart on the rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from clusterobs.collaboration import permissions
from clusterobs.collaboration.models import (
    Agreement,
    ClusterRelatedness,
    CollaborationProfile,
    Contact,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Message,
    Notification,
    PartnerRequest,
    Registration,
    RequestFollow,
    TimeSlot,
    VerificationRequest,
)
from clusterobs.collaboration.vocabularies import (
    ContactStatus,
    MeetingStatus,
    OfferCategory,
    RequestStatus,
    VerificationStatus,
    Visibility,
)
from clusterobs.imports.readers import read_table
from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import is_admin
from clusterobs.registry.services import update_record

# Verification criteria (issue "validated profiles"): waived for organisations recognised by a
# national or regional cluster programme.
MIN_MANAGEMENT_FTE = Decimal("0.5")
MIN_COMMITTED_MEMBERS = 15
MIN_MEMBER_TYPES = 2
MEMBER_TYPES = ("sme", "large", "research", "public", "other")

CONTACTS_PER_HOUR_DEFAULT = 20


class RateLimitedError(Exception):
    """Too many contact requests by one user in the last hour."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            f"You sent {limit} contact requests in the last hour, the most allowed. "
            "Please try again later."
        )


class DoubleBookingError(Exception):
    """A participant already has a meeting in that slot."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _require_manager(user: User, organisation: Organisation) -> None:
    _require(
        permissions.manages(user, organisation),
        f"Only the managers of {organisation} may do this.",
    )


# -- notifications ------------------------------------------------------------------------------
def notify(*, users: list[User], text: str, url: str = "") -> list[Notification]:
    """An in-app notification for each user, and an e-mail to those who have an address.

    Addresses are only ever used here, by the platform's mail backend: no page or API response
    shows one user's address to another.
    """
    created = []
    for user in {u.pk: u for u in users}.values():
        note = Notification.objects.create(user=user, text=text[:500], url=url)
        if user.email:
            send_mail(
                subject=f"[Cluster Observatory] {text[:80]}",
                message=f"{text}\n\n{url}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
            note.emailed = True
            note.save(update_fields=["emailed"])
        created.append(note)
    return created


def _managers(organisation: Organisation) -> list[User]:
    return list(organisation.managers.all())


def mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark the user's notification ``pk`` (or all of them) as read; only their own."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


# -- profiles -----------------------------------------------------------------------------------
PROFILE_FIELDS = {
    "summary",
    "offers",
    "needs",
    "target_countries",
    "languages",
    "emerging_fields",
    "past_cooperation",
    "published",
    "member_of",
}


def _clean_offers(value: dict[str, Any]) -> dict[str, list[str]]:
    categories = set(OfferCategory.values)
    unknown = set(value) - categories
    if unknown:
        raise ValidationError(
            {"offers": f"unknown categories {sorted(unknown)}; use {sorted(categories)}"}
        )
    return {k: [str(x).strip() for x in v if str(x).strip()] for k, v in value.items()}


def _clean_profile_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValidationError(f"profile has no fields {sorted(unknown)}")
    for key in ("offers", "needs"):
        if key in changes:
            changes[key] = _clean_offers(changes[key] or {})
    if "target_countries" in changes:
        changes["target_countries"] = [c.upper() for c in changes["target_countries"]]
    if "languages" in changes:
        changes["languages"] = [c.lower() for c in changes["languages"]]
    return changes


def get_or_create_profile(*, organisation: Organisation) -> CollaborationProfile:
    profile, _ = CollaborationProfile.objects.get_or_create(
        organisation=organisation, initiative=None
    )
    return profile


def update_profile(
    *, profile: CollaborationProfile, user: User, expected_version: int, changes: dict[str, Any]
) -> CollaborationProfile:
    """Edit a profile; only its organisation's managers may. Raises ``ConflictError`` (registry)
    when someone else saved it since ``expected_version`` was read. A project profile without an
    owning organisation is edited by editors."""
    if profile.organisation is None:
        _require(permissions.is_editor(user), "Only editors edit this project profile.")
    else:
        _require_manager(user, profile.organisation)
    return update_record(
        profile,
        user=user,
        expected_version=expected_version,
        changes=_clean_profile_changes(dict(changes)),
    )


# -- verification -------------------------------------------------------------------------------
def verification_criteria(
    *,
    management_fte: Decimal | None,
    website: str,
    website_shows_activity: bool,
    committed_members: int | None,
    member_types: list[str],
    recognised_by: str,
) -> dict[str, Any]:
    """Each criterion with its result; ``met`` is true when all pass or recognition waives them."""
    checks = {
        "management_fte": management_fte is not None and management_fte >= MIN_MANAGEMENT_FTE,
        "website_activity": bool(website) and website_shows_activity,
        "committed_members": (committed_members or 0) >= MIN_COMMITTED_MEMBERS,
        "member_types": len(set(member_types)) >= MIN_MEMBER_TYPES,
    }
    waived = bool(recognised_by.strip())
    return {
        "checks": checks,
        "waived_by_recognition": waived,
        "met": waived or all(checks.values()),
    }


def request_verification(
    *,
    organisation: Organisation,
    user: User,
    management_fte: Decimal | None = None,
    website: str = "",
    website_shows_activity: bool = False,
    committed_members: int | None = None,
    member_types: list[str] | None = None,
    recognised_by: str = "",
    evidence: str = "",
) -> VerificationRequest:
    """Ask to be listed as a verified cluster organisation. Missing figures are taken from the
    registry profile (members by type, management FTE) and the organisation's website."""
    _require_manager(user, organisation)
    registry_profile = getattr(organisation, "profile", None)
    if registry_profile is not None:
        if management_fte is None:
            management_fte = registry_profile.management_fte
        if committed_members is None:
            committed_members = registry_profile.members_total
        if member_types is None:
            member_types = [
                t for t in MEMBER_TYPES if getattr(registry_profile, f"members_{t}", None)
            ]
    member_types = [t for t in (member_types or []) if t in MEMBER_TYPES]
    website = website or organisation.website
    criteria = verification_criteria(
        management_fte=management_fte,
        website=website,
        website_shows_activity=website_shows_activity,
        committed_members=committed_members,
        member_types=member_types,
        recognised_by=recognised_by,
    )
    try:
        with transaction.atomic():
            verification = VerificationRequest.objects.create(
                organisation=organisation,
                requested_by=user,
                management_fte=management_fte,
                website=website,
                website_shows_activity=website_shows_activity,
                committed_members=committed_members,
                member_types=member_types,
                recognised_by=recognised_by,
                evidence=evidence,
                criteria=criteria,
            )
    except IntegrityError as exc:
        raise ValidationError("A verification request of this organisation is pending.") from exc
    admins = list(User.objects.filter(is_staff=True, is_active=True))
    notify(
        users=admins,
        text=f"{organisation} asks to be verified",
        url="/collaboration/verifications/",
    )
    return verification


def decide_verification(
    *, verification: VerificationRequest, user: User, approve: bool, reasons: str
) -> VerificationRequest:
    """An admin approves (criteria met or waived) or rejects (reasons required)."""
    _require(is_admin(user), "Only administrators decide verification requests.")
    if verification.status != VerificationStatus.PENDING:
        raise ValidationError("This request was already decided.")
    if approve and not verification.criteria.get("met"):
        raise ValidationError("The criteria are not met; reject with reasons instead.")
    if not approve and not reasons.strip():
        raise ValidationError("Give the reasons for a rejection.")
    with transaction.atomic():
        verification.status = (
            VerificationStatus.APPROVED if approve else VerificationStatus.REJECTED
        )
        verification.reasons = reasons
        verification.decided_by = user
        verification.decided_at = timezone.now()
        verification.save()
        profile = get_or_create_profile(organisation=verification.organisation)
        profile.verified = approve
        profile.verified_at = verification.decided_at if approve else None
        profile.save(update_fields=["verified", "verified_at"])
    verdict = "approved" if approve else f"rejected: {reasons}"
    recipients = [verification.requested_by] if verification.requested_by else []
    notify(
        users=recipients + _managers(verification.organisation),
        text=f"Verification of {verification.organisation} {verdict}",
        url=f"/collaboration/profiles/{verification.organisation.slug}/",
    )
    return verification


# -- partner search requests --------------------------------------------------------------------
def create_partner_request(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    description: str = "",
    partner_kinds: list[str] | None = None,
    sector_codes: list[str] | None = None,
    technologies: list[str] | None = None,
    countries: list[str] | None = None,
    deadline: dt.date | None = None,
    visibility: str = Visibility.PUBLIC,
    audience: list[Organisation] | None = None,
) -> PartnerRequest:
    _require_manager(user, organisation)
    audience = audience or []
    if visibility == Visibility.AUDIENCE and not audience:
        raise ValidationError({"audience": "A private request needs at least one organisation."})
    for code in sector_codes or []:
        if ":" not in code:
            raise ValidationError({"sector_codes": f"{code!r}: write CLASSIFICATION:code"})
    with transaction.atomic():
        request = PartnerRequest(
            organisation=organisation,
            created_by=user,
            title=title,
            description=description,
            partner_kinds=partner_kinds or [],
            sector_codes=sector_codes or [],
            technologies=technologies or [],
            countries=[c.upper() for c in countries or []],
            deadline=deadline,
            visibility=visibility,
        )
        request.full_clean()
        request.save()
        request.audience.set(audience)
    if visibility == Visibility.AUDIENCE:
        notify(
            users=[u for org in audience for u in _managers(org)],
            text=f"{organisation} invites you to a partner search: {title}",
            url=f"/collaboration/requests/{request.pk}/",
        )
    return request


def close_partner_request(*, request: PartnerRequest, user: User) -> PartnerRequest:
    _require_manager(user, request.organisation)
    request.status = RequestStatus.CLOSED
    request.version += 1
    request.save(update_fields=["status", "version", "updated_at"])
    notify(
        users=[f.user for f in request.follows.select_related("user")],
        text=f"Partner search closed: {request.title}",
        url=f"/collaboration/requests/{request.pk}/",
    )
    return request


def follow_request(*, request: PartnerRequest, user: User) -> RequestFollow:
    from clusterobs.collaboration.selectors import can_see_request

    _require(can_see_request(user, request), "You cannot see this request.")
    follow, _ = RequestFollow.objects.get_or_create(request=request, user=user)
    return follow


def unfollow_request(*, request: PartnerRequest, user: User) -> None:
    RequestFollow.objects.filter(request=request, user=user).delete()


# -- contacts (with consent and a rate limit) ---------------------------------------------------
def contacts_per_hour() -> int:
    return int(getattr(settings, "COLLABORATION_CONTACTS_PER_HOUR", CONTACTS_PER_HOUR_DEFAULT))


def _check_rate(user: User) -> None:
    """At most N contact requests per user per rolling hour, counted in the database.

    The count is made while the user's row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers), so concurrent requests in different worker processes cannot
    both slip under the limit; a per-process cache (LocMem) would give every worker its own
    counter.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    since = timezone.now() - dt.timedelta(hours=1)
    limit = contacts_per_hour()
    if Contact.objects.filter(sender_user=user, created_at__gte=since).count() >= limit:
        raise RateLimitedError(limit)


def _create_contact(
    *,
    sender_org: Organisation,
    recipient_org: Organisation,
    user: User,
    message: str,
    request: PartnerRequest | None,
) -> Contact:
    _require_manager(user, sender_org)
    if sender_org.pk == recipient_org.pk:
        raise ValidationError("An organisation cannot contact itself.")
    with transaction.atomic():
        _check_rate(user)
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    sender_org=sender_org,
                    sender_user=user,
                    recipient_org=recipient_org,
                    request=request,
                    message=message,
                )
        except IntegrityError as exc:
            raise ValidationError(f"{sender_org} already expressed interest.") from exc
    what = f"interest in “{request.title}”" if request else "a contact request"
    notify(
        users=_managers(recipient_org),
        text=f"{sender_org} sent {what}",
        url="/collaboration/contacts/",
    )
    return contact


def express_interest(
    *, request: PartnerRequest, sender_org: Organisation, user: User, message: str = ""
) -> Contact:
    """Tell the author of a request that ``sender_org`` is interested (their consent pending)."""
    from clusterobs.collaboration.selectors import can_see_request

    _require(can_see_request(user, request), "You cannot see this request.")
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is closed.")
    if request.deadline and request.deadline < timezone.localdate():
        raise ValidationError("The deadline of this request has passed.")
    contact = _create_contact(
        sender_org=sender_org,
        recipient_org=request.organisation,
        user=user,
        message=message,
        request=request,
    )
    RequestFollow.objects.get_or_create(request=request, user=user)
    return contact


def contact_organisation(
    *, sender_org: Organisation, recipient_org: Organisation, user: User, message: str = ""
) -> Contact:
    return _create_contact(
        sender_org=sender_org, recipient_org=recipient_org, user=user, message=message, request=None
    )


def respond_to_contact(*, contact: Contact, user: User, accept: bool) -> Contact:
    """The recipient's managers accept (consent: messages may flow) or decline."""
    _require_manager(user, contact.recipient_org)
    if contact.status != ContactStatus.PENDING:
        raise ValidationError("This contact was already answered.")
    contact.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
    contact.decided_at = timezone.now()
    contact.decided_by = user
    contact.save(update_fields=["status", "decided_at", "decided_by"])
    senders = [contact.sender_user] if contact.sender_user else []
    notify(
        users=senders + _managers(contact.sender_org),
        text=f"{contact.recipient_org} {'accepted' if accept else 'declined'} your contact",
        url=f"/collaboration/contacts/{contact.pk}/",
    )
    return contact


def send_message(*, contact: Contact, user: User, body: str) -> Message:
    """A message in an accepted contact, by a manager of either side."""
    _require(
        permissions.manages(user, contact.sender_org)
        or permissions.manages(user, contact.recipient_org),
        "Only the two organisations' managers write in this conversation.",
    )
    if contact.status != ContactStatus.ACCEPTED:
        raise ValidationError("Messages are possible once the contact is accepted.")
    if not body.strip():
        raise ValidationError("Write a message.")
    message = Message.objects.create(contact=contact, author=user, body=body)
    other = (
        contact.recipient_org
        if permissions.manages(user, contact.sender_org)
        else contact.sender_org
    )
    author_org = contact.sender_org if other == contact.recipient_org else contact.recipient_org
    notify(
        users=[u for u in _managers(other) if u.pk != user.pk],
        text=f"New message from {author_org}",
        url=f"/collaboration/contacts/{contact.pk}/",
    )
    return message


# -- personal data -------------------------------------------------------------------------------
def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the collaboration app holds about ``user``, as JSON-ready data."""

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "user": {
            "username": user.username,
            "email": user.email,
            "date_joined": when(user.date_joined),
        },
        "managed_organisations": [o.slug for o in user.managed_organisations.all()],
        "contacts_sent": [
            {
                "from": c.sender_org.slug,
                "to": c.recipient_org.slug,
                "request": c.request_id,
                "message": c.message,
                "status": c.status,
                "created_at": when(c.created_at),
            }
            for c in Contact.objects.filter(sender_user=user).select_related(
                "sender_org", "recipient_org"
            )
        ],
        "messages": [
            {"contact": m.contact_id, "body": m.body, "created_at": when(m.created_at)}
            for m in Message.objects.filter(author=user)
        ],
        "partner_requests_created": [
            {"id": r.pk, "title": r.title, "created_at": when(r.created_at)}
            for r in PartnerRequest.objects.filter(created_by=user)
        ],
        "follows": [f.request_id for f in RequestFollow.objects.filter(user=user)],
        "notifications": [
            {
                "text": n.text,
                "url": n.url,
                "created_at": when(n.created_at),
                "read": bool(n.read_at),
            }
            for n in Notification.objects.filter(user=user)
        ],
        "verification_requests": [
            {
                "organisation": v.organisation.slug,
                "status": v.status,
                "created_at": when(v.created_at),
            }
            for v in VerificationRequest.objects.filter(requested_by=user)
        ],
        "event_registrations": [
            {"event": r.event.slug, "organisation": r.organisation.slug}
            for r in Registration.objects.filter(registered_by=user).select_related(
                "event", "organisation"
            )
        ],
    }


def delete_personal_data(*, user: User, delete_account: bool = False) -> dict[str, int]:
    """Erase what the collaboration app holds about ``user``.

    Messages keep their place in a conversation (the other side's record) but lose their text
    and author; the user's notifications and follows go; contacts and requests the user sent for
    an organisation stay the organisation's, without the user's name. With ``delete_account`` the
    account itself is deleted too.
    """
    with transaction.atomic():
        counts = {
            "messages": Message.objects.filter(author=user).update(
                author=None, body="[deleted by its author]"
            ),
            "notifications": Notification.objects.filter(user=user).delete()[0],
            "follows": RequestFollow.objects.filter(user=user).delete()[0],
            "contacts": Contact.objects.filter(sender_user=user).update(sender_user=None),
            "requests": PartnerRequest.objects.filter(created_by=user).update(created_by=None),
            "registrations": Registration.objects.filter(registered_by=user).update(
                registered_by=None
            ),
        }
        if delete_account:
            user.delete()
            counts["account"] = 1
    return counts


# -- cluster relatedness -------------------------------------------------------------------------
def import_relatedness(path: str | Path, *, classification: str = "USCMP", source: str = "") -> int:
    """Load a relatedness table (U.S. Cluster Mapping ``relatedClusters`` layout) into the
    database, replacing the rows of that classification. One transaction: a bad row fails all.

    Required columns: ``cluster_code``, ``cluster_name``, ``cluster_code_2``, ``cluster_name_2``,
    ``cr_all``, ``cr_all_pc``, ``rel_all_90_v3``; optional ``cr_io_pc``.
    """
    path = Path(path)
    rows = []
    for row in read_table(path).rows:  # the guarded reader: size, encoding, cell checks
        cells = row.cells
        try:
            io = cells.get("cr_io_pc") or ""
            rows.append(
                ClusterRelatedness(
                    classification=classification,
                    code=cells["cluster_code"],
                    name=cells["cluster_name"],
                    related_code=cells["cluster_code_2"],
                    related_name=cells["cluster_name_2"],
                    relatedness=float(cells["cr_all"]),
                    percentile=int(float(cells["cr_all_pc"])),
                    related=cells["rel_all_90_v3"] == "1",
                    io_percentile=int(float(io)) if io else None,
                    source=source or path.name,
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"{path.name}, row {row.number}: {exc!r}") from exc
    with transaction.atomic():
        ClusterRelatedness.objects.filter(classification=classification).delete()
        ClusterRelatedness.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# -- agreements ----------------------------------------------------------------------------------
AGREEMENT_FIELDS = {
    "title",
    "kind",
    "signed_on",
    "signed_on_precision",
    "starts_on",
    "ends_on",
    "scope",
    "status",
    "status_note",
    "outcomes",
    "documents",
    "source",
    "source_detail",
}


def create_agreement(
    *, user: User | None, parties: list[Organisation], title: str, key: str = "", **fields: Any
) -> Agreement:
    """Record an agreement. Editors, admins, or a manager of one of the parties (``user=None``
    is the starter loader)."""
    if user is not None:
        _require(
            permissions.is_editor(user) or any(permissions.manages(user, p) for p in parties),
            "Only editors or a party's managers record an agreement.",
        )
    unknown = set(fields) - AGREEMENT_FIELDS - {"event"}
    if unknown:
        raise ValidationError(f"agreement has no fields {sorted(unknown)}")
    with transaction.atomic():
        agreement = Agreement(
            key=key or slugify(title)[:120], title=title, created_by=user, **fields
        )
        agreement.full_clean()
        agreement.save()
        agreement.parties.set(parties)
    return agreement


def update_agreement(
    *, agreement: Agreement, user: User, expected_version: int, changes: dict[str, Any]
) -> Agreement:
    _require(permissions.can_edit_agreement(user, agreement), "You may not edit this agreement.")
    unknown = set(changes) - AGREEMENT_FIELDS - {"parties"}
    if unknown:
        raise ValidationError(f"agreement has no fields {sorted(unknown)}")
    return update_record(agreement, user=user, expected_version=expected_version, changes=changes)


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
    _require(permissions.can_create_event(user), "Only editors create events.")
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
    _require(
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
    _require_manager(user, organisation)
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
    _require_manager(user, requester.organisation)
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
        users=_managers(invitee.organisation),
        text=f"{requester.organisation} asks for a meeting at {requester.event}",
        url=f"/collaboration/events/{requester.event.slug}/",
    )
    return meeting_request


def respond_to_meeting(
    *, meeting_request: MeetingRequest, user: User, accept: bool
) -> MeetingRequest:
    _require_manager(user, meeting_request.invitee.organisation)
    if meeting_request.status != MeetingStatus.PENDING:
        raise ValidationError("This meeting request was already answered.")
    meeting_request.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting_request.save(update_fields=["status"])
    notify(
        users=_managers(meeting_request.requester.organisation),
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
    _require(
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
        users=_managers(requester.organisation) + _managers(invitee.organisation),
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
    _require(
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
