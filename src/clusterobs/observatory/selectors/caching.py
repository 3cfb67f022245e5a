"""Names of regions and clusters, memoised per result version; how long registry reads may be
reused (``DB_TTL``)."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q

from clusterobs.observatory.store import ResultsStore

# Seconds a page may show registry records (database) located in a region or tagged with a
# cluster before re-reading them; statistics themselves are cached per result version.
DB_TTL = 60.0


@lru_cache(maxsize=64)
def _region_names_cached(region_type: str, version: float) -> dict[str, str]:
    from clusterobs.regions.models import Region
    from clusterobs.sources.regions import US_STATES

    names: dict[str, str] = dict(US_STATES) if region_type == "state" else {}
    qs = Region.objects.filter(Q(region_type__iexact=region_type) | Q(level=region_type))
    if region_type == "state":
        qs = qs.filter(country="US")
    for code, name in qs.values_list("code", "name"):
        names.setdefault(code, name)
    return names


def region_names(store: ResultsStore, region_type: str) -> dict[str, str]:
    """Names of a type's regions: the region table the result was built with, else the
    regions app, else the built-in U.S. states, else codes."""

    def compute() -> dict[str, str]:
        kept = store.kept_regions
        kept = kept[kept["type"].str.lower() == region_type.lower()]
        names = dict(zip(kept["code"], kept["name"], strict=True))
        for code, name in _region_names_cached(region_type, store.version).items():
            names.setdefault(code, name)
        return names

    return store.memo(("region_names", region_type), compute)


def region_name(store: ResultsStore, region_type: str, code: str) -> str:
    return region_names(store, region_type).get(code, code)


def cluster_names(store: ResultsStore) -> dict[str, str]:
    c = store.clusters
    return dict(zip(c["cluster_code"], c["cluster_name"], strict=True))
