"""REST API of the registry: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clusterobs.registry import selectors, serializers
from clusterobs.registry.pagination import WindowCountPagination
from clusterobs.registry.services import ConflictError, delete_record


def _params(filters: type) -> list[OpenApiParameter]:
    """The list's query parameters, named by the selector's filter dataclass (one list)."""
    return [
        OpenApiParameter(f.name, str, description=f"filter by {f.name}") for f in fields(filters)
    ]


class RegistryViewSet(viewsets.ModelViewSet):
    """Common behaviour: lookup by slug, 409 on edit conflicts, history endpoint."""

    lookup_field = "slug"
    filter_backends: list = []
    list_serializer_class: type = serializers.serializers.Serializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_class(self) -> type:
        if self.action == "list":
            return self.list_serializer_class
        return self.serializer_class

    def get_object(self) -> Any:
        obj = self.detail_selector(self.request.user, self.kwargs["slug"])
        if obj is None:
            raise NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().update(request, *args, **kwargs)
        except ConflictError as exc:
            return Response(
                {"detail": str(exc), "current_version": exc.current_version},
                status=status.HTTP_409_CONFLICT,
            )

    def perform_destroy(self, instance: Any) -> None:
        """Deletes go through the services like every other write (history names the user)."""
        delete_record(instance, user=self.request.user)

    @extend_schema(responses={200: serializers.HistoryEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, slug: str) -> Response:
        """Every saved version of the record: who changed what, and when (who: only for
        signed-in users; an anonymous visitor learns no login name)."""
        obj = self.get_object()
        show_user = request.user.is_authenticated
        entries = []
        for record in obj.history.all().select_related("history_user"):
            changed = []
            if record.prev_record is not None:
                changed = [c.field for c in record.diff_against(record.prev_record).changes]
            entries.append(
                {
                    "date": record.history_date,
                    "user": (
                        record.history_user.username if show_user and record.history_user else None
                    ),
                    "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                    "changed_fields": changed,
                }
            )
        return Response(entries)


@extend_schema_view(list=extend_schema(parameters=_params(selectors.ClusterFilters)))
class ClusterViewSet(RegistryViewSet):
    """Clusters, named by product and place."""

    serializer_class = serializers.ClusterSerializer
    list_serializer_class = serializers.ClusterListSerializer
    model_name = "cluster"
    detail_selector = staticmethod(selectors.cluster_detail)
    pagination_class = WindowCountPagination
    page_loader = staticmethod(selectors.clusters_for_page)

    def get_queryset(self) -> QuerySet:
        return selectors.cluster_list(
            self.request.user,
            selectors.filters_from(self.request.query_params, selectors.ClusterFilters),
        )


@extend_schema_view(list=extend_schema(parameters=_params(selectors.OrganisationFilters)))
class OrganisationViewSet(RegistryViewSet):
    """Stakeholders: firms, institutions, agencies, cluster organisations, networks."""

    serializer_class = serializers.OrganisationSerializer
    list_serializer_class = serializers.OrganisationListSerializer
    model_name = "organisation"
    detail_selector = staticmethod(selectors.organisation_detail)
    pagination_class = WindowCountPagination
    page_loader = staticmethod(selectors.organisations_for_page)

    def get_queryset(self) -> QuerySet:
        return selectors.organisation_list(
            self.request.user,
            selectors.filters_from(self.request.query_params, selectors.OrganisationFilters),
        )


@extend_schema_view(list=extend_schema(parameters=_params(selectors.SchemeFilters)))
class SchemeViewSet(RegistryViewSet):
    """Schemes and programmes that support clusters."""

    serializer_class = serializers.SchemeSerializer
    list_serializer_class = serializers.SchemeListSerializer
    model_name = "scheme"
    detail_selector = staticmethod(selectors.scheme_detail)

    def get_queryset(self) -> QuerySet:
        return selectors.scheme_list(
            self.request.user,
            selectors.filters_from(self.request.query_params, selectors.SchemeFilters),
        )


@extend_schema_view(list=extend_schema(parameters=_params(selectors.InitiativeFilters)))
class InitiativeViewSet(RegistryViewSet):
    """Named cluster initiatives and projects (the programmes app manages their lifecycle)."""

    serializer_class = serializers.RegistryInitiativeSerializer
    list_serializer_class = serializers.RegistryInitiativeListSerializer
    model_name = "initiative"
    detail_selector = staticmethod(selectors.initiative_detail)

    def get_queryset(self) -> QuerySet:
        return selectors.initiative_list(
            self.request.user,
            selectors.filters_from(self.request.query_params, selectors.InitiativeFilters),
        )


class StatsView(APIView):
    """The home page's JSON twin: registry counts and national figures with their sources."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        figures = [
            {
                "country": f.country,
                "indicator": f.indicator,
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "year": f.year,
                "source": f.source,
            }
            for f in selectors.country_figures()
        ]
        return Response({"counts": selectors.home_counts(request.user), "figures": figures})
