"""Starter content from the Report on Cluster Existence and Cooperation (INDIA GATE D5.3, 2012,
Europe–India cluster cooperation): cooperation agreements and
the profiles of three international cluster projects (REINA, WIINTECH, Feeding the Planet).

Call :func:`load` after ``clusterobs.registry.starter.load_starter_content()`` (it needs the
organisations and initiatives). It is idempotent: records that exist (by key) are left alone.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

from django.db import transaction

from clusterobs.collaboration.models import Agreement, CollaborationProfile
from clusterobs.collaboration.services.agreements import create_agreement
from clusterobs.references.catalogue import cite
from clusterobs.registry.models import Initiative, Organisation

# What the seed says each project seeks; the initiative's description and source are the
# registry's (Report on Cluster Existence and Cooperation, section 7).
PROJECT_PROFILES: dict[str, dict[str, Any]] = {
    "reina": {
        "target_countries": ["US", "CA", "JP", "KR", "IN", "CN", "MY", "BR", "RU"],
        "emerging_fields": ["renewable energy", "energy efficiency", "smart grids"],
        "offers": {"markets": ["joint internationalisation strategies for European SMEs"]},
        "needs": {"markets": ["renewable energy partners outside the EU"]},
    },
    "wiintech": {
        "target_countries": ["JP", "US", "KR", "BR", "CN", "IN", "RU"],
        "emerging_fields": ["new materials", "clean technologies"],
        "offers": {"technologies": ["material and production technologies for clean tech"]},
        "needs": {"rnd": ["intercluster cooperation with leading clusters"]},
    },
    "feeding-the-planet": {
        "target_countries": ["BR", "CL", "IN", "US"],
        "emerging_fields": ["agrofood", "bio food"],
        "offers": {"products": ["agrofood cluster expertise"]},
        "needs": {"markets": ["market access in Brazil, Chile, India and the US"]},
    },
}


# The three cluster organisations the report describes, with what it says they offer and seek
# (Report on Cluster Existence and Cooperation, sections 6 and 7). Member counts and other
# verification figures are not stated, so the profiles are not verified.
ORGANISATION_PROFILES: dict[str, dict[str, Any]] = {
    "copenhagen-cleantech-cluster": {
        "summary": "Signed a Memorandum of Cooperation with the European Business and Technology "
        "Centre (EBTC) in June 2012 to bring complex cleantech solutions to India (Report on "
        "Cluster Existence and Cooperation, section 6).",
        "target_countries": ["IN"],
        "emerging_fields": ["cleantech"],
        "offers": {"technologies": ["complex cleantech solutions"]},
        "needs": {"markets": ["market access in India"]},
    },
    "clusterland-oberoesterreich": {
        "summary": "Leads the consortium that develops and manages the European Cluster "
        "Collaboration Platform; its MoU with EBTC (1 December 2010) serves EU and Indian clusters "
        "that wish to develop strategic business alliances, joint research projects and access "
        "to cutting edge technologies (Report on Cluster Existence and Cooperation, section 6).",
        "target_countries": ["IN"],
        "offers": {
            "markets": ["networking support for clusters (European Cluster Collaboration Platform)"]
        },
        "needs": {
            "rnd": ["joint research projects with Indian clusters"],
            "markets": ["strategic business alliances with Indian clusters"],
        },
    },
    "biogenesis": {
        "summary": "Coordinates the Indo-European Health cluster in Hyderabad: SMEs, research "
        "organisations and large companies developing drugs, diagnostics and platform "
        "technologies (Report on Cluster Existence and Cooperation, section 7).",
        "emerging_fields": ["life science", "health"],
        "offers": {"rnd": ["drugs", "diagnostics", "platform technologies"]},
    },
}


def _agreements() -> list[dict[str, Any]]:
    text = (
        resources.files("clusterobs.registry")
        .joinpath("starter", "agreements.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def _signed_on(value: str | None) -> tuple[dt.date | None, str]:
    """``"2010-12-01"``, ``"2012-06"`` or ``"2009"``: the date and how precise the seed is."""
    if not value:
        return None, "day"
    parts = [int(p) for p in value.split("-")]
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    parts += [1] * (3 - len(parts))
    return dt.date(*parts), precision


def load() -> dict[str, int]:
    """Load the agreements and project profiles; returns how many records were created."""
    created = {"agreements": 0, "project profiles": 0, "organisation profiles": 0}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    with transaction.atomic():
        for item in _agreements():
            if Agreement.objects.filter(key=item["key"]).exists():
                continue
            signed_on, precision = _signed_on(item.get("signed_on"))
            source = item.get("source") or {}
            status_note = item.get("status") or ""
            create_agreement(
                user=None,
                parties=[orgs[k] for k in item["party_keys"] if k in orgs],
                key=item["key"],
                title=item["title"],
                kind=item["kind"],
                signed_on=signed_on,
                signed_on_precision=precision,
                scope=item.get("scope") or "",
                status="unknown",
                status_note=status_note,
                source=cite(source["document"], source.get("location", ""))[:500],
                source_detail=source.get("quote", ""),
            )
            created["agreements"] += 1
        for key, facts in PROJECT_PROFILES.items():
            initiative = Initiative.objects.filter(slug=key).first()
            if (
                initiative is None
                or CollaborationProfile.objects.filter(initiative=initiative).exists()
            ):
                continue
            CollaborationProfile.objects.create(
                initiative=initiative,
                organisation=initiative.organisations.order_by("pk").first(),
                summary=initiative.description,
                **facts,
            )
            created["project profiles"] += 1
        for slug, facts in ORGANISATION_PROFILES.items():
            organisation = orgs.get(slug)
            if (
                organisation is None
                or CollaborationProfile.objects.filter(
                    organisation=organisation, initiative=None
                ).exists()
            ):
                continue
            CollaborationProfile.objects.create(organisation=organisation, **facts)
            created["organisation profiles"] += 1
    return created
