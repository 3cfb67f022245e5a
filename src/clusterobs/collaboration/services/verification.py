"""Verified profiles: the criteria (waived for organisations a cluster programme recognises),
the request and the editors' decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterobs.collaboration.models import VerificationRequest
from clusterobs.collaboration.services.checks import require, require_manager
from clusterobs.collaboration.services.notifications import managers_of, notify
from clusterobs.collaboration.services.profiles import get_or_create_profile
from clusterobs.collaboration.vocabularies import VerificationStatus
from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import is_admin

# Verification criteria (issue "validated profiles"): waived for organisations recognised by a
# national or regional cluster programme.
MIN_MANAGEMENT_FTE = Decimal("0.5")


MIN_COMMITTED_MEMBERS = 15


MIN_MEMBER_TYPES = 2


MEMBER_TYPES = ("sme", "large", "research", "public", "other")


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
    require_manager(user, organisation)
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
    require(is_admin(user), "Only administrators decide verification requests.")
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
        users=recipients + managers_of(verification.organisation),
        text=f"Verification of {verification.organisation} {verdict}",
        url=f"/collaboration/profiles/{verification.organisation.slug}/",
    )
    return verification
