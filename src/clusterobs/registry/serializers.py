"""JSON shapes of registry records (the API and every page's JSON twin)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from clusterobs.regions.countries import is_known_country
from clusterobs.regions.models import Region
from clusterobs.registry import services
from clusterobs.registry.codes import AGGREGATES, code_error
from clusterobs.registry.models import (
    CLUSTER_FIELDS,
    KEY_FIGURE_FIELDS,
    ORGANISATION_FIELDS,
    PROVENANCE_FIELDS,
    SCHEME_FIELDS,
    Cluster,
    ClusterIndustryCode,
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
from clusterobs.registry.permissions import can_see_unpublished

#: Provenance and the audit fields a reader may see (who changed a record is in its history).
PROVENANCE = (*PROVENANCE_FIELDS, "created_at", "updated_at", "version")


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _region_ref(region: Region | None) -> dict[str, str] | None:
    if region is None:
        return None
    return {
        "country": region.country,
        "level": region.level,
        "code": region.code,
        "name": region.name,
    }


def _from_row(
    serializer: serializers.ModelSerializer, row: dict[str, Any], path: str
) -> dict[str, Any]:
    """A list-page row (``selectors.*_for_page``) in the serializer's field order."""
    fields = serializer.Meta.fields
    return {"api_url": _absolute(serializer.context, path), **{f: row[f] for f in fields[1:]}}


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ("country", "level", "code", "name")


class IndustryCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClusterIndustryCode
        fields = ("classification", "code", "title")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problem = code_error(attrs["classification"], attrs["code"])
        if problem:
            raise serializers.ValidationError({"code": problem})
        return attrs


class KeyFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigure
        fields = (*KEY_FIGURE_FIELDS, "recorded_at")


class CountryField(serializers.CharField):
    """ISO 3166-1 alpha-2; with ``aggregates=True`` also EU and WORLD (schemes only)."""

    def __init__(self, *args: Any, aggregates: bool = False, **kwargs: Any) -> None:
        self.aggregates = aggregates
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data).upper()
        if self.aggregates and value in AGGREGATES:
            return value
        if value and not is_known_country(value):
            raise serializers.ValidationError(f"{value!r} is not an ISO 3166-1 alpha-2 code")
        return value


class VersionedSerializer(serializers.ModelSerializer):
    """Writes go through the services: creation with authorship, updates with a version check.

    An update must send the ``version`` it read; if the record changed meanwhile the API answers
    409 Conflict instead of overwriting the other edit.
    """

    version = serializers.IntegerField(required=False)

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("version", None)
        many = {k: validated_data.pop(k) for k in list(validated_data) if self._is_m2m(k)}
        try:
            instance = services.create_record(
                self.Meta.model, user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        for field, values in many.items():
            getattr(instance, field).set(values)
        return instance

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        expected = validated_data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError(
                {"version": "send the version you edited, to detect concurrent changes"}
            )
        try:
            return services.update_record(
                instance,
                user=self.context["request"].user,
                expected_version=expected,
                changes=validated_data,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc

    def _is_m2m(self, name: str) -> bool:
        field = self.Meta.model._meta.get_field(name)
        return field.many_to_many


class ClusterListSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-cluster-detail", lookup_field="slug"
    )
    state = RegionRefSerializer(read_only=True, allow_null=True)
    district = RegionRefSerializer(read_only=True, allow_null=True)
    thematic_challenges = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    industry_codes = IndustryCodeSerializer(many=True, read_only=True)

    class Meta:
        model = Cluster
        fields = (
            "api_url",
            "slug",
            "name",
            "product",
            "place",
            "country",
            "state",
            "district",
            "latitude",
            "longitude",
            "cluster_type",
            "performance",
            "thematic_challenges",
            "industry_codes",
            "published",
            "version",
        )

    def to_representation(self, obj: Cluster | dict[str, Any]) -> dict[str, Any]:
        """Hand-built for list pages: same shape as the declared fields, several times faster
        than DRF's field-by-field path (a page of 50 is the API's hot path). The API's list
        pages pass the plain rows of ``selectors.clusters_for_page``; instances work too."""
        if isinstance(obj, dict):
            return _from_row(self, obj, f"/api/clusters/{obj['slug']}/")
        region = _region_ref
        return {
            "api_url": _absolute(self.context, f"/api/clusters/{obj.slug}/"),
            "slug": obj.slug,
            "name": obj.name,
            "product": obj.product,
            "place": obj.place,
            "country": obj.country,
            "state": region(obj.state),
            "district": region(obj.district),
            "latitude": obj.latitude,
            "longitude": obj.longitude,
            "cluster_type": obj.cluster_type,
            "performance": obj.performance,
            "thematic_challenges": [t.key for t in obj.thematic_challenges.all()],
            "industry_codes": [
                {"classification": i.classification, "code": i.code, "title": i.title}
                for i in obj.industry_codes.all()
            ],
            "published": obj.published,
            "version": obj.version,
        }


class ClusterSerializer(VersionedSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-cluster-detail", lookup_field="slug"
    )
    country = CountryField(max_length=2)
    state = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level="state"),
        required=False,
        allow_null=True,
    )
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level="district"),
        required=False,
        allow_null=True,
    )
    thematic_challenges = serializers.SlugRelatedField(
        slug_field="key", many=True, queryset=ThematicChallenge.objects.all(), required=False
    )
    industry_codes = IndustryCodeSerializer(many=True, read_only=True)
    key_figures = KeyFigureSerializer(many=True, read_only=True)
    organisations = serializers.SerializerMethodField()
    schemes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    suggested_challenges = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = (
            "api_url",
            "slug",
            *CLUSTER_FIELDS,
            "suggested_challenges",
            "industry_codes",
            "key_figures",
            "organisations",
            "schemes",
            *PROVENANCE,
        )
        read_only_fields = ("slug", "created_at", "updated_at")

    def get_organisations(self, obj: Cluster) -> list[dict[str, str]]:
        shown = _shows_unpublished(self)
        return [
            {"slug": link.organisation.slug, "name": link.organisation.name, "role": link.role}
            for link in obj.links.all()
            if shown or link.organisation.published
        ]

    def get_suggested_challenges(self, obj: Cluster) -> list[str]:
        return services.suggested_challenges_for(obj.product)

    def to_representation(self, instance: Cluster) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not _shows_unpublished(self):
            data["schemes"] = [s.slug for s in instance.schemes.all() if s.published]
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        country = attrs.get("country") or getattr(self.instance, "country", "")
        for level in ("state", "district"):
            region = attrs.get(level)
            if region is not None and region.country != country:
                raise serializers.ValidationError({level: f"{region} is not in {country}"})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Cluster:
        validated_data.pop("version", None)
        challenges = validated_data.pop("thematic_challenges", None)
        try:
            return services.create_cluster(
                user=self.context["request"].user,
                thematic_challenges=None if challenges is None else [c.key for c in challenges],
                **validated_data,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class OrganisationProfileSerializer(serializers.ModelSerializer):
    members_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrganisationProfile
        exclude = ("id", "organisation")


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationSector
        fields = ("classification", "code", "title")


class OrganisationListSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-organisation-detail", lookup_field="slug"
    )
    sector_codes = SectorSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = (
            "api_url",
            "slug",
            "name",
            "kind",
            "country",
            "city",
            "latitude",
            "longitude",
            "website",
            "sector_codes",
            "published",
            "version",
        )

    def to_representation(self, obj: Organisation | dict[str, Any]) -> dict[str, Any]:
        """Hand-built for list pages (see ClusterListSerializer)."""
        if isinstance(obj, dict):
            return _from_row(self, obj, f"/api/organisations/{obj['slug']}/")
        return {
            "api_url": _absolute(self.context, f"/api/organisations/{obj.slug}/"),
            "slug": obj.slug,
            "name": obj.name,
            "kind": obj.kind,
            "country": obj.country,
            "city": obj.city,
            "latitude": obj.latitude,
            "longitude": obj.longitude,
            "website": obj.website,
            "sector_codes": [
                {"classification": c.classification, "code": c.code, "title": c.title}
                for c in obj.sector_codes.all()
            ],
            "published": obj.published,
            "version": obj.version,
        }


class OrganisationSerializer(VersionedSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-organisation-detail", lookup_field="slug"
    )
    country = CountryField(max_length=2, required=False, allow_blank=True)
    state = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level="state"),
        required=False,
        allow_null=True,
    )
    profile = OrganisationProfileSerializer(read_only=True, allow_null=True)
    sector_codes = SectorSerializer(many=True, read_only=True)
    clusters = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = (
            "api_url",
            "slug",
            *ORGANISATION_FIELDS,
            "profile",
            "sector_codes",
            "clusters",
            *PROVENANCE,
        )
        read_only_fields = ("slug", "created_at", "updated_at")

    def get_clusters(self, obj: Organisation) -> list[dict[str, str]]:
        shown = _shows_unpublished(self)
        return [
            {"slug": link.cluster.slug, "name": link.cluster.name, "role": link.role}
            for link in obj.links.all()
            if shown or link.cluster.published
        ]


def _shows_unpublished(serializer: serializers.Serializer) -> bool:
    """Whether the requesting user may see unpublished records at the other end of a link."""
    request = serializer.context.get("request")
    return request is not None and can_see_unpublished(request.user)


class CoverageSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeCoverage
        fields = ("measure", "value", "unit", "year", "as_of", "note", "source", "source_detail")


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeComponent
        exclude = ("id", "scheme")


class SchemeListSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-scheme-detail", lookup_field="slug"
    )
    coverage = CoverageSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = (
            "api_url",
            "slug",
            "name",
            "acronym",
            "kind",
            "institution",
            "country",
            "focus_areas",
            "coverage",
            "published",
            "version",
        )


class SchemeSerializer(VersionedSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-scheme-detail", lookup_field="slug"
    )
    country = CountryField(max_length=2, aggregates=True)
    coverage = CoverageSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    clusters = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Cluster.objects.all(), required=False
    )

    class Meta:
        model = Scheme
        fields = (
            "api_url",
            "slug",
            *SCHEME_FIELDS,
            "coverage",
            "components",
            *PROVENANCE,
        )
        read_only_fields = ("slug", "created_at", "updated_at")

    def to_representation(self, instance: Scheme) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not _shows_unpublished(self):
            data["clusters"] = [c.slug for c in instance.clusters.all() if c.published]
        return data


class RegistryInitiativeListSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-initiative-detail", lookup_field="slug"
    )
    scheme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Initiative
        fields = (
            "api_url",
            "slug",
            "name",
            "country",
            "scheme",
            "start_year",
            "end_year",
            "source",
            "published",
            "version",
        )


class RegistryInitiativeSerializer(VersionedSerializer):
    """A named cluster initiative or project: where, when, under which scheme, with whom.

    ``programme`` is the slug of the programmes app's record that manages it through the
    cluster development cycle (lifecycle, applications, M&E), when there is one.
    """

    api_url = serializers.HyperlinkedIdentityField(
        view_name="api-initiative-detail", lookup_field="slug"
    )
    country = CountryField(max_length=2, required=False, allow_blank=True)
    scheme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Scheme.objects.all(), required=False, allow_null=True
    )
    clusters = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Cluster.objects.all(), required=False
    )
    organisations = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Organisation.objects.all(), required=False
    )
    programme = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = (
            "api_url",
            "slug",
            "name",
            "country",
            "scheme",
            "clusters",
            "organisations",
            "start_year",
            "end_year",
            "description",
            "programme",
            *PROVENANCE,
        )
        read_only_fields = ("slug", "created_at", "updated_at")

    def get_programme(self, instance: Initiative) -> str | None:
        programme = getattr(instance, "programme", None)
        if programme is None or not (programme.published or _shows_unpublished(self)):
            return None
        return programme.slug

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        end = attrs.get("end_year", getattr(self.instance, "end_year", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_year": "ends before it starts"})
        return attrs

    def to_representation(self, instance: Initiative) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not _shows_unpublished(self):
            data["clusters"] = [c.slug for c in instance.clusters.all() if c.published]
            data["organisations"] = [o.slug for o in instance.organisations.all() if o.published]
            if instance.scheme is not None and not instance.scheme.published:
                data["scheme"] = None
        return data


class HistoryEntrySerializer(serializers.Serializer):
    """One saved version of a record (documents the history answer: a list of these)."""

    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Login name; null for anonymous")
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changed_fields = serializers.ListField(child=serializers.CharField())
