"""Admin: frameworks (add or version one without code), levels, assessors, labels (with history)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusterobs.excellence.models import (
    Application,
    Area,
    Assessment,
    Assessor,
    Framework,
    Indicator,
    Label,
    LabelLevel,
)


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "version", "kind", "valid_from", "active"]
    inlines = [AreaInline, IndicatorInline]
    save_as = True  # "save as new" makes a new version


@admin.register(LabelLevel)
class LabelLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "rank", "framework", "validity_years", "pass_mark"]


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "organisation", "active"]
    autocomplete_fields = ["organisation"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "framework", "year", "status", "latest"]
    list_filter = ["status", "framework"]
    readonly_fields = ["scores"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "level", "status", "score", "decided_at"]
    list_filter = ["status", "level"]


@admin.register(Label)
class LabelAdmin(SimpleHistoryAdmin):
    list_display = ["number", "organisation", "level", "awarded_on", "expires_on", "source"]
    list_filter = ["level", "source"]
    search_fields = ["number", "organisation__name"]
