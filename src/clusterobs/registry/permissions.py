"""Who may read and edit what.

Roles: anonymous users read published records; *editors* (group ``editors``) create and edit
every registry record; a cluster organisation's *managers* edit only that organisation and its
profile; *admins* (staff) do everything. API writes need a token (not a browser session), so a
script's rights are always explicit. Each rule is tested in ``tests/registry/test_permissions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from rest_framework import permissions
from rest_framework.request import Request

EDITORS_GROUP = "editors"


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff))


def is_editor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return user.groups.filter(name=EDITORS_GROUP).exists()


def can_see_unpublished(user: User | AnonymousUser) -> bool:
    return is_editor(user)


def can_create(user: User | AnonymousUser, model_name: str) -> bool:
    """Editors and admins create any record; nobody else creates."""
    return is_editor(user)


def can_edit(user: User | AnonymousUser, obj: Any) -> bool:
    """Editors edit everything; an organisation's managers edit that organisation only."""
    if not user.is_authenticated:
        return False
    if is_editor(user):
        return True
    from clusterobs.registry.models import Organisation

    if isinstance(obj, Organisation):
        return obj.managers.filter(pk=user.pk).exists()
    return False


class RegistryPermission(permissions.BasePermission):
    """DRF permission implementing the rules above; writes require token authentication."""

    message = "You may not change this record."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.auth is None:
            self.message = "API writes need a token: send 'Authorization: Token <key>'."
            return False
        if request.method == "POST":
            return can_create(request.user, getattr(view, "model_name", ""))
        return request.user.is_authenticated

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return is_editor(request.user)
        return can_edit(request.user, obj)
