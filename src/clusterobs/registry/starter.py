"""Load the starter content encoded from the source documents (``registry/starter/*.json``).

Every record cites its document by title and section (``clusterobs.references`` holds the full
citations) and keeps the verbatim quote the fact rests on. Loading is idempotent: records are
matched by their stable key (slug), so running ``clusterobs init`` again changes nothing, and
records an editor has changed since (version > 1) are left alone. Links added in later releases
(industry codes, cluster-scheme links, states) are added to starter records nobody has edited.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Q

from clusterobs.references.catalogue import cite
from clusterobs.regions.models import Region, RegionLevel
from clusterobs.registry.codes import code_error
from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
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
    """Provenance as records keep it: the document's title and the section, and the quote."""
    src = record.get("source") or {}
    return {
        "source": cite(src["document"], src.get("location", ""))[:500],
        "source_detail": src.get("quote", "") or "",
    }


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(str(value)[:4])


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _add_industry_codes(cluster: Cluster, item: dict[str, Any]) -> int:
    """The codes the starter file assigns from the cluster's product; returns how many were new.

    Codes are in the classification of the cluster's country (NIC 2008 in India, NACE Rev. 2 in
    Europe, ISIC Rev. 4 elsewhere); each file entry says which product it was derived from.
    """
    added = 0
    for code in item.get("industry_codes") or []:
        problem = code_error(code["classification"], code["code"])
        if problem:
            raise ValueError(f"clusters.json, {item['key']}: {problem}")
        _, new = ClusterIndustryCode.objects.get_or_create(
            cluster=cluster,
            classification=code["classification"],
            code=code["code"],
            defaults={"title": code.get("title") or ""},
        )
        added += int(new)
    return added


def _link_state(cluster: Cluster, item: dict[str, Any]) -> int:
    """Set the state the source names, when boundaries of that country are loaded.

    Only for clusters without coordinates: a located cluster gets its state and district from
    the boundaries that contain its point (``clusterobs regions locate``), which also reflects
    later changes of state borders. A name or code must match exactly one state region.
    """
    names = [n for n in [item.get("state"), *(item.get("state_aliases") or [])] if n]
    if cluster.state_id or not names or cluster.latitude is not None:
        return 0
    query = Q(code__in=item.get("state_codes") or [])
    for name in names:
        query |= Q(name__iexact=name)
    matches = list(
        Region.objects.filter(country=cluster.country, level=RegionLevel.STATE).filter(query)[:2]
    )
    if len(matches) != 1:
        return 0
    Cluster.objects.filter(pk=cluster.pk).update(state=matches[0])
    return 1


@transaction.atomic
def load_starter_content() -> dict[str, int]:
    """Create the starter records that are missing; returns counts of records created."""
    created: dict[str, int] = {}

    def count(kind: str, n: int = 1) -> None:
        if n:
            created[kind] = created.get(kind, 0) + n

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
        if cluster.version == 1:  # not changed by an editor since it was loaded
            count("industry codes", _add_industry_codes(cluster, item))
            count("cluster states", _link_state(cluster, item))

    for item in _load("schemes.json"):
        scheme = schemes[item["key"]]
        if scheme.version == 1:
            linked = [clusters[k] for k in item.get("cluster_keys") or [] if k in clusters]
            new = [c for c in linked if c.version == 1 and not scheme.clusters.filter(pk=c.pk)]
            scheme.clusters.add(*new)
            count("cluster-scheme links", len(new))

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
        existing = Initiative.objects.filter(slug=item["key"]).first()
        if existing is not None:
            scheme = schemes.get(item.get("scheme_key") or "")
            if scheme is not None and existing.scheme_id is None and existing.version == 1:
                Initiative.objects.filter(pk=existing.pk).update(scheme=scheme)
                count("initiative-scheme links")
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
