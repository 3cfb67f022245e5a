"""What users save in the observatory: views, custom regions, and the jobs that compute them.

Statistics themselves are never stored here (they live in the engine's Parquet results); a custom
region keeps its member list and, once its job is done, the recomputed measures as JSON (small:
one row per cluster and year).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A named, shareable set of page parameters (e.g. a comparison of regions)."""

    class Kind(models.TextChoices):
        COMPARE = "compare", _("Comparison")
        MAP = "map", _("Map")
        REGION = "region", _("Region dashboard")
        CLUSTER = "cluster", _("Cluster dashboard")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observatory_views"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    params = models.JSONField(default=dict, help_text="Query parameters that restore the view")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CustomRegion(models.Model):
    """A union of regions of one type, recomputed by the engine's rules in a background job."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_regions"
    )
    name = models.CharField(max_length=200)
    dataset = models.CharField(max_length=200)
    region_type = models.CharField(max_length=32)
    members = models.JSONField(help_text="Region codes (strings) of the union")
    shared = models.BooleanField(default=False, help_text="Visible to everyone when shared")
    result = models.JSONField(null=True, blank=True, help_text="Recomputed measures")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class CustomCluster(models.Model):
    """A user-defined cluster (a set of industries), rebuilt by the engine in a background job."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_clusters"
    )
    name = models.CharField(max_length=200)
    dataset = models.CharField(max_length=200)
    industries = models.JSONField(help_text="Industry codes (strings) of the definition")
    shared = models.BooleanField(default=False, help_text="Visible to everyone when shared")
    result = models.JSONField(null=True, blank=True, help_text="Recomputed measures")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """A background computation with visible progress (polled by the page)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observatory_jobs"
    )
    kind = models.CharField(max_length=32, default="custom_region")
    custom_region = models.ForeignKey(
        CustomRegion, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    custom_cluster = models.ForeignKey(
        CustomCluster, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0 to 1")
    message = models.CharField(max_length=300, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"
