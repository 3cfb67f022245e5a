"""Fill the state and district of registry records from their coordinates.

Why: the seeds and most imports give a cluster's place and coordinates, not region codes, so the
state/district filters would miss them. Once boundaries are imported, the region that contains a
record's point is a fact, not a guess. Only empty fields are filled; a point in no region, or in
several regions of the same level (overlapping layers such as NUTS 1 and NUTS 2, or a point on a
shared border), is reported and left alone. A record located only to its state
(``location_precision = "state"``) gets no district.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db import transaction
from shapely.geometry import shape

from clusterobs.regions.models import Region, RegionLevel
from clusterobs.registry.models import Cluster, Organisation
from clusterobs.registry.services import update_record


@dataclass
class LocateReport:
    """What ``locate_records`` did, per model (``cluster``, ``organisation``)."""

    filled: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    outside: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    ambiguous: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def count(self, model: str, level: str) -> int:
        return self.filled[model].get(level, 0)


class _Index:
    """Boundaries of one (country, level) in an STRtree."""

    def __init__(self, regions: list[Region]):
        self.regions = regions
        self.tree = shapely.STRtree([shape(r.geometry) for r in regions])

    def containing(self, lon: float, lat: float) -> list[Region]:
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return [self.regions[i] for i in sorted(hits)]


def _indexes(country: str | None, region_type: str | None) -> dict[tuple[str, str], _Index]:
    qs = Region.objects.filter(
        level__in=[RegionLevel.STATE, RegionLevel.DISTRICT], geometry__isnull=False
    )
    if country:
        qs = qs.filter(country=country.upper())
    if region_type:
        qs = qs.filter(region_type=region_type)
    groups: dict[tuple[str, str], list[Region]] = defaultdict(list)
    for region in qs.order_by("pk"):
        groups[(region.country, region.level)].append(region)
    return {key: _Index(regions) for key, regions in groups.items()}


def _targets() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [
        ("cluster", Cluster, ("state", "district")),
        ("organisation", Organisation, ("state",)),
    ]


def locate_records(
    *, country: str | None = None, region_type: str | None = None, user: Any = None
) -> LocateReport:
    """Fill empty state/district fields of clusters and organisations that have coordinates,
    in one transaction (a record changed concurrently aborts the whole run)."""
    indexes = _indexes(country, region_type)
    report = LocateReport()
    with transaction.atomic():
        for label, model, levels in _targets():
            qs = model.objects.filter(latitude__isnull=False, longitude__isnull=False)
            if country:
                qs = qs.filter(country=country.upper())
            for record in qs.order_by("pk"):
                changes = {}
                for level in levels:
                    if getattr(record, f"{level}_id") is not None:
                        continue
                    if level == "district" and record.location_precision == "state":
                        continue
                    index = indexes.get((record.country, level))
                    if index is None:
                        continue
                    hits = index.containing(record.longitude, record.latitude)
                    if not hits:
                        report.outside[label].append(f"{record.slug} ({level})")
                    elif len(hits) > 1:
                        names = ", ".join(f"{r.region_type or r.level} {r.code}" for r in hits)
                        report.ambiguous[label].append(f"{record.slug} ({level}: {names})")
                    else:
                        changes[level] = hits[0]
                if changes:
                    update_record(
                        record, user=user, expected_version=record.version, changes=changes
                    )
                    for level in changes:
                        report.filled[label][level] = report.count(label, level) + 1
    return report
