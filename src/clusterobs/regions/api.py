"""Regions as JSON and as GeoJSON boundaries for maps."""

from __future__ import annotations

from django.db.models import Q
from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = (
            "country",
            "level",
            "code",
            "name",
            "region_type",
            "parent",
            "centroid_lon",
            "centroid_lat",
            "min_lon",
            "min_lat",
            "max_lon",
            "max_lat",
        )


FILTERS = [
    OpenApiParameter("country", str),
    OpenApiParameter("level", str),
    OpenApiParameter("parent", str),
    OpenApiParameter("q", str),
]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions (read-only; imported with ``clusterobs regions import``)."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        p = self.request.query_params
        qs = Region.objects.select_related("parent").order_by("country", "level", "code")
        if p.get("country"):
            qs = qs.filter(country=p["country"].upper())
        if p.get("level"):  # a level (state) or a region type (nuts2, district)
            qs = qs.filter(Q(level=p["level"]) | Q(region_type__iexact=p["level"]))
        if p.get("parent"):
            qs = qs.filter(parent__code=p["parent"])
        if p.get("q"):
            qs = qs.filter(name__icontains=p["q"])
        return qs

    @extend_schema(parameters=FILTERS, responses={200: dict})
    @action(detail=False, methods=["get"])
    def geojson(self, request: Request) -> Response:
        """Boundaries as a GeoJSON FeatureCollection (for choropleths and region pickers)."""
        features = [
            {
                "type": "Feature",
                "id": f"{r.country}-{r.code}",
                "geometry": r.geometry,
                "properties": {
                    "country": r.country,
                    "level": r.level,
                    "code": r.code,
                    "name": r.name,
                },
            }
            for r in self.get_queryset().exclude(geometry__isnull=True)
        ]
        return JsonResponse({"type": "FeatureCollection", "features": features})
