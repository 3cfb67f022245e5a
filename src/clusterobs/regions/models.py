"""Regions: countries, states and districts with their boundaries.

A region is identified by ``(country, level, code)``: codes are only unique within a coding
system (the U.S. state FIPS "06" and an Indian Census state code "06" are different regions),
and the level says what kind of place it is across systems (a U.S. county and an Indian district
are both ``district``). ``region_type`` keeps the source's own name for the level ("NUTS2",
"county").
"""

from __future__ import annotations

from django.db import models


class RegionLevel(models.TextChoices):
    COUNTRY = "country", "Country"
    STATE = "state", "State / province / NUTS 1-2"
    DISTRICT = "district", "District / county / NUTS 3"
    LOCALITY = "locality", "Locality / city"


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, country: str, level: str, code: str) -> Region:
        return self.get(country=country, level=level, code=code)


class Region(models.Model):
    """An administrative or statistical region, optionally with a boundary."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    level = models.CharField(max_length=16, choices=RegionLevel.choices)
    code = models.CharField(max_length=32, help_text="Code as in the source, kept as a string")
    name = models.CharField(max_length=200)
    region_type = models.CharField(max_length=32, blank=True, help_text="e.g. NUTS2, county")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry, WGS84")
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)

    objects = RegionManager()

    class Meta:
        ordering = ["country", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "level", "code"], name="region_unique_code_per_level"
            )
        ]
        indexes = [models.Index(fields=["country", "level", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country} {self.code})"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.country, self.level, self.code)
