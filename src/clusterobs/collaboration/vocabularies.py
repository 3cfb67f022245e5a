"""Controlled vocabularies of the collaboration app."""

from __future__ import annotations

from django.db import models


class OfferCategory(models.TextChoices):
    """What a profile offers or needs (the categories partners search by)."""

    TECHNOLOGIES = "technologies", "Technologies"
    PRODUCTS = "products", "Products and services"
    MARKETS = "markets", "Market access"
    RND = "rnd", "R&D and innovation"
    SUPPLY_CHAIN = "supply_chain", "Supply chain"


class ProfileSubject(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    INITIATIVE = "initiative", "Project or initiative"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Visibility(models.TextChoices):
    """Who sees a partner search request."""

    PUBLIC = "public", "Everyone"
    REGISTERED = "registered", "Registered users"
    AUDIENCE = "audience", "Only the chosen organisations"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ContactStatus(models.TextChoices):
    PENDING = "pending", "Waiting for consent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    STRATEGIC_PARTNERSHIP = "strategic_partnership", "Strategic partnership"
    PROJECT = "project", "Joint project"
    NETWORK = "network", "Network or alliance"
    OTHER = "other", "Other"


class AgreementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ENDED = "ended", "Ended"
    UNKNOWN = "unknown", "Not stated in the source"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class EventKind(models.TextChoices):
    CLUSTER_TO_CLUSTER = "c2c", "Cluster-to-cluster matchmaking"
    B2B = "b2b", "B2B matchmaking"
    STUDY_TOUR = "study_tour", "Study tour"
    TRADE_FAIR = "trade_fair", "Trade fair"


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "Requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SCHEDULED = "scheduled", "Scheduled"
