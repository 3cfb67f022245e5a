"""Reads of the registry: visibility rules, filters and full-text search in one place.

The web pages, their JSON twins in the API and the exports all read through these functions,
so a filter means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Upper
from django.http import QueryDict
from django.utils.translation import gettext as _

from clusterobs.regions.countries import country_name
from clusterobs.regions.models import Region, RegionLevel
from clusterobs.registry import search
from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
    ClusterLink,
    CountryFigure,
    Initiative,
    Organisation,
    OrganisationSector,
    Scheme,
)
from clusterobs.registry.permissions import can_see_unpublished

UserLike = AbstractBaseUser | AnonymousUser | None
F = TypeVar("F")


def _order(q: str) -> tuple:
    """Name order. A searched list sorts by upper-cased name: the same order for users, and the
    databases then sort the (few) matches instead of walking the name index past thousands of
    non-matching rows, which kept searched pages of large registries slow on PostgreSQL.
    ``page_keys`` relies on it: plain column order means an index can give the order."""
    return (Upper("name"), "id") if q.strip() else ("name", "id")


def _looks_like_code(text: str) -> bool:
    """Industry codes have a digit ("336111", "10.51") or are one section letter ("C")."""
    return any(ch.isdigit() for ch in text) or (len(text) == 1 and text.isalpha())


def _text_or_code(q: str) -> Q:
    """Clusters whose text matches ``q``, or that carry ``q`` as an industry code.

    The code branch is only added when ``q`` can be a code: an OR with a second subquery makes
    the databases scan every cluster instead of starting from the full-text matches.
    """
    q = q.strip()
    condition = search.matches(Cluster, q) if search.query_terms(q) else Q(pk__in=[])
    if _looks_like_code(q):
        codes = ClusterIndustryCode.objects.filter(code=q).values("cluster_id")
        condition |= Q(pk__in=codes)
    return condition


def _visible(qs: QuerySet, user: UserLike) -> QuerySet:
    if user is not None and can_see_unpublished(user):
        return qs
    if user is not None and user.is_authenticated and qs.model is Organisation:
        managed = Organisation.managers.through.objects.filter(user=user)
        return qs.filter(Q(published=True) | Q(pk__in=managed.values("organisation_id")))
    return qs.filter(published=True)


@dataclass(frozen=True)
class ClusterFilters:
    q: str = ""
    country: str = ""
    state: str = ""
    district: str = ""
    cluster_type: str = ""
    industry_code: str = ""
    classification: str = ""
    challenge: str = ""
    scheme: str = ""
    performance: str = ""


def cluster_list(user: UserLike, filters: ClusterFilters) -> QuerySet[Cluster]:
    qs = _visible(Cluster.objects.all(), user)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.state:
        qs = qs.filter(state__code=filters.state)
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if filters.cluster_type:
        qs = qs.filter(cluster_type=filters.cluster_type)
    if filters.performance:
        qs = qs.filter(performance=filters.performance)
    if filters.industry_code:
        codes = ClusterIndustryCode.objects.filter(code__startswith=filters.industry_code)
        if filters.classification:
            codes = codes.filter(classification=filters.classification.upper())
        qs = qs.filter(pk__in=codes.values("cluster_id"))
    # Filters on to-many relations use subqueries, not joins, so that rows never repeat and
    # no DISTINCT (which defeats the name index) is needed.
    if filters.challenge:
        through = Cluster.thematic_challenges.through.objects
        qs = qs.filter(
            pk__in=through.filter(thematicchallenge__key=filters.challenge).values("cluster_id")
        )
    if filters.scheme:
        through = Scheme.clusters.through.objects
        qs = qs.filter(pk__in=through.filter(scheme__slug=filters.scheme).values("cluster_id"))
    if filters.q.strip():
        qs = qs.filter(_text_or_code(filters.q))
    return (
        qs.select_related("state", "district")
        .prefetch_related("thematic_challenges", "industry_codes")
        .order_by(*_order(filters.q))
    )


def page_keys(qs: QuerySet, *, offset: int, limit: int) -> tuple[int, list[int]]:
    """The exact number of rows of ``qs`` and the primary keys of its rows ``offset`` to
    ``offset + limit`` (in the order of ``qs``), from one query.

    ``COUNT(*) OVER ()`` counts every match while the same scan picks the page, so the text
    search and the filters run once, not twice (a separate ``COUNT`` was half the cost of a
    broad search). Only keys go through the sort: full rows of the page are read afterwards
    by primary key. A page past the end has no row to carry the count; then it is counted
    separately.

    A list in plain column order (unsearched lists: ``name, id``, see ``_order``) is the
    exception: an index gives that order, so the database stops after the page, and a ``COUNT``
    reads only an index; counting in the same query would make it read and sort every row
    (50,000 organisations: 15 -> 55 ms on SQLite).
    """
    if all(isinstance(field, str) for field in qs.query.order_by):
        count = qs.count()
        if offset >= count:
            return count, []
        return count, list(qs.values_list("pk", flat=True)[offset : offset + limit])
    rows = list(
        qs.select_related(None)
        .prefetch_related(None)
        .annotate(_total=Window(Count("pk")))
        .values_list("pk", "_total")[offset : offset + limit]
    )
    if rows:
        return rows[0][1], [pk for pk, _ in rows]
    return (qs.count() if offset else 0), []


#: The fields of a region that list rows show.
_REGION_FIELDS = ("country", "level", "code", "name")
#: The own fields of list rows (the list shapes of ``serializers``), besides related lists.
CLUSTER_ROW_FIELDS = (
    "slug",
    "name",
    "product",
    "place",
    "country",
    "latitude",
    "longitude",
    "cluster_type",
    "performance",
    "published",
    "version",
)
ORGANISATION_ROW_FIELDS = (
    "slug",
    "name",
    "kind",
    "country",
    "city",
    "latitude",
    "longitude",
    "website",
    "published",
    "version",
)


def _rows(qs: QuerySet, pks: list[int], fields: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    """``{pk: {field: value}}`` of the records ``pks``, read as plain values (no model
    instances, no ordering: the caller orders by ``pks``)."""
    return {
        values[0]: dict(zip(fields, values[1:], strict=True))
        for values in qs.filter(pk__in=pks).order_by().values_list("pk", *fields)
    }


def clusters_for_page(pks: list[int]) -> list[dict[str, Any]]:
    """The clusters of a list page as plain rows, in the order of ``pks``: the fields the list
    shape shows, ``state`` and ``district`` as region references, ``thematic_challenges`` (keys)
    and ``industry_codes``. Three queries, whatever the page size.

    Plain values, not model instances with ``prefetch_related``: building instances and a
    related-manager queryset per record cost more than the queries on a page of 50.
    """
    region = [f"{rel}__{f}" for rel in ("state", "district") for f in ("id", *_REGION_FIELDS)]
    rows = _rows(Cluster.objects.all(), pks, (*CLUSTER_ROW_FIELDS, *region))
    for row in rows.values():
        for rel in ("state", "district"):
            ref = {f: row.pop(f"{rel}__{f}") for f in _REGION_FIELDS}
            row[rel] = ref if row.pop(f"{rel}__id") is not None else None
        row["thematic_challenges"] = []
        row["industry_codes"] = []
    challenges = (
        Cluster.thematic_challenges.through.objects.filter(cluster_id__in=pks)
        .order_by("thematicchallenge__key")
        .values_list("cluster_id", "thematicchallenge__key")
    )
    for cluster_id, key in challenges:
        rows[cluster_id]["thematic_challenges"].append(key)
    codes = ClusterIndustryCode.objects.filter(cluster_id__in=pks).values_list(
        "cluster_id", "classification", "code", "title"
    )  # in the model's order: classification, code
    for cluster_id, classification, code, title in codes:
        rows[cluster_id]["industry_codes"].append(
            {"classification": classification, "code": code, "title": title}
        )
    return [rows[pk] for pk in pks if pk in rows]


def cluster_detail(user: UserLike, slug: str) -> Cluster | None:
    return (
        _visible(Cluster.objects.all(), user)
        .select_related("state", "district", "created_by", "updated_by")
        .prefetch_related(
            "thematic_challenges",
            "industry_codes",
            "key_figures",
            Prefetch("links", queryset=_link_qs(user)),
            "schemes",
            "initiatives",
        )
        .filter(slug=slug)
        .first()
    )


def _link_qs(user: UserLike) -> QuerySet:
    from clusterobs.registry.models import ClusterLink

    qs = ClusterLink.objects.select_related("organisation", "cluster")
    if user is None or not can_see_unpublished(user):
        qs = qs.filter(organisation__published=True, cluster__published=True)
    return qs


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    country: str = ""
    state: str = ""
    kind: str = ""
    cluster: str = ""
    sector_code: str = ""
    classification: str = ""


def organisation_list(user: UserLike, filters: OrganisationFilters) -> QuerySet[Organisation]:
    qs = _visible(Organisation.objects.all(), user)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.state:
        qs = qs.filter(state__code=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.cluster:
        links = ClusterLink.objects.filter(cluster__slug=filters.cluster)
        qs = qs.filter(pk__in=links.values("organisation_id"))
    if filters.sector_code:
        sectors = OrganisationSector.objects.filter(code=filters.sector_code)
        if filters.classification:
            sectors = sectors.filter(classification=filters.classification.upper())
        qs = qs.filter(pk__in=sectors.values("organisation_id"))
    if filters.q:
        qs = search.search(qs, filters.q)
    return (
        qs.select_related("state", "profile")
        .prefetch_related("sector_codes")
        .order_by(*_order(filters.q))
    )


def organisations_for_page(pks: list[int]) -> list[dict[str, Any]]:
    """The organisations of a list page as plain rows, in the order of ``pks``, with their
    ``sector_codes`` (see ``clusters_for_page``). Two queries."""
    rows = _rows(Organisation.objects.all(), pks, ORGANISATION_ROW_FIELDS)
    for row in rows.values():
        row["sector_codes"] = []
    sectors = OrganisationSector.objects.filter(organisation_id__in=pks).values_list(
        "organisation_id", "classification", "code", "title"
    )  # in the model's order: classification, code
    for organisation_id, classification, code, title in sectors:
        rows[organisation_id]["sector_codes"].append(
            {"classification": classification, "code": code, "title": title}
        )
    return [rows[pk] for pk in pks if pk in rows]


def organisation_detail(user: UserLike, slug: str) -> Organisation | None:
    return (
        _visible(Organisation.objects.all(), user)
        .select_related("state", "profile")
        .prefetch_related("sector_codes", Prefetch("links", queryset=_link_qs(user)), "initiatives")
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class SchemeFilters:
    q: str = ""
    country: str = ""
    kind: str = ""
    focus: str = ""


def scheme_list(user: UserLike, filters: SchemeFilters) -> QuerySet[Scheme]:
    qs = _visible(Scheme.objects.all(), user)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.focus:
        qs = qs.filter(focus_areas__icontains=filters.focus)
    if filters.q:
        qs = search.search(qs, filters.q)
    return (
        qs.prefetch_related("coverage")
        .annotate(n_clusters=Count("clusters"))
        .order_by("kind", "name", "id")
    )


def scheme_detail(user: UserLike, slug: str) -> Scheme | None:
    return (
        _visible(Scheme.objects.all(), user)
        .prefetch_related("coverage", "components", "clusters", "initiatives")
        .filter(slug=slug)
        .first()
    )


@dataclass
class InitiativeFilters:
    q: str = ""
    country: str = ""
    scheme: str = ""
    cluster: str = ""
    organisation: str = ""


def initiative_list(user: UserLike, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """Named cluster initiatives and projects of the registry (the sources' catalogue of them).

    Text search is a plain substring match on name and description: the list is small (tens to
    hundreds of records), so it needs no full-text index.
    """
    qs = _visible(Initiative.objects.all(), user)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.scheme:
        qs = qs.filter(scheme__slug=filters.scheme)
    if filters.cluster:
        qs = qs.filter(clusters__slug=filters.cluster)
    if filters.organisation:
        qs = qs.filter(organisations__slug=filters.organisation)
    if filters.q.strip():
        q = filters.q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return (
        qs.select_related("scheme")
        .annotate(n_clusters=Count("clusters", distinct=True))
        .order_by("name", "id")
        .distinct()
    )


def initiative_detail(user: UserLike, slug: str) -> Initiative | None:
    return (
        _visible(Initiative.objects.all(), user)
        .select_related("scheme")
        .prefetch_related("clusters", "organisations")
        .filter(slug=slug)
        .first()
    )


def home_counts(user: UserLike) -> dict[str, int]:
    return {
        "clusters": _visible(Cluster.objects.all(), user).count(),
        "organisations": _visible(Organisation.objects.all(), user).count(),
        "schemes": _visible(Scheme.objects.filter(kind="scheme"), user).count(),
        "programmes": _visible(Scheme.objects.filter(kind="programme"), user).count(),
        "countries": _visible(Cluster.objects.all(), user).values("country").distinct().count(),
    }


def country_figures(country: str | None = None) -> QuerySet[CountryFigure]:
    qs = CountryFigure.objects.all()
    return qs.filter(country=country) if country else qs


def clusters_for_export(include_unpublished: bool) -> QuerySet[Cluster]:
    qs = Cluster.objects.all() if include_unpublished else Cluster.objects.filter(published=True)
    return (
        qs.select_related("state", "district")
        .prefetch_related("thematic_challenges", "industry_codes", "key_figures")
        .order_by("name", "id")
    )


def organisations_for_export(include_unpublished: bool) -> QuerySet[Organisation]:
    qs = (
        Organisation.objects.all()
        if include_unpublished
        else Organisation.objects.filter(published=True)
    )
    return (
        qs.select_related("state", "profile")
        .prefetch_related("sector_codes", "links__cluster")
        .order_by("name", "id")
    )


def schemes_for_export(include_unpublished: bool) -> QuerySet[Scheme]:
    qs = Scheme.objects.all() if include_unpublished else Scheme.objects.filter(published=True)
    return qs.prefetch_related("clusters").order_by("kind", "name", "id")


# --- reads for the pages: filter parsing, select options, the map -------------------------------


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
    qs = cluster_list(user, ClusterFilters())
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
    cluster_qs = cluster_list(user, filters_from(params, ClusterFilters))
    org_filters = OrganisationFilters(country=params.get("country", "").strip())
    org_qs = organisation_list(user, org_filters)
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
    return countries_of(scheme_list(user, SchemeFilters()))


def visible_schemes(user: Any) -> list[Scheme]:
    return list(scheme_list(user, SchemeFilters()).only("slug", "name", "acronym"))


def cluster_countries(user: Any) -> list[str]:
    return countries_of(cluster_list(user, ClusterFilters()))


def organisation_countries(user: Any) -> list[str]:
    return countries_of(organisation_list(user, OrganisationFilters()))


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
