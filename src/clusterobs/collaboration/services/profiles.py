"""Collaboration profiles: what an organisation offers and seeks, and who sees it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from clusterobs.collaboration import permissions
from clusterobs.collaboration.models import CollaborationProfile
from clusterobs.collaboration.services.checks import require, require_manager
from clusterobs.collaboration.vocabularies import OfferCategory
from clusterobs.registry.models import Organisation
from clusterobs.registry.services import update_record

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
        require(permissions.is_editor(user), "Only editors edit this project profile.")
    else:
        require_manager(user, profile.organisation)
    return update_record(
        profile,
        user=user,
        expected_version=expected_version,
        changes=_clean_profile_changes(dict(changes)),
    )
