"""Answers the platform already knows: pre-filled with their source, confirmed by the manager.

Each indicator may name a ``prefill`` key; the function of that key returns ``(value, source)``
for the organisation and the assessment year, or ``None`` when the platform holds nothing. "Last
year" is the calendar year before the assessment year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q

from clusterobs.collaboration.models import Contact, Event
from clusterobs.programmes.models import ClusterInitiative, Measurement
from clusterobs.registry.models import Organisation

Prefilled = tuple[Decimal, str] | None


def _profile_number(field: str, label: str) -> Callable[[Organisation, int], Prefilled]:
    def read(org: Organisation, year: int) -> Prefilled:
        profile = getattr(org, "profile", None)
        value = getattr(profile, field, None) if profile else None
        if value is None:
            return None
        return Decimal(value), f"Registry profile of {org.name}: {label}"

    return read


def _sme_share(org: Organisation, year: int) -> Prefilled:
    profile = getattr(org, "profile", None)
    total = profile.members_total if profile else None
    if not total or profile.members_sme is None:
        return None
    share = (Decimal(profile.members_sme) * 100 / total).quantize(Decimal("0.1"))
    return share, (
        f"Registry profile of {org.name}: {profile.members_sme} SMEs of {total} members by type"
    )


def _age(org: Organisation, year: int) -> Prefilled:
    profile = getattr(org, "profile", None)
    founded = profile.founding_year if profile else None
    if not founded or founded > year:
        return None
    return Decimal(year - founded), f"Registry profile of {org.name}: founded in {founded}"


def _events(org: Organisation, year: int) -> Prefilled:
    n = Event.objects.filter(organiser=org, starts_on__year=year - 1).count()
    return Decimal(n), f"Events on this platform organised by {org.name} in {year - 1}"


def _initiatives(org: Organisation, year: int) -> Prefilled:
    start = dt.date(year, 1, 1)
    n = (
        ClusterInitiative.objects.filter(implementing_agency=org)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .count()
    )
    return Decimal(n), f"Programme records: initiatives implemented by {org.name} running in {year}"


def _contacts(org: Organisation, year: int) -> Prefilled:
    n = (
        Contact.objects.filter(Q(sender_org=org) | Q(recipient_org=org))
        .filter(status="accepted", created_at__year=year - 1)
        .count()
    )
    return Decimal(n), f"Partner contacts accepted on this platform in {year - 1}"


def _agreements(org: Organisation, year: int) -> Prefilled:
    n = org.agreements.exclude(status__in=["ended", "completed"]).count()
    return Decimal(n), f"Cooperation agreements of {org.name} recorded on this platform"


def _international(org: Organisation, year: int) -> Prefilled:
    n = 0
    for agreement in org.agreements.exclude(status__in=["ended", "completed"]).prefetch_related(
        "parties"
    ):
        if any(
            p.pk != org.pk
            and p.kind == "cluster_organisation"
            and p.country not in ("", org.country)
            for p in agreement.parties.all()
        ):
            n += 1
    return Decimal(n), "Agreements on this platform with a cluster organisation abroad"


SOURCES: dict[str, Callable[[Organisation, int], Prefilled]] = {
    "members_total": lambda org, year: (
        (Decimal(org.profile.members_total), f"Registry profile of {org.name}: members by type")
        if getattr(org, "profile", None) and org.profile.members_total is not None
        else None
    ),
    "members_sme_share": _sme_share,
    "members_research": _profile_number("members_research", "research members"),
    "members_large": _profile_number("members_large", "large company members"),
    "management_fte": _profile_number("management_fte", "management staff (FTE)"),
    "age_years": _age,
    "events_organised": _events,
    "programme_initiatives": _initiatives,
    "partner_contacts": _contacts,
    "agreements": _agreements,
    "international_agreements": _international,
}


def prefill(org: Organisation, key: str, year: int) -> Prefilled:
    source = SOURCES.get(key)
    return source(org, year) if source else None


def from_measurements(org: Organisation, me_indicator: str, year: int) -> Prefilled:
    """The latest M&E measurement (up to the assessment year) of an overlapping programme
    indicator, in the initiatives the organisation implements."""
    m = (
        Measurement.objects.filter(
            tracked__indicator__key=me_indicator,
            tracked__initiative__implementing_agency=org,
            measured_on__year__lte=year,
        )
        .select_related("tracked__indicator", "tracked__initiative")
        .order_by("-measured_on", "-pk")
        .first()
    )
    if m is None:
        return None
    return m.value, (
        f"Programme M&E: {m.tracked.indicator.name} of {m.tracked.initiative.name} "
        f"measured on {m.measured_on.isoformat()} ({m.source})"
    )
