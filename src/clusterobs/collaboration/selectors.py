"""Reads of the collaboration app: visibility rules and the matchmaking index in one place."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Max, Q, QuerySet

from clusterobs.collaboration import labels
from clusterobs.collaboration.models import (
    Agreement,
    ClusterRelatedness,
    CollaborationProfile,
    Contact,
    Event,
    MeetingRequest,
    Notification,
    PartnerRequest,
    Registration,
    TimeSlot,
    VerificationRequest,
)
from clusterobs.collaboration.vocabularies import VerificationStatus, Visibility
from clusterobs.registry.models import Organisation, OrganisationSector
from clusterobs.registry.permissions import is_admin

if TYPE_CHECKING:  # scikit-learn is imported only when suggestions are first asked for
    from clusterobs.collaboration import matchmaking

UserLike = User | AnonymousUser


def managed_organisations(user: UserLike) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_admin(user):
        return Organisation.objects.all().order_by("name")
    return Organisation.objects.filter(managers=user).order_by("name")


# -- profiles ------------------------------------------------------------------------------------
def profile_of(organisation: Organisation) -> CollaborationProfile | None:
    return CollaborationProfile.objects.filter(organisation=organisation, initiative=None).first()


def organisation_for_profile(user: UserLike, slug: str) -> Organisation | None:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        return None
    if org.published or (
        user.is_authenticated and managed_organisations(user).filter(pk=org.pk).exists()
    ):
        return org
    return None


def profiles(user: UserLike) -> QuerySet[CollaborationProfile]:
    qs = CollaborationProfile.objects.select_related("organisation", "initiative")
    if is_admin(user):
        return qs
    visible = Q(published=True, organisation__published=True)
    if user.is_authenticated:
        visible |= Q(organisation__managers=user)
    return qs.filter(visible).distinct()


def pending_verifications() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.filter(status=VerificationStatus.PENDING).select_related(
        "organisation", "requested_by"
    )


# -- partner requests ----------------------------------------------------------------------------
def _request_visibility(user: UserLike) -> Q:
    if not user.is_authenticated:
        return Q(visibility=Visibility.PUBLIC)
    return (
        Q(visibility=Visibility.PUBLIC)
        | Q(visibility=Visibility.REGISTERED)
        | Q(organisation__managers=user)
        | Q(audience__managers=user)
    )


def partner_requests(user: UserLike) -> QuerySet[PartnerRequest]:
    """Requests the user may see: public ones; for logged-in users also 'registered' ones; private
    ones only for the author's and the chosen audience's managers (admins see all)."""
    qs = PartnerRequest.objects.select_related("organisation")
    if is_admin(user):
        return qs
    ids = PartnerRequest.objects.filter(_request_visibility(user)).values("pk")
    return qs.filter(pk__in=ids)


def can_see_request(user: UserLike, request: PartnerRequest) -> bool:
    return partner_requests(user).filter(pk=request.pk).exists()


def partner_request_detail(user: UserLike, pk: int) -> PartnerRequest | None:
    return partner_requests(user).filter(pk=pk).first()


# -- contacts and notifications -----------------------------------------------------------------
def contacts(user: UserLike) -> QuerySet[Contact]:
    """Contacts sent or received by organisations the user manages."""
    if not user.is_authenticated:
        return Contact.objects.none()
    orgs = managed_organisations(user).values("pk")
    return (
        Contact.objects.filter(Q(sender_org__in=orgs) | Q(recipient_org__in=orgs))
        .select_related("sender_org", "recipient_org", "request")
        .distinct()
    )


def contact_detail(user: UserLike, pk: int) -> Contact | None:
    return contacts(user).filter(pk=pk).first()


def notifications(user: UserLike) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user: UserLike) -> int:
    return notifications(user).filter(read_at__isnull=True).count()


# -- agreements and events -----------------------------------------------------------------------
def agreements() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related("parties")


def events() -> QuerySet[Event]:
    return Event.objects.annotate(n_participants=Count("registrations"))


def event_detail(slug: str) -> Event | None:
    return Event.objects.filter(slug=slug).select_related("organiser").first()


def schedule(event: Event) -> list[dict]:
    """Every slot with its meetings (the public schedule of bilateral meetings)."""
    result = []
    slots = event.slots.prefetch_related(
        "meetings__request__requester__organisation", "meetings__request__invitee__organisation"
    )
    for slot in slots:
        result.append({"slot": slot, "meetings": list(slot.meetings.all())})
    return result


def free_slots(meeting_request: MeetingRequest) -> QuerySet[TimeSlot]:
    """Slots where neither participant has a meeting yet."""
    return meeting_request.event.slots.exclude(
        seats__registration__in=[meeting_request.requester_id, meeting_request.invitee_id]
    )


def meeting_requests_for(user: UserLike, event: Event) -> QuerySet[MeetingRequest]:
    if not user.is_authenticated:
        return MeetingRequest.objects.none()
    regs = Registration.objects.filter(event=event, organisation__in=managed_organisations(user))
    return (
        MeetingRequest.objects.filter(Q(requester__in=regs) | Q(invitee__in=regs))
        .select_related("requester__organisation", "invitee__organisation")
        .distinct()
    )


# -- matchmaking ---------------------------------------------------------------------------------
def relatedness(classification: str = "USCMP") -> matchmaking.Relatedness:
    from clusterobs.collaboration import matchmaking

    rel = matchmaking.Relatedness()
    for row in ClusterRelatedness.objects.filter(classification=classification).values_list(
        "code", "name", "related_code", "related_name", "percentile", "io_percentile"
    ):
        code, name, other, other_name, pct, io = row
        key, other_key = f"{classification}:{code}", f"{classification}:{other}"
        rel.pairs.setdefault(key, {})[other_key] = (pct, io)
        rel.names[key] = name
        rel.names[other_key] = other_name
    return rel


def _phrases(value: dict | None) -> tuple[str, ...]:
    return tuple(str(x) for items in (value or {}).values() for x in items)


def candidate_profiles(*, hide_sectors_of: int | None = None) -> list[matchmaking.Profile]:
    """Every published organisation as a matchmaking profile (registry facts + its
    collaboration profile, if any). ``hide_sectors_of`` drops one organisation's sector codes
    (used by the evaluation to hold out the answer)."""
    from clusterobs.collaboration import matchmaking

    orgs = Organisation.objects.filter(published=True).select_related("profile")
    sectors: dict[int, set[str]] = {}
    titles: dict[int, list[str]] = {}
    for org_id, classification, code, title in OrganisationSector.objects.values_list(
        "organisation_id", "classification", "code", "title"
    ):
        if org_id == hide_sectors_of:
            continue
        sectors.setdefault(org_id, set()).add(f"{classification}:{code}")
        if title:
            titles.setdefault(org_id, []).append(title)
    collab = {
        p.organisation_id: p
        for p in CollaborationProfile.objects.filter(initiative=None, published=True)
    }
    # Only labels valid today count (an expired or merely claimed label counts for nothing).
    held = labels.valid_labels()
    result = []
    for org in orgs:
        reg = getattr(org, "profile", None)
        cp = collab.get(org.pk)
        text = " ".join(
            [org.name, org.description, *titles.get(org.pk, []), cp.summary if cp else ""]
        )
        result.append(
            matchmaking.Profile(
                id=org.pk,
                name=org.name,
                country=org.country,
                kind=org.kind,
                sectors=frozenset(sectors.get(org.pk, ())),
                value_chains=frozenset(reg.value_chains if reg else ()),
                offers=_phrases(cp.offers) if cp else (),
                needs=_phrases(cp.needs) if cp else (),
                target_countries=frozenset(cp.target_countries if cp else ()),
                emerging_fields=frozenset(cp.emerging_fields if cp else ()),
                labels=frozenset(x.name for x in held.get(org.pk, ())),
                languages=frozenset(cp.languages if cp else ()),
                text=text,
                verified=bool(cp and cp.verified),
            )
        )
    return result


_CACHE: dict[str, object] = {}
_LOCK = threading.Lock()


def _data_version() -> tuple:
    """Changes whenever anything the index is built from changes (cheap aggregate queries)."""
    orgs = Organisation.objects.aggregate(n=Count("id"), t=Max("updated_at"), v=Max("version"))
    profiles_ = CollaborationProfile.objects.aggregate(
        n=Count("id"), t=Max("updated_at"), v=Max("version")
    )
    return (
        tuple(orgs.values()),
        tuple(profiles_.values()),
        OrganisationSector.objects.count(),
        ClusterRelatedness.objects.count(),
        labels.version(),
    )


def match_index() -> matchmaking.MatchIndex:
    """The matchmaking index, rebuilt only when the underlying data changed (per process)."""
    from clusterobs.collaboration import matchmaking

    version = _data_version()
    with _LOCK:
        if _CACHE.get("version") != version:
            _CACHE["index"] = matchmaking.MatchIndex(
                candidate_profiles(), relatedness=relatedness()
            )
            _CACHE["version"] = version
        return _CACHE["index"]  # type: ignore[return-value]


def query_for_organisation(organisation: Organisation) -> matchmaking.Profile:
    from clusterobs.collaboration import matchmaking

    index = match_index()
    row = index.row_of.get(organisation.pk)
    if row is not None:
        return index.profiles[row]
    return next(
        (p for p in candidate_profiles() if p.id == organisation.pk),
        matchmaking.Profile(id=organisation.pk, name=organisation.name, text=organisation.name),
    )


def query_for_request(request: PartnerRequest) -> matchmaking.Profile:
    from clusterobs.collaboration import matchmaking

    org = request.organisation
    return matchmaking.Profile(
        id=org.pk,
        name=request.title,
        country=org.country,
        sectors=frozenset(request.sector_codes),
        needs=tuple(request.technologies),
        target_countries=frozenset(request.countries),
        text=f"{request.title} {request.description} {' '.join(request.technologies)}",
        wanted_kinds=frozenset(request.partner_kinds),
    )


def suggestions_for_organisation(
    organisation: Organisation, *, limit: int = 20
) -> list[matchmaking.Suggestion]:
    return match_index().suggest(query_for_organisation(organisation), limit=limit)


def suggestions_for_request(
    request: PartnerRequest, *, limit: int = 20
) -> list[matchmaking.Suggestion]:
    """Suggested partners for a request; organisations that already answered are left out."""
    answered = request.interests.values_list("sender_org_id", flat=True)
    return match_index().suggest(query_for_request(request), limit=limit, exclude=list(answered))
