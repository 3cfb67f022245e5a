"""Reads of the excellence app: valid labels (for badges, matchmaking and funding rules), the
public label registry and verification, and what each role may list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from clusterobs.collaboration.labels import HeldLabel
from clusterobs.excellence import permissions
from clusterobs.excellence.models import (
    Application,
    Assessment,
    Framework,
    Label,
    LabelLevel,
)
from clusterobs.registry.models import Organisation


def valid_on(day: dt.date) -> Q:
    """Labels valid on ``day`` (validity is computed from the dates; nothing has to run)."""
    return Q(awarded_on__lte=day, expires_on__gt=day) & (
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
    )


def held_labels(org_ids: Collection[int] | None = None) -> dict[int, list[HeldLabel]]:
    today = timezone.localdate()
    labels = Label.objects.filter(valid_on(today)).select_related("level")
    if org_ids is not None:
        labels = labels.filter(organisation_id__in=list(org_ids))
    held: dict[int, list[HeldLabel]] = {}
    for label in labels.order_by("-level__rank"):
        held.setdefault(label.organisation_id, []).append(
            HeldLabel(
                name=label.level.name,
                level=label.level.key,
                number=label.number,
                expires_on=label.expires_on.isoformat(),
                url=reverse("excellence:label", args=[label.number]),
            )
        )
    return held


def labels_version() -> tuple:
    """Changes when a label is added or changed, and every day (labels expire by date)."""
    agg = Label.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (timezone.localdate().isoformat(), agg["n"], agg["t"])


def label_facts(organisation_id: int, on: dt.date) -> dict[str, Any]:
    """``labels``: the level keys the organisation holds valid on ``on``, with the lower levels
    a higher one includes (a Gold-like holder meets a rule asking for Silver)."""
    ranks = Label.objects.filter(valid_on(on), organisation_id=organisation_id).values_list(
        "level__rank", flat=True
    )
    top = max(ranks, default=0)
    keys = sorted(LabelLevel.objects.filter(rank__lte=top).values_list("key", flat=True))
    return {"labels": keys if top else []}


def label_status(label: Label, on: dt.date | None = None) -> str:
    on = on or timezone.localdate()
    if label.revoked_on and label.revoked_on <= on:
        return "revoked"
    if on < label.awarded_on:
        return "not_yet_valid"
    return "valid" if on < label.expires_on else "expired"


def verification(number: str) -> dict[str, Any] | None:
    """What anyone may check about a label by its number."""
    label = Label.objects.select_related("organisation", "level").filter(number=number).first()
    if label is None:
        return None
    status = label_status(label)
    return {
        "number": label.number,
        "status": status,
        "valid": status == "valid",
        "level": label.level.key,
        "level_name": label.level.name,
        "organisation": label.organisation.name,
        "organisation_slug": label.organisation.slug,
        "country": label.organisation.country,
        "awarded_on": label.awarded_on.isoformat(),
        "expires_on": label.expires_on.isoformat(),
        "source": label.source,
        "checked_on": timezone.localdate().isoformat(),
    }


def label_registry(
    *, level: str = "", country: str = "", q: str = "", include_expired: bool = False
) -> QuerySet[Label]:
    labels = Label.objects.select_related("organisation", "level").filter(
        organisation__published=True
    )
    if not include_expired:
        labels = labels.filter(valid_on(timezone.localdate()))
    if level:
        labels = labels.filter(level__key=level)
    if country:
        labels = labels.filter(organisation__country=country.upper())
    if q:
        labels = labels.filter(Q(organisation__name__icontains=q) | Q(number__icontains=q))
    return labels.order_by("organisation__name", "-awarded_on")


def label_countries() -> list[str]:
    return sorted(
        set(
            Label.objects.exclude(organisation__country="").values_list(
                "organisation__country", flat=True
            )
        )
    )


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(active=True).annotate(n=Count("indicators"))


def managed_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(managers=user).order_by("name")


def assessments_for(user) -> QuerySet[Assessment]:
    """The user's own organisations' assessments (label admins: all)."""
    qs = Assessment.objects.select_related("organisation", "framework")
    if permissions.is_label_admin(user):
        return qs
    return qs.filter(organisation__managers=user) if user.is_authenticated else qs.none()


def applications_for(user) -> QuerySet[Application]:
    """Label admins: all; managers: their organisations'; assessors: only those assigned."""
    qs = Application.objects.select_related("organisation", "level")
    if permissions.is_label_admin(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(
        Q(organisation__managers=user) | Q(assignments__assessor__user=user)
    ).distinct()
