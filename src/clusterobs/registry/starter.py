"""Load the starter content encoded from the seed documents (``registry/starter/*.json``).

Every record cites its seed file and location. Loading is idempotent: records are matched by
their stable key (slug), so running ``clusterobs init`` again changes nothing, and records an
editor has changed since (version > 1) are left alone.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction

from clusterobs.registry.models import (
    Cluster,
    ClusterLink,
    CountryFigure,
    Initiative,
    KeyFigure,
    Organisation,
    OrganisationProfile,
    Scheme,
    SchemeComponent,
    SchemeCoverage,
    ThematicChallenge,
)
from clusterobs.registry.services import create_cluster, create_record

STARTER_FILES = (
    "thematic_typology.json",
    "schemes.json",
    "scheme_components.json",
    "clusters.json",
    "organisations.json",
    "initiatives.json",
    "country_figures.json",
)


def _load(name: str) -> list[dict[str, Any]]:
    path = resources.files("clusterobs.registry") / "starter" / name
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _source(record: dict[str, Any]) -> dict[str, str]:
    src = record.get("source") or {}
    document = src.get("document", "")
    location = src.get("location", "")
    return {
        "source": f"{document}, {location}".strip(", ")[:500],
        "source_detail": src.get("quote", "") or "",
    }


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(str(value)[:4])


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def load_starter_content() -> dict[str, int]:
    """Create the starter records that are missing; returns counts of records created."""
    created: dict[str, int] = {}

    def count(kind: str) -> None:
        created[kind] = created.get(kind, 0) + 1

    for item in _load("thematic_typology.json"):
        _, new = ThematicChallenge.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "need": item.get("need") or "",
                "products": item.get("products") or [],
                "source": _source(item)["source"],
            },
        )
        if new:
            count("thematic challenges")

    schemes: dict[str, Scheme] = {}
    for item in _load("schemes.json"):
        scheme = Scheme.objects.filter(slug=item["key"]).first()
        if scheme is None:
            scheme = create_record(
                Scheme,
                user=None,
                slug=item["key"],
                name=item["name"],
                acronym=item.get("acronym") or "",
                kind=item["kind"],
                institution=item.get("institution") or "",
                country=item.get("country") or "IN",
                focus_areas=item.get("focus_areas") or [],
                description=item.get("description") or "",
                url=item.get("url") or "",
                **_source(item),
            )
            for cov in item.get("coverage") or []:
                SchemeCoverage.objects.create(
                    scheme=scheme,
                    measure=cov.get("measure") or "clusters covered",
                    value=_decimal(cov["value"]),
                    unit=cov.get("unit") or "clusters",
                    year=_year(cov.get("as_of")),
                    note=cov.get("note") or "",
                    **_source(cov if cov.get("source") else item),
                )
            count("schemes and programmes")
        schemes[item["key"]] = scheme

    for item in _load("scheme_components.json"):
        scheme = schemes.get(item["scheme_key"])
        if scheme is None or scheme.components.filter(key=item["key"]).exists():
            continue
        SchemeComponent.objects.create(
            scheme=scheme,
            key=item["key"],
            component=item["component"],
            max_cost=_decimal(item.get("max_cost")),
            cost_unit=item.get("cost_unit") or "",
            currency=item.get("currency") or "",
            grant_share_percent=_decimal(item.get("grant_share_percent")),
            special_grant_share_percent=_decimal(item.get("special_grant_share_percent")),
            special_category=item.get("special_category") or "",
            notes=item.get("notes") or "",
            **_source(item),
        )
        count("scheme components")

    clusters: dict[str, Cluster] = {}
    for item in _load("clusters.json"):
        cluster = Cluster.objects.filter(slug=item["key"]).first()
        if cluster is None:
            cluster = create_cluster(
                user=None,
                slug=item["key"],
                name=item["name"],
                product=item.get("product") or "",
                place=item.get("place") or "",
                country=item["country"],
                latitude=item.get("latitude"),
                longitude=item.get("longitude"),
                location_precision=item.get("location_precision") or "",
                cluster_type=item.get("cluster_type") or "",
                performance=item.get("performance") or "",
                description=item.get("description") or "",
                thematic_challenges=item.get("thematic_challenges"),
                **_source(item),
            )
            for fig in item.get("key_figures") or []:
                KeyFigure.objects.create(
                    cluster=cluster,
                    indicator=fig["indicator"],
                    label=fig.get("label") or "",
                    value=_decimal(fig["value"]),
                    unit=fig.get("unit") or "",
                    year=_year(fig.get("as_of")),
                    **_source(fig if fig.get("source") else item),
                )
            count("clusters")
        clusters[item["key"]] = cluster

    organisations: dict[str, Organisation] = {}
    for item in _load("organisations.json"):
        org = Organisation.objects.filter(slug=item["key"]).first()
        if org is None:
            org = create_record(
                Organisation,
                user=None,
                slug=item["key"],
                name=item["name"],
                kind=item["kind"],
                country=item.get("country") or "",
                city=item.get("city") or "",
                website=item.get("website") or "",
                description=item.get("description") or "",
                **_source(item),
            )
            profile = item.get("profile")
            if profile:
                OrganisationProfile.objects.create(
                    organisation=org,
                    **{k: v for k, v in profile.items() if k != "members_total"},
                )
            for link in item.get("clusters") or []:
                cluster = clusters.get(link["cluster_key"])
                if cluster is not None:
                    ClusterLink.objects.get_or_create(
                        cluster=cluster, organisation=org, role=link.get("role") or "other"
                    )
            count("organisations")
        organisations[item["key"]] = org

    for item in _load("initiatives.json"):
        if Initiative.objects.filter(slug=item["key"]).exists():
            continue
        initiative = create_record(
            Initiative,
            user=None,
            slug=item["key"],
            name=item["name"],
            country=item.get("country") or "",
            scheme=schemes.get(item.get("scheme_key") or ""),
            start_year=item.get("start_year"),
            end_year=item.get("end_year"),
            description=item.get("description") or "",
            **_source(item),
        )
        initiative.clusters.set(
            [clusters[k] for k in item.get("cluster_keys") or [] if k in clusters]
        )
        initiative.organisations.set(
            [organisations[k] for k in item.get("organisation_keys") or [] if k in organisations]
        )
        count("initiatives")

    for item in _load("country_figures.json"):
        _, new = CountryFigure.objects.get_or_create(
            key=item["key"],
            defaults={
                "country": item["country"],
                "indicator": item["indicator"],
                "label": item["label"],
                "value": _decimal(item["value"]),
                "unit": item["unit"],
                "year": _year(item.get("as_of")),
                **_source(item),
            },
        )
        if new:
            count("country figures")
    return created
