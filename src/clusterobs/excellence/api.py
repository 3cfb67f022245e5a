"""REST API of the excellence app (``/api/excellence/``): frameworks, label verification and
registry (public), assessments with their benchmarking report and applications (by role)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.excellence import benchmarking, permissions, selectors
from clusterobs.excellence.models import (
    Application,
    Assessment,
    AssessmentStatus,
    Framework,
    Indicator,
    Label,
)


class IndicatorSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "key",
            "area",
            "question",
            "unit",
            "type",
            "better",
            "thresholds",
            "evidence",
            "prefill",
            "rule",
            "advice",
        ]


class FrameworkSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    areas = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "key",
            "version",
            "title",
            "kind",
            "modelled_on",
            "description",
            "valid_from",
            "areas",
            "levels",
            "indicators",
        ]

    def get_areas(self, obj: Framework) -> list[dict[str, str]]:
        return [{"key": a.key, "name": a.name} for a in obj.areas.all()]

    def get_levels(self, obj: Framework) -> list[dict[str, Any]]:
        return [
            {
                "key": lv.key,
                "name": lv.name,
                "rank": lv.rank,
                "validity_years": lv.validity_years,
                "pass_mark": str(lv.pass_mark) if lv.pass_mark is not None else None,
                "national_assessors": lv.national_assessors,
                "foreign_assessors": lv.foreign_assessors,
                "eligibility": lv.eligibility,
            }
            for lv in obj.levels.all()
        ]


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicator frameworks (versioned data), open to everyone."""

    serializer_class = FrameworkSerializer
    permission_classes = [drf_permissions.AllowAny]
    queryset = Framework.objects.prefetch_related("indicators__area", "areas", "levels")


class LabelSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country", read_only=True)
    level = serializers.SlugRelatedField(slug_field="key", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Label
        fields = [
            "number",
            "organisation",
            "organisation_name",
            "country",
            "level",
            "awarded_on",
            "expires_on",
            "status",
            "source",
        ]

    def get_status(self, obj: Label) -> str:
        return selectors.label_status(obj)


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(["valid", "expired", "revoked", "not_yet_valid"])
    valid = serializers.BooleanField()
    level = serializers.CharField()
    level_name = serializers.CharField()
    organisation = serializers.CharField()
    organisation_slug = serializers.CharField()
    country = serializers.CharField()
    awarded_on = serializers.DateField()
    expires_on = serializers.DateField()
    source = serializers.CharField()
    checked_on = serializers.DateField()


class LabelViewSet(viewsets.ReadOnlyModelViewSet):
    """The public label registry; ``/api/excellence/labels/<number>/`` verifies one label."""

    serializer_class = LabelSerializer
    permission_classes = [drf_permissions.AllowAny]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str),
            OpenApiParameter("country", str),
            OpenApiParameter("q", str),
            OpenApiParameter("expired", bool),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.label_registry(
            level=p.get("level", ""),
            country=p.get("country", ""),
            q=p.get("q", ""),
            include_expired=p.get("expired", "").lower() in {"1", "true", "yes"},
        )

    @extend_schema(responses=VerificationSerializer)
    def retrieve(self, request: Request, number: str = "", **kwargs: Any) -> Response:
        """Verify a label by its number: valid today, expired, revoked or unknown (404)."""
        info = selectors.verification(number)
        if info is None:
            raise Http404
        return Response(info)


class AssessmentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    framework = serializers.StringRelatedField()

    class Meta:
        model = Assessment
        fields = ["id", "organisation", "framework", "year", "status", "submitted_at"]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """A manager's own assessments (label admins: all) and their benchmarking reports. Nobody
    else sees an organisation's answers; reports carry only its own values and aggregates."""

    serializer_class = AssessmentSerializer
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return selectors.assessments_for(self.request.user)

    @extend_schema(responses={200: dict})
    @action(detail=True)
    def report(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        if not permissions.can_see_assessment(request.user, assessment):
            raise Http404
        if assessment.status != AssessmentStatus.SUBMITTED:
            return Response({"detail": "The assessment is not submitted."}, status=409)
        return Response(benchmarking.report(assessment).as_dict())


class ApplicationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.SlugRelatedField(slug_field="key", read_only=True)
    label = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "organisation",
            "level",
            "status",
            "eligibility",
            "submitted_at",
            "score",
            "reasons",
            "decided_at",
            "label",
        ]


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Label applications: admins see all, managers their own, assessors those assigned."""

    serializer_class = ApplicationSerializer
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return selectors.applications_for(self.request.user)


ROUTES = {
    "frameworks": (FrameworkViewSet, "api-excellence-framework"),
    "labels": (LabelViewSet, "api-excellence-label"),
    "assessments": (AssessmentViewSet, "api-excellence-assessment"),
    "applications": (ApplicationViewSet, "api-excellence-application"),
}
