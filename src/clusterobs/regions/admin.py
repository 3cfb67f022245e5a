"""Django admin for regions (boundaries are imported by ``clusterobs regions import``)."""

from __future__ import annotations

from django.contrib import admin

from clusterobs.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "level", "code", "region_type", "parent")
    list_filter = ("country", "level")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    # The geometry is large GeoJSON: shown, never edited by hand here.
    readonly_fields = ("geometry",)
