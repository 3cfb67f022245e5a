"""Controlled vocabularies of the registry, with their source.

The cluster typology follows seed 000 ("Cluster Types", UNIDO practice): product type, spread,
density, breadth, depth, performance and thematic challenges.
"""

from __future__ import annotations

from django.db import models


class ClusterType(models.TextChoices):
    """Product-wise type (seed 000, section II a): micro incl. handicraft/handloom, traditional
    manufacturing, high-tech or knowledge."""

    HANDLOOM = "handloom", "Artisan / micro: handloom"
    HANDICRAFT = "handicraft", "Artisan / micro: handicraft"
    ARTISAN = "artisan", "Artisan (other)"
    MICRO = "micro", "Micro-enterprise"
    TRADITIONAL_MANUFACTURING = "traditional_manufacturing", "Traditional manufacturing"
    HIGH_TECH = "high_tech", "High-tech or knowledge"


class Spread(models.TextChoices):
    LOCALISED = "localised", "Localised"
    DISPERSED = "dispersed", "Dispersed"


class Density(models.TextChoices):
    DENSE = "dense", "Dense"
    SPARSE = "sparse", "Sparse"


class Breadth(models.TextChoices):
    NARROW = "narrow", "Narrow"
    BROAD = "broad", "Broad"


class Depth(models.TextChoices):
    DEEP = "deep", "Deep"
    SHALLOW = "shallow", "Shallow"


class Performance(models.TextChoices):
    OVERACHIEVER = "overachiever", "Overachiever (performing)"
    UNDERACHIEVER = "underachiever", "Underachiever (non-performing)"
    LATENT = "latent", "Latent (wannabe)"


class OrganisationKind(models.TextChoices):
    """Stakeholder types of a cluster (seed 000, section II; UNIDO cluster map)."""

    PRINCIPAL_FIRM = "principal_firm", "Principal firm"
    SUPPLIER = "supplier", "Supplier"
    BUYER_TRADER_EXPORTER = "buyer_trader_exporter", "Buyer / trader / exporter"
    BDS_PROVIDER = "bds_provider", "Business development service provider"
    FINANCIAL_INSTITUTION = "financial_institution", "Financial institution"
    TECHNICAL_RND = "technical_rnd_institution", "Technical or R&D institution"
    BMO = "business_membership_organisation", "Business membership organisation"
    GOVERNMENT_AGENCY = "government_agency", "Government agency"
    CLUSTER_ORGANISATION = "cluster_organisation", "Cluster organisation"
    OBSERVATORY_NETWORK = "observatory_network", "Observatory or network"
    DEVELOPMENT_AGENCY = "development_agency", "Development agency"
    OTHER = "other", "Other"


class LinkRole(models.TextChoices):
    """Role of an organisation in a cluster: its kind, or a role in an intervention."""

    PRINCIPAL_FIRM = "principal_firm", "Principal firm"
    SUPPLIER = "supplier", "Supplier"
    BUYER_TRADER_EXPORTER = "buyer_trader_exporter", "Buyer / trader / exporter"
    BDS_PROVIDER = "bds_provider", "Business development service provider"
    FINANCIAL_INSTITUTION = "financial_institution", "Financial institution"
    TECHNICAL_RND = "technical_rnd_institution", "Technical or R&D institution"
    BMO = "business_membership_organisation", "Business membership organisation"
    GOVERNMENT_AGENCY = "government_agency", "Government agency"
    CLUSTER_ORGANISATION = "cluster_organisation", "Cluster organisation"
    OBSERVATORY_NETWORK = "observatory_network", "Observatory or network"
    DEVELOPMENT_AGENCY = "development_agency", "Development agency"
    FACILITATOR = "facilitator", "Facilitator"
    IMPLEMENTING_AGENCY = "implementing_agency", "Implementing agency"
    FUNDER = "funder", "Funder"
    OTHER = "other", "Other"


class SchemeKind(models.TextChoices):
    SCHEME = "scheme", "Scheme"
    PROGRAMME = "programme", "Programme"


class Indicator(models.TextChoices):
    """Key figures of a cluster (always dated observations with source and unit)."""

    UNITS = "units", "Units (enterprises)"
    EMPLOYMENT = "employment", "Employment"
    TURNOVER = "turnover", "Turnover"
    EXPORTS = "exports", "Exports"
    OTHER = "other", "Other"


class Classification(models.TextChoices):
    """Industry and product classifications an industry code can be given in."""

    NAICS1997 = "NAICS1997", "NAICS 1997"
    NAICS2002 = "NAICS2002", "NAICS 2002"
    NAICS2007 = "NAICS2007", "NAICS 2007"
    NAICS2012 = "NAICS2012", "NAICS 2012"
    NAICS2017 = "NAICS2017", "NAICS 2017"
    NAICS2022 = "NAICS2022", "NAICS 2022"
    NACE2 = "NACE2", "NACE Rev. 2"
    ISIC4 = "ISIC4", "ISIC Rev. 4"
    NIC2008 = "NIC2008", "NIC 2008 (India)"
    USCMP = "USCMP", "U.S. Cluster Mapping cluster code"
    HS = "HS", "Harmonized System (products)"
