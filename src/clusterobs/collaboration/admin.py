"""Admin screens: for inspection and repairs; the workflows run through the pages and services."""

from __future__ import annotations

from django.contrib import admin

from clusterobs.collaboration import models


@admin.register(models.CollaborationProfile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "verified", "published", "updated_at")
    list_filter = ("verified", "published")
    search_fields = ("organisation__name", "initiative__name", "summary")
    raw_id_fields = ("organisation", "initiative", "member_of")


@admin.register(models.VerificationRequest)
class VerificationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("organisation",)


@admin.register(models.PartnerRequest)
class PartnerRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "visibility", "status", "deadline")
    list_filter = ("visibility", "status")
    search_fields = ("title", "description")
    raw_id_fields = ("organisation",)


@admin.register(models.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("sender_org", "recipient_org", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("sender_org", "recipient_org", "request")


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "signed_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "scope")
    filter_horizontal = ("parties",)


class SlotInline(admin.TabularInline):
    model = models.TimeSlot
    extra = 0


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "starts_on", "place", "registration_open")
    list_filter = ("kind",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SlotInline]


@admin.register(models.ClusterRelatedness)
class RelatednessAdmin(admin.ModelAdmin):
    list_display = ("classification", "code", "name", "related_code", "related_name", "percentile")
    list_filter = ("classification", "related")
