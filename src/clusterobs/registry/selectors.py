"""Reads of the registry: visibility rules, filters and full-text search in one place.

The web pages, their JSON twins in the API and the exports all read through these functions,
so a filter means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Upper

from clusterobs.registry import search
from clusterobs.registry.models import (
    Cluster,
    ClusterIndustryCode,
    ClusterLink,
    CountryFigure,
    Organisation,
    OrganisationSector,
    Scheme,
)
from clusterobs.registry.permissions import can_see_unpublished

UserLike = AbstractBaseUser | AnonymousUser | None


def _order(q: str) -> tuple:
    """Name order. A searched list sorts by upper-cased name: the same order for users, and the
    databases then sort the (few) matches instead of walking the name index past thousands of
    non-matching rows, which kept searched pages of large registries slow on PostgreSQL."""
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
