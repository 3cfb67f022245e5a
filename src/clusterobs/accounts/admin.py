"""Claims in the admin: read-only (decisions go through /accounts/claims/, which adds the
manager and creates a proposed organisation in one transaction)."""

from django.contrib import admin

from clusterobs.accounts.models import OrganisationClaim


@admin.register(OrganisationClaim)
class OrganisationClaimAdmin(admin.ModelAdmin):
    list_display = ("subject", "user", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("proposed_name", "organisation__name", "user__username")
    readonly_fields = [f.name for f in OrganisationClaim._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
