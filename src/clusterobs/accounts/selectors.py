"""Reads of the onboarding pages."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from clusterobs.accounts.models import ClaimStatus, OrganisationClaim
from clusterobs.registry.models import Organisation


def claims_of(user: User) -> QuerySet[OrganisationClaim]:
    return OrganisationClaim.objects.filter(user=user).select_related("organisation", "decided_by")


def pending_claims() -> QuerySet[OrganisationClaim]:
    """The administrators' queue, oldest first."""
    return (
        OrganisationClaim.objects.filter(status=ClaimStatus.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at", "id")
    )


def decided_claims(limit: int = 50) -> list[OrganisationClaim]:
    return list(
        OrganisationClaim.objects.exclude(status=ClaimStatus.PENDING)
        .select_related("user", "organisation", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def managed_organisations(user: User) -> QuerySet[Organisation]:
    return user.managed_organisations.order_by("name")


def unconfirmed_user(email: str) -> User | None:
    """The unconfirmed account of ``email``, if any (for resending its link)."""
    return User.objects.filter(email__iexact=email.strip(), is_active=False).first()
