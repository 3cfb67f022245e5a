"""JSON twins of the observatory pages (``/api/observatory/...``) with CSV export.

Every statistical endpoint returns the selector's dict unchanged; ``?format=csv&table=NAME``
returns one of its ``tables`` as CSV, so a downloaded table is byte-for-byte the API's numbers.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Q
from django.http import HttpResponse, HttpResponseBase
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.imports.safe_csv import write_dicts
from clusterobs.observatory import services
from clusterobs.observatory.current import current_store
from clusterobs.observatory.models import CustomCluster, CustomRegion, Job, SavedView
from clusterobs.observatory.selectors import caching, glossary
from clusterobs.observatory.selectors import clusters as cluster_reads
from clusterobs.observatory.selectors import compare as compare_reads
from clusterobs.observatory.selectors import maps as map_reads
from clusterobs.observatory.selectors import regions as region_reads
from clusterobs.observatory.selectors import results as result_reads
from clusterobs.observatory.selectors import search as search_reads
from clusterobs.observatory.store import DatasetNotFoundError, ResultsStore, datasets, get_store
from clusterobs.redact import redact_paths


class TableCSVRenderer(BaseRenderer):
    """One table of a statistical response as CSV (``?table=``; default: the first table)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        ctx = renderer_context or {}
        request, response = ctx.get("request"), ctx.get("response")
        if isinstance(data, dict) and "tables" in data:
            tables = data["tables"]
            name = request.query_params.get("table") if request else None
            name = name or next(iter(tables))
            table = tables[name]
            columns, rows = table["columns"], table["rows"]
            if response is not None:
                response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        elif isinstance(data, list):
            rows = data
            columns = list(rows[0]) if rows else []
        else:
            rows, columns = [data], list(data) if isinstance(data, dict) else []
        return write_dicts(rows, columns).encode("utf-8")


RENDERERS = [JSONRenderer, BrowsableAPIRenderer, TableCSVRenderer]

COMMON = [
    OpenApiParameter("dataset", str, description="Published result name (default: first)"),
    OpenApiParameter("type", str, description="Region type (default: the result's main type)"),
    OpenApiParameter("year", int),
    OpenApiParameter("table", str, description="With format=csv: which table"),
]


def _store(request: Request) -> ResultsStore:
    try:
        return current_store(request)
    except DatasetNotFoundError as exc:
        raise NotFound(str(exc)) from exc


def _year(request: Request) -> int | None:
    y = request.query_params.get("year")
    if not y:
        return None
    try:
        return int(y)
    except ValueError as exc:
        raise ValidationError({"year": "must be an integer"}) from exc


def _list(request: Request, name: str) -> list[str]:
    raw = request.query_params.getlist(name)
    return [x.strip() for v in raw for x in v.split(",") if x.strip()]


def _json_with_etag(data: Any) -> tuple[bytes, str]:
    """Compact JSON and its ETag, computed together so that a cached hit hashes nothing."""
    body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode()
    return body, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'


class _Stats(viewsets.ViewSet):
    permission_classes = [AllowAny]
    renderer_classes = RENDERERS
    filter_backends: list = []

    def respond(self, store: ResultsStore, key: tuple, compute: Any) -> HttpResponseBase:
        """JSON is serialised once per result version (one minute for registry parts) and
        served as bytes with an ETag; other formats (CSV, browsable) render the dict."""
        if getattr(self.request.accepted_renderer, "format", "json") != "json":
            return Response(compute())
        body, etag = store.memo(
            ("json", *key), lambda: _json_with_etag(compute()), ttl=caching.DB_TTL
        )
        if self.request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=60"
        return response

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        """An unknown ``table`` for CSV is a 404 with a JSON body naming the tables."""
        table = request.query_params.get("table")
        data = getattr(response, "data", None)
        if table and isinstance(data, dict) and "tables" in data and table not in data["tables"]:
            response = Response(
                {"detail": f"no table {table!r}; tables: {', '.join(data['tables'])}"},
                status=status.HTTP_404_NOT_FOUND,
            )
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class DatasetViewSet(_Stats):
    """Published results of the mapping engine."""

    @extend_schema(responses={200: dict})
    def list(self, request: Request) -> Response:
        out = []
        for name in datasets():
            out.append(result_reads.dataset_info(get_store(name)))
        return Response(out)


class RegionStatsViewSet(_Stats):
    """Region dashboards (``retrieve``) and region x cluster views."""

    @extend_schema(
        parameters=COMMON, responses={200: dict}, operation_id="observatory_regions_list"
    )
    def list(self, request: Request) -> Response:
        store = _store(request)
        return Response(region_reads.region_list(store, request.query_params.get("type")))

    def _check(self, store: ResultsStore, rt: str, code: str) -> None:
        if not region_reads.region_exists(store, rt, code):
            raise NotFound(f"no {rt} {code!r} in {store.name}")

    @extend_schema(parameters=COMMON, responses={200: dict})
    def retrieve(self, request: Request, pk: str) -> Response:
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        self._check(store, rt, pk)
        year = _year(request)
        return self.respond(
            store,
            ("region", rt, pk, year),
            lambda: region_reads.region_dashboard(store, rt, pk, year),
        )

    @extend_schema(parameters=COMMON, responses={200: dict})
    @action(detail=True, methods=["get"], url_path=r"clusters/(?P<cluster>[^/.]+)")
    def cluster(self, request: Request, pk: str, cluster: str) -> Response:
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        self._check(store, rt, pk)
        if not cluster_reads.cluster_exists(store, cluster):
            raise NotFound(f"no cluster {cluster!r}")
        year = _year(request)
        return self.respond(
            store,
            ("rc", rt, pk, cluster, year),
            lambda: cluster_reads.region_cluster(store, rt, pk, cluster, year),
        )

    @extend_schema(parameters=COMMON, responses={200: dict})
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        """The region profile's JSON twin: the figures of its PDF (the dashboard of the year and
        the cluster-strength map the profile draws), with the PDF's address."""
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        self._check(store, rt, pk)
        d = region_reads.region_dashboard(store, rt, pk, _year(request))
        values = map_reads.map_values(
            store, region_type=rt, indicator="cluster_strength", year=d["year"]
        )
        pdf = reverse("observatory:region-pdf", args=[rt, pk])
        return Response(
            {
                "report": "region profile",
                "pdf_url": f"{pdf}?year={d['year']}&dataset={store.name}",
                "profile": d,
                "map": values,
            }
        )

    @extend_schema(parameters=[*COMMON, OpenApiParameter("cluster", str)], responses={200: dict})
    @action(detail=True, methods=["get"])
    def peers(self, request: Request, pk: str) -> Response:
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        self._check(store, rt, pk)
        return Response(compare_reads.peers(store, rt, pk, request.query_params.get("cluster")))


class ClusterStatsViewSet(_Stats):
    """Cluster dashboards."""

    @extend_schema(
        parameters=COMMON, responses={200: dict}, operation_id="observatory_clusters_list"
    )
    def list(self, request: Request) -> Response:
        return Response(cluster_reads.cluster_list(_store(request)))

    @extend_schema(
        parameters=[*COMMON, OpenApiParameter("region", str, description="Colour related graph")],
        responses={200: dict},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        store = _store(request)
        if not cluster_reads.cluster_exists(store, pk):
            raise NotFound(f"no cluster {pk!r}")
        rt, year = request.query_params.get("type"), _year(request)
        focus = request.query_params.get("region") or None
        return self.respond(
            store,
            ("cluster", pk, rt, year, focus),
            lambda: cluster_reads.cluster_dashboard(store, pk, rt, year, focus),
        )

    @extend_schema(parameters=COMMON, responses={200: dict})
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        """The cluster profile's JSON twin: the figures of its PDF (the cluster dashboard of the
        year and the location-quotient map the profile draws), with the PDF's address."""
        store = _store(request)
        if not cluster_reads.cluster_exists(store, pk):
            raise NotFound(f"no cluster {pk!r}")
        d = cluster_reads.cluster_dashboard(store, pk, None, _year(request))
        values = map_reads.map_values(
            store, region_type=d["region_type"], cluster=pk, year=d["year"]
        )
        pdf = reverse("observatory:cluster-pdf", args=[pk])
        return Response(
            {
                "report": "cluster profile",
                "pdf_url": f"{pdf}?year={d['year']}&dataset={store.name}",
                "profile": d,
                "map": values,
            }
        )


class MapViewSet(_Stats):
    """Choropleth values with their classes and colours."""

    @extend_schema(
        parameters=[
            *COMMON,
            OpenApiParameter("cluster", str),
            OpenApiParameter("subcluster", str),
            OpenApiParameter("indicator", str, enum=list(glossary.MAP_INDICATORS)),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        store = _store(request)
        p = request.query_params
        cluster = p.get("cluster") or None
        if cluster and not cluster_reads.cluster_exists(store, cluster):
            raise NotFound(f"no cluster {cluster!r}")
        try:
            data = map_reads.map_values(
                store,
                region_type=p.get("type") or None,
                cluster=cluster,
                subcluster=p.get("subcluster") or None,
                indicator=p.get("indicator") or "lq_traded_local",
                year=_year(request),
            )
        except ValueError as exc:
            raise ValidationError({"indicator": str(exc)}) from exc
        return Response(data)


class SearchViewSet(_Stats):
    """Autocomplete over region names, cluster names, industry titles and codes."""

    @extend_schema(parameters=[OpenApiParameter("q", str), *COMMON[:1]], responses={200: dict})
    def list(self, request: Request) -> Response:
        return Response(search_reads.search(_store(request), request.query_params.get("q", "")))


class CompareViewSet(_Stats):
    """Up to 10 regions side by side."""

    @extend_schema(
        parameters=[
            *COMMON,
            OpenApiParameter("regions", str, description="Comma-separated codes"),
            OpenApiParameter("clusters", str, description="Comma-separated cluster codes"),
            OpenApiParameter("indicator", str),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        indicator = request.query_params.get("indicator") or "lq_traded_local"
        if indicator not in glossary.MAP_INDICATORS or indicator == "cluster_strength":
            raise ValidationError({"indicator": "unknown indicator"})
        regions = list(dict.fromkeys(_list(request, "regions")))
        if len(regions) > compare_reads.MAX_REGIONS:
            limit = compare_reads.MAX_REGIONS
            raise ValidationError({"regions": f"at most {limit} regions, {len(regions)} given"})
        d = compare_reads.compare(
            store, rt, regions, _list(request, "clusters"), _year(request), indicator
        )
        unknown = {"regions": d.pop("unknown_regions"), "clusters": d.pop("unknown_clusters")}
        d.pop("regions_left_out")
        if unknown["regions"] or unknown["clusters"]:
            raise ValidationError(
                {k: f"not in this result: {', '.join(v)}" for k, v in unknown.items() if v}
            )
        return Response(d)


class SavedViewSerializer(serializers.ModelSerializer):
    params = serializers.DictField(help_text="The view's query parameters")

    class Meta:
        model = SavedView
        fields = ("id", "kind", "name", "params", "created_at")
        read_only_fields = ("id", "created_at")


class SavedViewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's saved views (comparisons, maps)."""

    serializer_class = SavedViewSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return SavedView.objects.filter(owner=self.request.user)

    def perform_create(self, serializer: SavedViewSerializer) -> None:
        d = serializer.validated_data
        serializer.instance = services.save_view(
            owner=self.request.user, kind=d["kind"], name=d["name"], params=d["params"]
        )


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = (
            "id",
            "kind",
            "status",
            "progress",
            "message",
            "seconds",
            "custom_region",
            "custom_cluster",
        )
        read_only_fields = fields

    def to_representation(self, instance: Job) -> dict[str, Any]:
        """A failed job's message names the error, never a server path."""
        data = super().to_representation(instance)
        data["message"] = redact_paths(data.get("message") or "")
        return data


class CustomRegionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    members = serializers.ListField(child=serializers.CharField(max_length=32), max_length=5000)
    job = serializers.SerializerMethodField()

    class Meta:
        model = CustomRegion
        fields = (
            "id",
            "name",
            "dataset",
            "region_type",
            "members",
            "shared",
            "owner",
            "job",
            "result",
        )
        read_only_fields = ("id", "owner", "job", "result")
        extra_kwargs = {"dataset": {"required": False}, "region_type": {"required": False}}

    def get_job(self, obj: CustomRegion) -> dict | None:
        job = obj.jobs.order_by("-created_at").first()
        return JobSerializer(job).data if job else None


class CustomRegionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Custom regions: yours and those shared; creating one starts its recomputation."""

    serializer_class = CustomRegionSerializer
    model = CustomRegion
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        """Shared records and the user's own; only the owner may delete."""
        user = self.request.user
        visible = Q(shared=True)
        if user.is_authenticated:
            visible |= Q(owner=user)
        qs = self.model.objects.filter(visible).select_related("owner")
        if self.action == "destroy":
            qs = qs.filter(owner=user)
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            cr = services.create_custom_region(
                owner=request.user,
                name=d["name"],
                members=d["members"],
                region_type=d.get("region_type"),
                dataset=d.get("dataset"),
                shared=d.get("shared", False),
            )
        except (ValueError, DatasetNotFoundError) as exc:
            raise ValidationError({"members": str(exc)}) from exc
        services.start_recompute(custom_region=cr)
        cr.refresh_from_db()
        return Response(self.get_serializer(cr).data, status=status.HTTP_201_CREATED)


class CustomClusterSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    industries = serializers.ListField(child=serializers.CharField(max_length=16), max_length=5000)
    job = serializers.SerializerMethodField()

    class Meta:
        model = CustomCluster
        fields = ("id", "name", "dataset", "industries", "shared", "owner", "job", "result")
        read_only_fields = ("id", "owner", "job", "result")
        extra_kwargs = {"dataset": {"required": False}}

    def get_job(self, obj: CustomCluster) -> dict | None:
        job = obj.jobs.order_by("-created_at").first()
        return JobSerializer(job).data if job else None


class CustomClusterViewSet(CustomRegionViewSet):
    """Custom clusters (sets of industries): yours and those shared; creating one starts its
    rebuild by the engine."""

    serializer_class = CustomClusterSerializer
    model = CustomCluster

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            cc = services.create_custom_cluster(
                owner=request.user,
                name=d["name"],
                industries=d["industries"],
                dataset=d.get("dataset"),
                shared=d.get("shared", False),
            )
        except (ValueError, DatasetNotFoundError) as exc:
            raise ValidationError({"industries": str(exc)}) from exc
        services.start_recompute(custom_cluster=cc)
        cc.refresh_from_db()
        return Response(self.get_serializer(cc).data, status=status.HTTP_201_CREATED)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Status of a background job (polled by the custom region builder)."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return Job.objects.filter(owner=self.request.user)


ROUTES = {
    "observatory/datasets": (DatasetViewSet, "api-obs-dataset"),
    "observatory/regions": (RegionStatsViewSet, "api-obs-region"),
    "observatory/clusters": (ClusterStatsViewSet, "api-obs-cluster"),
    "observatory/map": (MapViewSet, "api-obs-map"),
    "observatory/search": (SearchViewSet, "api-obs-search"),
    "observatory/compare": (CompareViewSet, "api-obs-compare"),
    "observatory/saved-views": (SavedViewViewSet, "api-obs-saved-view"),
    "observatory/custom-regions": (CustomRegionViewSet, "api-obs-custom-region"),
    "observatory/custom-clusters": (CustomClusterViewSet, "api-obs-custom-cluster"),
    "observatory/jobs": (JobViewSet, "api-obs-job"),
}
