"""Who may do what in the collaboration app (each rule is tested in ``tests/collaboration``).

* A profile, a partner request and contacts are acted on *for an organisation*: only that
  organisation's managers (``Organisation.managers``) may, plus admins (staff).
* Verification decisions: admins only.
* Agreements: editors, admins, and managers of one of the parties.
* Events: editors and admins create them; managers of a registered organisation act for it.
* API writes need a token, as in the registry (a script's rights are always explicit).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from rest_framework import permissions
from rest_framework.request import Request

from clusterobs.registry.models import Organisation
from clusterobs.registry.permissions import is_admin, is_editor

UserLike = User | AnonymousUser


def manages(user: UserLike, organisation: Organisation) -> bool:
    """True for the organisation's managers and for admins."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return organisation.managers.filter(pk=user.pk).exists()


def can_edit_agreement(user: UserLike, agreement: Any) -> bool:
    if is_editor(user):
        return True
    return user.is_authenticated and agreement.parties.filter(managers=user).exists()


def can_create_event(user: UserLike) -> bool:
    return is_editor(user)


class CollaborationPermission(permissions.BasePermission):
    """Reads follow the selectors' visibility rules; writes need a token and a logged-in user.

    Object-level rules live in the services (they raise ``PermissionDenied``), so the web pages
    and the API enforce the same rules.
    """

    message = "API writes need a token: send 'Authorization: Token <key>'."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.auth is not None and request.user.is_authenticated
