"""Django admin for the registry: the administrators' full-power back office.

History admin (django-simple-history) shows who changed what for the versioned records; the
editors' everyday work happens on the site's edit pages, which check versions.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from clusterobs.registry.models import (
    CLUSTER_PLACE_FIELDS,
    CLUSTER_TYPOLOGY_FIELDS,
    PROVENANCE_FIELDS,
    Cluster,
    ClusterIndustryCode,
    ClusterLink,
    CountryFigure,
    Initiative,
    KeyFigure,
    Organisation,
    OrganisationProfile,
    OrganisationSector,
    Scheme,
    SchemeComponent,
    SchemeCoverage,
    ThematicChallenge,
)

PROVENANCE = (
    "Provenance",
    {
        "fields": (
            *PROVENANCE_FIELDS,
            ("created_by", "updated_by"),
            ("created_at", "updated_at"),
            "version",
        )
    },
)
READONLY = ("created_by", "updated_by", "created_at", "updated_at", "version")


class IndustryCodeInline(admin.TabularInline):
    model = ClusterIndustryCode
    extra = 0


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


class ClusterLinkInline(admin.TabularInline):
    model = ClusterLink
    extra = 0
    autocomplete_fields = ("organisation", "cluster")


class RegistryAdmin(SimpleHistoryAdmin):
    """Common settings: provenance fields read-only, authorship and version kept by save."""

    readonly_fields = READONLY
    list_filter = ("published", "country")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        # Admin saves bypass the optimistic lock on purpose (admins override), but still
        # count as a change so that open edit pages detect it.
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Cluster)
class ClusterAdmin(RegistryAdmin):
    list_display = ("name", "product", "place", "country", "cluster_type", "published", "version")
    list_filter = ("published", "country", "cluster_type", "performance")
    search_fields = ("name", "product", "place", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("state", "district")
    filter_horizontal = ("thematic_challenges",)
    inlines = (IndustryCodeInline, KeyFigureInline, ClusterLinkInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "product", "description")}),
        ("Place", {"fields": CLUSTER_PLACE_FIELDS}),
        ("Typology", {"fields": CLUSTER_TYPOLOGY_FIELDS}),
        PROVENANCE,
    )


class ProfileInline(admin.StackedInline):
    model = OrganisationProfile
    extra = 0


class SectorInline(admin.TabularInline):
    model = OrganisationSector
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(RegistryAdmin):
    list_display = ("name", "kind", "country", "city", "published", "version")
    list_filter = ("published", "kind", "country")
    search_fields = ("name", "city", "slug", "external_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("state",)
    filter_horizontal = ("managers",)
    inlines = (ProfileInline, SectorInline, ClusterLinkInline)


class CoverageInline(admin.TabularInline):
    model = SchemeCoverage
    extra = 0


class ComponentInline(admin.StackedInline):
    model = SchemeComponent
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(RegistryAdmin):
    list_display = ("name", "acronym", "kind", "institution", "country", "published")
    list_filter = ("published", "kind", "country")
    search_fields = ("name", "acronym", "institution", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("clusters",)
    inlines = (CoverageInline, ComponentInline)


@admin.register(Initiative)
class InitiativeAdmin(RegistryAdmin):
    list_display = ("name", "country", "scheme", "start_year", "end_year", "published")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("clusters", "organisations", "scheme")


@admin.register(ThematicChallenge)
class ThematicChallengeAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "need")
    search_fields = ("key", "name")


@admin.register(KeyFigure)
class KeyFigureAdmin(SimpleHistoryAdmin):
    list_display = ("cluster", "indicator", "value", "unit", "year", "as_of", "source")
    list_filter = ("indicator", "estimated")
    search_fields = ("cluster__name", "source")
    autocomplete_fields = ("cluster",)


@admin.register(CountryFigure)
class CountryFigureAdmin(admin.ModelAdmin):
    list_display = ("key", "country", "label", "value", "unit", "year")
    list_filter = ("country",)
    search_fields = ("key", "label")


@admin.register(ClusterLink)
class ClusterLinkAdmin(SimpleHistoryAdmin):
    list_display = ("cluster", "organisation", "role")
    list_filter = ("role",)
    autocomplete_fields = ("cluster", "organisation")
