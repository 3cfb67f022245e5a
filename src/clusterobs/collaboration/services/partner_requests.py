"""Partner search requests: publish, close, follow."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from clusterobs.collaboration.models import PartnerRequest, RequestFollow
from clusterobs.collaboration.services.checks import require, require_manager
from clusterobs.collaboration.services.notifications import managers_of, notify
from clusterobs.collaboration.vocabularies import RequestStatus, Visibility
from clusterobs.registry.models import Organisation


# -- partner search requests --------------------------------------------------------------------
def create_partner_request(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    description: str = "",
    partner_kinds: list[str] | None = None,
    sector_codes: list[str] | None = None,
    technologies: list[str] | None = None,
    countries: list[str] | None = None,
    deadline: dt.date | None = None,
    visibility: str = Visibility.PUBLIC,
    audience: list[Organisation] | None = None,
) -> PartnerRequest:
    require_manager(user, organisation)
    audience = audience or []
    if visibility == Visibility.AUDIENCE and not audience:
        raise ValidationError({"audience": "A private request needs at least one organisation."})
    for code in sector_codes or []:
        if ":" not in code:
            raise ValidationError({"sector_codes": f"{code!r}: write CLASSIFICATION:code"})
    with transaction.atomic():
        request = PartnerRequest(
            organisation=organisation,
            created_by=user,
            title=title,
            description=description,
            partner_kinds=partner_kinds or [],
            sector_codes=sector_codes or [],
            technologies=technologies or [],
            countries=[c.upper() for c in countries or []],
            deadline=deadline,
            visibility=visibility,
        )
        request.full_clean()
        request.save()
        request.audience.set(audience)
    if visibility == Visibility.AUDIENCE:
        notify(
            users=[u for org in audience for u in managers_of(org)],
            text=f"{organisation} invites you to a partner search: {title}",
            url=f"/collaboration/requests/{request.pk}/",
        )
    return request


def close_partner_request(*, request: PartnerRequest, user: User) -> PartnerRequest:
    require_manager(user, request.organisation)
    request.status = RequestStatus.CLOSED
    request.version += 1
    request.save(update_fields=["status", "version", "updated_at"])
    notify(
        users=[f.user for f in request.follows.select_related("user")],
        text=f"Partner search closed: {request.title}",
        url=f"/collaboration/requests/{request.pk}/",
    )
    return request


def follow_request(*, request: PartnerRequest, user: User) -> RequestFollow:
    from clusterobs.collaboration.selectors import can_see_request

    require(can_see_request(user, request), "You cannot see this request.")
    follow, _ = RequestFollow.objects.get_or_create(request=request, user=user)
    return follow


def unfollow_request(*, request: PartnerRequest, user: User) -> None:
    RequestFollow.objects.filter(request=request, user=user).delete()
