"""Agreements between organisations (MoUs, consortia, partnerships)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from clusterobs.collaboration import permissions
from clusterobs.collaboration.models import AGREEMENT_FIELDS, Agreement
from clusterobs.collaboration.services.checks import require
from clusterobs.registry.models import Organisation
from clusterobs.registry.services import update_record


def create_agreement(
    *, user: User | None, parties: list[Organisation], title: str, key: str = "", **fields: Any
) -> Agreement:
    """Record an agreement. Editors, admins, or a manager of one of the parties (``user=None``
    is the starter loader)."""
    if user is not None:
        require(
            permissions.is_editor(user) or any(permissions.manages(user, p) for p in parties),
            "Only editors or a party's managers record an agreement.",
        )
    unknown = set(fields) - set(AGREEMENT_FIELDS) - {"event"}
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
    require(permissions.can_edit_agreement(user, agreement), "You may not edit this agreement.")
    unknown = set(changes) - set(AGREEMENT_FIELDS) - {"parties"}
    if unknown:
        raise ValidationError(f"agreement has no fields {sorted(unknown)}")
    return update_record(agreement, user=user, expected_version=expected_version, changes=changes)
