"""The registry records (clusters, organisations) and regions-app regions an observatory page
shows next to the statistics: the only database reads of the observatory's selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse


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


def registry_in_region(region_type: str, code: str) -> dict[str, list[dict[str, Any]]]:
    """Published registry organisations and clusters located in the region (or its children)."""
    from clusterobs.registry.models import Cluster, Organisation

    r = find_region(region_type, code)
    if r is None:
        return {"organisations": [], "clusters": []}
    # Registry records point at a state (and clusters also at a district) of the regions app.
    orgs = Organisation.objects.filter(Q(state=r) | Q(state__parent=r), published=True).order_by(
        "name"
    )[:200]
    clusters = Cluster.objects.filter(
        Q(state=r) | Q(district=r) | Q(state__parent=r), published=True
    )
    return {
        "organisations": [
            {
                "name": o.name,
                "url": reverse("registry:organisation-detail", args=[o.slug]),
                "latitude": o.latitude,
                "longitude": o.longitude,
            }
            for o in orgs
        ],
        "clusters": [
            {
                "name": c.name,
                "url": reverse("registry:cluster-detail", args=[c.slug]),
                "latitude": c.latitude,
                "longitude": c.longitude,
            }
            for c in clusters.order_by("name")[:200]
        ],
    }


def sub_regions(region_type: str, code: str) -> list[dict[str, Any]]:

    parent = find_region(region_type, code)
    if parent is None:
        return []
    return [
        {"code": c.code, "name": c.name, "region_type": c.region_type or c.level}
        for c in parent.children.order_by("name")[:500]
    ]


def registry_for_cluster(
    cluster: str, name: str, uscmp_codes: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Registry records tagged with the cluster: by U.S. Cluster Mapping code (``uscmp_codes``,
    already translated to the registry's numbering) or by the code's title equal to the name."""
    from clusterobs.registry.models import Cluster, Organisation

    org_q = Q(sector_codes__code__in=uscmp_codes) | Q(sector_codes__title__iexact=name)
    orgs = (
        Organisation.objects.filter(org_q, published=True, sector_codes__classification="USCMP")
        .distinct()
        .order_by("name")[:200]
    )
    cl_q = Q(industry_codes__code__in=uscmp_codes) | Q(industry_codes__title__iexact=name)
    clusters = (
        Cluster.objects.filter(cl_q, published=True, industry_codes__classification="USCMP")
        .distinct()
        .order_by("name")[:200]
    )

    def row(o: Any, kind: str) -> dict[str, Any]:
        return {
            "name": o.name,
            "url": reverse(f"registry:{kind}-detail", args=[o.slug]),
            "latitude": o.latitude,
            "longitude": o.longitude,
        }

    return {
        "organisations": [row(o, "organisation") for o in orgs],
        "clusters": [row(c, "cluster") for c in clusters],
    }
