"""Starter regions: the Indian district boundaries that ship with the product.

Why: the India observatory draws its choropleth from the regions app; without this, a first
visitor would see the Indian statistics without a map. Loaded once (``clusterobs init``); a
second run finds them and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from clusterobs.data.catalog import path as data_path
from clusterobs.regions.models import Region, RegionLevel
from clusterobs.regions.services import import_india_districts


@transaction.atomic
def load() -> dict[str, int]:
    """Import the district boundaries unless they are already there."""
    boundaries = data_path("india_districts_boundaries")
    have = Region.objects.filter(
        country="IN", level=RegionLevel.DISTRICT, source=boundaries.name
    ).exists()
    if have:
        return {}
    done = import_india_districts(boundaries)
    return {
        "India district boundaries": done.created,
        "India districts without a 2011 code (no census data)": len(done.without_code),
    }
