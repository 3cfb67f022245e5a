"""Registry models: data and constraints only (writes live in ``services``, reads in
``selectors``).

Every record carries provenance (source, date), who created and last changed it, a published
flag, a version number for optimistic locking (concurrent edits are detected, never silently
lost) and a full history of changes (django-simple-history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterobs.registry.vocabularies import (
    Breadth,
    Classification,
    ClusterType,
    Density,
    Depth,
    Indicator,
    LinkRole,
    OrganisationKind,
    Performance,
    SchemeKind,
    Spread,
)

#: The provenance an editor states on every registry record; forms, serializers, importers,
#: exporters and the admin all list these names from here.
PROVENANCE_FIELDS = ("source", "source_date", "source_detail", "published")
#: Authorship and versioning the services keep (never typed in by an editor).
AUDIT_FIELDS = ("created_by", "updated_by", "created_at", "updated_at", "version")

#: A cluster's place, typology and description as an editor sees them, in display order: the one
#: list the edit form, the API serializer, the CSV importer and exporter and the admin use.
CLUSTER_PLACE_FIELDS = (
    "place",
    "country",
    "state",
    "district",
    "latitude",
    "longitude",
    "location_precision",
)
CLUSTER_TYPOLOGY_FIELDS = (
    "cluster_type",
    "spread",
    "density",
    "breadth",
    "depth",
    "performance",
    "thematic_challenges",
)
CLUSTER_FIELDS = ("name", "product", *CLUSTER_PLACE_FIELDS, *CLUSTER_TYPOLOGY_FIELDS, "description")
#: An organisation's own fields as an editor sees them (its profile is a model of its own).
ORGANISATION_FIELDS = (
    "name",
    "kind",
    "external_id",
    "country",
    "state",
    "city",
    "latitude",
    "longitude",
    "website",
    "description",
)

#: A cluster organisation's profile: member counts (whole numbers), team and founding, and the
#: free-text lists (sectors, technologies, value chains, labels).
PROFILE_MEMBER_FIELDS = (
    "members_sme",
    "members_large",
    "members_research",
    "members_public",
    "members_other",
)
PROFILE_NUMBER_FIELDS = (*PROFILE_MEMBER_FIELDS, "management_fte", "founding_year")
PROFILE_LIST_FIELDS = ("sectors", "technologies", "value_chains", "labels")
PROFILE_FIELDS = (*PROFILE_NUMBER_FIELDS, *PROFILE_LIST_FIELDS)
#: A dated key figure as an editor records it.
KEY_FIGURE_FIELDS = (
    "indicator",
    "label",
    "value",
    "unit",
    "year",
    "as_of",
    "estimated",
    "source",
    "source_detail",
)
#: A scheme's own fields as an editor sees them.
SCHEME_FIELDS = (
    "name",
    "acronym",
    "kind",
    "institution",
    "country",
    "focus_areas",
    "description",
    "url",
    "clusters",
)


class SlugManager(models.Manager):
    """Natural keys by slug, so backups restore into a database with other primary keys."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class RegistryRecord(models.Model):
    """Provenance, authorship, publication and versioning shared by all registry records."""

    source = models.CharField(max_length=500, blank=True, help_text="Where the facts come from")
    source_date = models.DateField(null=True, blank=True, help_text="Date of the source")
    source_detail = models.TextField(blank=True, help_text="Location or quote in the source")
    published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every change")

    class Meta:
        abstract = True


class KeyManager(models.Manager):
    """Natural keys by ``key``."""

    def get_by_natural_key(self, key: str) -> models.Model:
        return self.get(key=key)


class ThematicChallenge(models.Model):
    """Thematic challenge of a cluster (seed 000, Table 1) with the products that suggest it."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    need = models.CharField(max_length=200, blank=True)
    products = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=500, blank=True)

    objects = KeyManager()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class Cluster(RegistryRecord):
    """A cluster, named by product and place (UNIDO convention)."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    product = models.CharField(
        max_length=300, blank=True, help_text="Blank if the source names none"
    )
    place = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    state = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_precision = models.CharField(
        max_length=20, blank=True, help_text="exact, city, district or state"
    )
    cluster_type = models.CharField(max_length=32, choices=ClusterType.choices, blank=True)
    spread = models.CharField(max_length=16, choices=Spread.choices, blank=True)
    density = models.CharField(max_length=16, choices=Density.choices, blank=True)
    breadth = models.CharField(max_length=16, choices=Breadth.choices, blank=True)
    depth = models.CharField(max_length=16, choices=Depth.choices, blank=True)
    performance = models.CharField(max_length=16, choices=Performance.choices, blank=True)
    thematic_challenges = models.ManyToManyField(ThematicChallenge, blank=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        # The filter indexes carry ``name`` and ``published`` too, so that a filtered,
        # searched list reads its candidates (and their sort key) from the index alone and
        # never touches the wide table rows of records it does not show.
        indexes = [
            models.Index(fields=["country", "name", "published"], name="cluster_country_list_idx"),
            models.Index(
                fields=["cluster_type", "name", "published"], name="cluster_type_list_idx"
            ),
            models.Index(fields=["published", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="cluster_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="cluster_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ClusterIndustryCode(models.Model):
    """An industry or product code of a cluster, in any classification."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="industry_codes")
    classification = models.CharField(max_length=16, choices=Classification.choices)
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["classification", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "classification", "code"], name="cluster_code_unique"
            )
        ]
        indexes = [models.Index(fields=["classification", "code"])]

    def __str__(self) -> str:
        return f"{self.classification} {self.code}"


class KeyFigure(models.Model):
    """A dated observation of a cluster's key figure, with unit and source.

    Figures are never overwritten: a new observation is a new row, so the time line and the
    provenance of each number stay visible.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="key_figures")
    indicator = models.CharField(max_length=16, choices=Indicator.choices)
    label = models.CharField(max_length=200, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    unit = models.CharField(max_length=40, help_text="e.g. enterprises, persons, INR crore")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    estimated = models.BooleanField(default=False)
    source = models.CharField(max_length=500)
    source_detail = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-year", "-as_of"]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value} {self.unit} ({self.year or self.as_of})"


class Organisation(RegistryRecord):
    """A stakeholder: firm, institution, agency, cluster organisation, network."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    external_id = models.CharField(max_length=100, blank=True, help_text="Id in the source")
    country = models.CharField(max_length=2, blank=True, help_text="blank = international")
    state = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_organisations",
        help_text="Users who may edit this organisation's profile",
    )
    clusters = models.ManyToManyField(Cluster, through="ClusterLink", related_name="organisations")
    history = HistoricalRecords(excluded_fields=["version"], m2m_fields=[])

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        # See Cluster: filter indexes that cover a filtered, searched list.
        indexes = [
            models.Index(fields=["country", "name", "published"], name="org_country_list_idx"),
            models.Index(fields=["kind", "name", "published"], name="org_kind_list_idx"),
            models.Index(fields=["published", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class OrganisationProfile(models.Model):
    """Profile of a cluster organisation (members, team, sectors, labels)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="profile"
    )
    members_sme = models.PositiveIntegerField(null=True, blank=True)
    members_large = models.PositiveIntegerField(null=True, blank=True)
    members_research = models.PositiveIntegerField(null=True, blank=True)
    members_public = models.PositiveIntegerField(null=True, blank=True)
    members_other = models.PositiveIntegerField(null=True, blank=True)
    management_fte = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    founding_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    technologies = models.JSONField(default=list, blank=True)
    value_chains = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    @property
    def members_total(self) -> int | None:
        counts = [
            self.members_sme,
            self.members_large,
            self.members_research,
            self.members_public,
            self.members_other,
        ]
        known = [c for c in counts if c is not None]
        return sum(known) if known else None

    def __str__(self) -> str:
        return f"Profile of {self.organisation}"


class OrganisationSector(models.Model):
    """A sector or cluster code an organisation works in (e.g. a U.S. Cluster Mapping code)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sector_codes"
    )
    classification = models.CharField(max_length=16, choices=Classification.choices)
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["classification", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "classification", "code"], name="org_sector_unique"
            )
        ]
        indexes = [models.Index(fields=["classification", "code"])]

    def __str__(self) -> str:
        return f"{self.classification} {self.code}"


class ClusterLink(models.Model):
    """An organisation's role in a cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(max_length=40, choices=LinkRole.choices)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation", "role"], name="cluster_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} as {self.role} in {self.cluster}"


class Scheme(RegistryRecord):
    """A public scheme or a development programme that supports clusters."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    acronym = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=16, choices=SchemeKind.choices)
    institution = models.CharField(max_length=300)
    country = models.CharField(max_length=2)
    focus_areas = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="schemes")
    history = HistoricalRecords(excluded_fields=["version"])

    objects = SlugManager()

    class Meta:
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class SchemeCoverage(models.Model):
    """A dated figure of a scheme's reach (e.g. clusters covered), with its source."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="coverage")
    measure = models.CharField(max_length=100, default="clusters covered")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=40, default="clusters")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=500)
    source_detail = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "-year"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.measure} = {self.value} {self.unit}"


class SchemeComponent(models.Model):
    """A funding component of a scheme as the source states it (e.g. MSE-CDP's DSR, CFC)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="components")
    key = models.SlugField(max_length=80)
    component = models.CharField(max_length=200)
    max_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost_unit = models.CharField(max_length=20, blank=True, help_text="lakh, crore ...")
    currency = models.CharField(max_length=3, blank=True)
    grant_share_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    special_grant_share_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    special_category = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=500)
    source_detail = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key"], name="scheme_component_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.component}"


class Initiative(RegistryRecord):
    """A named cluster initiative or project (the programmes app adds its lifecycle)."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    country = models.CharField(max_length=2, blank=True)
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="initiatives")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="initiatives")
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["version"])

    objects = SlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class CountryFigure(models.Model):
    """A national or aggregate figure (e.g. number of MSME clusters in India), with source."""

    key = models.SlugField(max_length=120, unique=True)
    country = models.CharField(max_length=8, help_text="ISO2, or EU / WORLD")
    indicator = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    unit = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=500)
    source_detail = models.TextField(blank=True)

    class Meta:
        ordering = ["country", "indicator"]

    def __str__(self) -> str:
        return self.label
