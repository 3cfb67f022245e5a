"""Who may do it: the permission checks every collaboration service starts with (raising
``PermissionDenied``), so the web pages and the API cannot drift apart on the rules."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from clusterobs.collaboration import permissions
from clusterobs.registry.models import Organisation


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def require_manager(user: User, organisation: Organisation) -> None:
    require(
        permissions.manages(user, organisation),
        f"Only the managers of {organisation} may do this.",
    )
