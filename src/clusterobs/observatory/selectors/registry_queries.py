"""The registry records (clusters, organisations) and regions-app regions an observatory page
shows next to the statistics: the only database reads of the observatory's selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

#: registry records listed on an observatory page at most; the page then says how many there
#: are in all and links to the registry's own list (never a silent cut)
REGISTRY_LIMIT = 200


def _listed(qs: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first ``REGISTRY_LIMIT`` records of ``qs`` and how many there are in all."""
    shown = list(qs[:REGISTRY_LIMIT])
    return shown, len(shown) if len(shown) < REGISTRY_LIMIT else qs.count()


def _record(o: Any, kind: str) -> dict[str, Any]:
    """A registry cluster or organisation as a page lists it and the map places it."""
    return {
        "name": o.name,
        "url": reverse(f"registry:{kind}-detail", args=[o.slug]),
        "latitude": o.latitude,
        "longitude": o.longitude,
    }


def find_region(region_type: str, code: str):
    """The regions-app record of a result region (U.S. states first for 2-digit FIPS codes:
    results do not record their country, and state codes repeat across countries)."""
    from clusterobs.regions.models import Region
    from clusterobs.sources.regions import US_STATES

    qs = Region.objects.filter(code=code).filter(
        Q(region_type__iexact=region_type) | Q(level=region_type)
    )
    if region_type == "state" and code in US_STATES:
        us = qs.filter(country="US").first()
        if us is not None:
            return us
    return qs.order_by("country").first()


def registry_in_region(region_type: str, code: str) -> dict[str, Any]:
    """Published registry organisations and clusters located in the region (or its children):
    the first ``REGISTRY_LIMIT`` of each, their totals, and the registry lists of them all."""
    from clusterobs.regions.models import RegionLevel
    from clusterobs.registry.models import Cluster, Organisation

    r = find_region(region_type, code)
    if r is None:
        return {"organisations": [], "clusters": [], "organisations_total": 0, "clusters_total": 0,
                "organisations_url": None, "clusters_url": None}  # fmt: skip
    # Registry records point at a state (and clusters also at a district) of the regions app.
    orgs, orgs_total = _listed(
        Organisation.objects.filter(Q(state=r) | Q(state__parent=r), published=True).order_by(
            "name"
        )
    )
    clusters, clusters_total = _listed(
        Cluster.objects.filter(
            Q(state=r) | Q(district=r) | Q(state__parent=r), published=True
        ).order_by("name")
    )
    # the registry's lists filter by state, district or country (organisations not by district)
    query = {
        RegionLevel.STATE: {"state": r.code},
        RegionLevel.DISTRICT: {"district": r.code},
        RegionLevel.COUNTRY: {"country": r.country},
    }.get(r.level)
    return {
        "organisations": [_record(o, "organisation") for o in orgs],
        "clusters": [_record(c, "cluster") for c in clusters],
        "organisations_total": orgs_total,
        "clusters_total": clusters_total,
        "organisations_url": (
            f"{reverse('registry:organisation-list')}?{urlencode(query)}"
            if query and "district" not in query
            else None
        ),
        "clusters_url": f"{reverse('registry:cluster-list')}?{urlencode(query)}" if query else None,
    }


def sub_regions(region_type: str, code: str) -> list[dict[str, Any]]:

    parent = find_region(region_type, code)
    if parent is None:
        return []
    return [
        {"code": c.code, "name": c.name, "region_type": c.region_type or c.level}
        for c in parent.children.order_by("name")
    ]


def registry_for_cluster(
    cluster: str, name: str, uscmp_codes: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Registry records tagged with the cluster: by U.S. Cluster Mapping code (``uscmp_codes``,
    already translated to the registry's numbering) or by the code's title equal to the name."""
    from clusterobs.registry.models import Cluster, Organisation

    org_q = Q(sector_codes__code__in=uscmp_codes) | Q(sector_codes__title__iexact=name)
    orgs, orgs_total = _listed(
        Organisation.objects.filter(org_q, published=True, sector_codes__classification="USCMP")
        .distinct()
        .order_by("name")
    )
    cl_q = Q(industry_codes__code__in=uscmp_codes) | Q(industry_codes__title__iexact=name)
    clusters, clusters_total = _listed(
        Cluster.objects.filter(cl_q, published=True, industry_codes__classification="USCMP")
        .distinct()
        .order_by("name")
    )

    return {
        "organisations": [_record(o, "organisation") for o in orgs],
        "clusters": [_record(c, "cluster") for c in clusters],
        "organisations_total": orgs_total,
        "clusters_total": clusters_total,
    }
