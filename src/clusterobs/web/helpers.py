"""Small read helpers the pages need and the registry selectors do not (yet) offer.

They only compose the registry selectors (so visibility rules stay in one place) or read the
regions table, which has no selectors module of its own.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from clusterobs.regions.countries import country_name
from clusterobs.regions.models import Region, RegionLevel
from clusterobs.registry import selectors
from clusterobs.registry.models import Cluster, Organisation, Scheme

F = TypeVar("F")


def filters_from(params: QueryDict, cls: type[F]) -> F:
    """Build a selector filter dataclass from GET parameters, exactly as the API does."""
    return cls(**{f.name: params.get(f.name, "").strip() for f in fields(cls)})  # type: ignore[arg-type]


def active_filters(params: QueryDict, cls: type) -> dict[str, str]:
    """The filters the user set, to rebuild the API and export links of a list page."""
    names = {f.name for f in fields(cls)}
    return {k: v.strip() for k, v in params.items() if k in names and v.strip()}


def countries_of(qs: QuerySet) -> list[str]:
    """Distinct country codes of a queryset, for the country select."""
    return sorted(c for c in qs.order_by().values_list("country", flat=True).distinct() if c)


def states() -> list[Region]:
    """States / provinces that exist, for the state select (no geometry loaded)."""
    return list(
        Region.objects.filter(level=RegionLevel.STATE)
        .only("id", "country", "code", "name")
        .order_by("country", "name")
    )


def recently_updated(user: Any, limit: int = 6) -> list[Cluster]:
    """The clusters changed last that the user may see."""
    qs = selectors.cluster_list(user, selectors.ClusterFilters())
    return list(qs.order_by("-updated_at", "-id")[:limit])


def boundary_layers(preferred_country: str = "") -> list[dict[str, Any]]:
    """(country, level) pairs with imported boundaries, for the map's layer select.

    The state level of ``preferred_country`` (the map's country filter) is pre-selected, else
    the first layer; districts are never the default because thousands of shapes load slowly.
    """
    pairs = (
        Region.objects.exclude(geometry__isnull=True)
        .order_by("country", "level")
        .values_list("country", "level")
        .distinct()
    )
    labels = {
        RegionLevel.COUNTRY: _("countries"),
        RegionLevel.STATE: _("states / provinces"),
        RegionLevel.DISTRICT: _("districts / counties"),
        RegionLevel.LOCALITY: _("localities"),
    }
    layers: list[dict[str, Any]] = [
        {
            "country": country,
            "level": level,
            "label": f"{country_name(country)}: {labels.get(level, level)}",
            "selected": False,
        }
        for country, level in pairs
    ]
    preferred = preferred_country.upper()
    candidates = [layer for layer in layers if layer["level"] != RegionLevel.DISTRICT] or layers
    chosen = next((la for la in candidates if la["country"] == preferred), None)
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is not None:
        chosen["selected"] = True
    return layers


def map_points(user: Any, params: QueryDict) -> list[dict[str, Any]]:
    """Clusters and organisations with coordinates, as light GeoJSON-like point rows.

    Cluster filters (same names as the list page) restrict the clusters; organisations follow
    the ``country`` filter only.
    """
    cluster_qs = selectors.cluster_list(user, filters_from(params, selectors.ClusterFilters))
    org_filters = selectors.OrganisationFilters(country=params.get("country", "").strip())
    org_qs = selectors.organisation_list(user, org_filters)
    points: list[dict[str, Any]] = []
    for c in cluster_qs.filter(latitude__isnull=False, longitude__isnull=False):
        points.append(_point("cluster", c, c.get_cluster_type_display() or c.product))
    for o in org_qs.filter(latitude__isnull=False, longitude__isnull=False):
        points.append(_point("organisation", o, o.get_kind_display()))
    return points


def _point(kind: str, obj: Cluster | Organisation, detail: str) -> dict[str, Any]:
    url = f"/{'clusters' if kind == 'cluster' else 'organisations'}/{obj.slug}/"
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [obj.longitude, obj.latitude]},
        "properties": {
            "kind": kind,
            "name": obj.name,
            "slug": obj.slug,
            "country": obj.country,
            "detail": detail,
            "url": url,
        },
    }


def scheme_countries(user: Any) -> list[str]:
    return countries_of(selectors.scheme_list(user, selectors.SchemeFilters()))


def visible_schemes(user: Any) -> list[Scheme]:
    return list(
        selectors.scheme_list(user, selectors.SchemeFilters()).only("slug", "name", "acronym")
    )


def cluster_countries(user: Any) -> list[str]:
    return countries_of(selectors.cluster_list(user, selectors.ClusterFilters()))


def organisation_countries(user: Any) -> list[str]:
    return countries_of(selectors.organisation_list(user, selectors.OrganisationFilters()))


def members_by_type(org: Organisation) -> list[tuple[str, int | None]]:
    """A cluster organisation's members by type, in a fixed order, for the profile table."""
    profile = getattr(org, "profile", None)
    if profile is None:
        return []
    return [
        (_("SMEs"), profile.members_sme),
        (_("Large companies"), profile.members_large),
        (_("Research and education"), profile.members_research),
        (_("Public bodies"), profile.members_public),
        (_("Other"), profile.members_other),
    ]
