"""Claims to manage an organisation (data and constraints only; writes in ``services``).

A signed-up user claims an organisation already in the registry, or proposes a new one, and
says why they may act for it. Nothing changes in the registry until an administrator approves:
then the user becomes one of that organisation's managers (and, for a proposed organisation,
the organisation is created). The claim keeps what was asserted and the verdict, so a decision
can be checked later against what was in front of the administrator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterobs.registry.vocabularies import OrganisationKind


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OrganisationClaim(models.Model):
    """A user's request to manage an existing organisation, or to add and manage a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_claims"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
        help_text=_("The organisation claimed; for a new one, set when the claim is approved"),
    )
    # A proposed new organisation (blank when an existing one is claimed).
    proposed_name = models.CharField(max_length=300, blank=True)
    proposed_kind = models.CharField(max_length=40, choices=OrganisationKind.choices, blank=True)
    proposed_country = models.CharField(max_length=2, blank=True)
    proposed_city = models.CharField(max_length=200, blank=True)
    proposed_website = models.URLField(blank=True)
    proposed_description = models.TextField(blank=True)
    role = models.CharField(max_length=200, help_text=_("The claimant's position"))
    evidence = models.TextField(
        help_text=_("How an administrator can check the claim (a page naming you, a contact)")
    )
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default="pending")
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(proposed_name=""),
                name="accounts_claim_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="accounts_claim_decided_at",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="accounts_one_pending_claim_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.subject} ({self.status})"

    @property
    def subject(self) -> str:
        """The organisation's name, existing or proposed."""
        return self.organisation.name if self.organisation_id else self.proposed_name

    @property
    def is_new_organisation(self) -> bool:
        return bool(self.proposed_name)
