"""Writes the edit pages need beyond ``registry.services`` (candidates to move there).

An organisation and its profile are edited on one page: the profile has no version of its own,
so both are saved in one transaction behind the organisation's version check. A stale page
therefore changes neither the organisation nor its profile.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clusterobs.registry import services
from clusterobs.registry.models import Organisation, OrganisationProfile


def update_organisation_with_profile(
    organisation: Organisation,
    *,
    user: Any,
    expected_version: int,
    changes: dict[str, Any],
    profile_changes: dict[str, Any],
) -> Organisation:
    """Update an organisation and its profile atomically; raises ``services.ConflictError``."""
    with transaction.atomic():
        updated = services.update_record(
            organisation, user=user, expected_version=expected_version, changes=changes
        )
        profile, _ = OrganisationProfile.objects.get_or_create(organisation=updated)
        for field, value in profile_changes.items():
            setattr(profile, field, value)
        profile.full_clean()
        profile.save()
    return updated
