"""Who may read and edit programme records.

* editors and admins (registry roles): everything;
* an *implementing agency* (managers of the initiative's implementing organisation) edits
  only its own initiatives: stages, documents, applications, indicators, surveys;
* a *funder* (managers of one of the initiative's funding agencies, or of an organisation
  registered as a ``SchemeFunder`` of its scheme) reads that initiative in full;
* everyone else, anonymous included, sees only published initiatives' summary (name, cluster,
  scheme, stage, dates): no budget, applications, documents or measurements.

API writes need a token, as in the registry (``RegistryPermission``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from rest_framework import permissions
from rest_framework.request import Request

from clusterobs.registry.permissions import is_admin, is_editor

__all__ = ["is_admin", "is_editor"]


def _org_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(user.managed_organisations.values_list("pk", flat=True))


def can_create_initiative(user: User | AnonymousUser) -> bool:
    """Editors create initiatives; so do managers of an organisation (as its implementer)."""
    return is_editor(user) or bool(_org_ids(user))


def can_edit_initiative(user: User | AnonymousUser, initiative: Any) -> bool:
    if not user.is_authenticated:
        return False
    if is_editor(user):
        return True
    return initiative.implementing_agency_id in _org_ids(user)


def full_access_filter(user: User | AnonymousUser) -> Q | None:
    """Initiatives the user reads in full (None = all of them)."""
    if is_editor(user):
        return None
    orgs = _org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    from clusterobs.programmes.models import SchemeFunder

    funded_schemes = SchemeFunder.objects.filter(organisation__in=orgs).values("scheme")
    return (
        Q(implementing_agency__in=orgs)
        | Q(funding_agencies__in=orgs)
        | Q(scheme__in=funded_schemes)
    )


def can_read_full(user: User | AnonymousUser, initiative: Any) -> bool:
    condition = full_access_filter(user)
    if condition is None:
        return True
    model = type(initiative)
    return model.objects.filter(condition, pk=initiative.pk).exists()


def visible(qs: QuerySet, user: User | AnonymousUser) -> QuerySet:
    """Published initiatives, plus every initiative the user reads in full."""
    condition = full_access_filter(user)
    if condition is None:
        return qs
    return qs.filter(Q(published=True) | condition).distinct()


def full(qs: QuerySet, user: User | AnonymousUser) -> QuerySet:
    condition = full_access_filter(user)
    return qs if condition is None else qs.filter(condition).distinct()


class ProgrammePermission(permissions.BasePermission):
    """Reads filtered by the selectors; writes need a token and edit rights on the initiative."""

    message = "You may not change this initiative."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.auth is None:
            self.message = "API writes need a token: send 'Authorization: Token <key>'."
            return False
        return request.user.is_authenticated

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        from clusterobs.programmes.models import ClusterInitiative

        # ``ClusterInitiative.initiative`` is the registry record: only children delegate.
        initiative = obj if isinstance(obj, ClusterInitiative) else obj.initiative
        return can_edit_initiative(request.user, initiative)
