"""Admin for the programmes' reference data (status limits are edited here)."""

from django.contrib import admin

from clusterobs.programmes import models

admin.site.register(models.StatusLimit)
admin.site.register(models.LifecycleStage)
admin.site.register(models.Indicator)
admin.site.register(
    models.RuleSet, list_display=["scheme_key", "version", "valid_from", "valid_to"]
)
admin.site.register(models.SchemeFunder)
admin.site.register(models.ClusterInitiative, list_display=["name", "cluster", "scheme", "stage"])
