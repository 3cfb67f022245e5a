"""JSON twins of the spatial pages (``/api/observatory/spatial/...``), documented in OpenAPI.

Each endpoint returns the spatial selector's dict unchanged; ``?format=csv&table=NAME`` returns
one of its ``tables`` as CSV (the observatory's CSV renderer), so a downloaded table carries the
API's numbers. A cross-border cluster's ``members`` can be posted as they are to
``/api/observatory/custom-regions/`` to make it a custom region.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.observatory import spatial_selectors as sel
from clusterobs.observatory.api import RENDERERS
from clusterobs.observatory.current import current_store
from clusterobs.observatory.store import DatasetNotFoundError, ResultsStore
from clusterobs.spatial.results import MEASURES

DATASET = OpenApiParameter("dataset", str, description="Published result name (default: first)")
TYPE = OpenApiParameter("type", str, description="Region type (default: the result's main type)")
YEAR = OpenApiParameter("year", int, description="Year (default: the last)")
TABLE = OpenApiParameter("table", str, description="With format=csv: which table")
HOTSPOT_PARAMS = [
    OpenApiParameter("cluster", str, required=True, description="Cluster code"),
    OpenApiParameter("measure", str, enum=list(MEASURES), description="Default lq_total"),
    OpenApiParameter("weights", str, description="queen (default), rook, knn:K or distance:KM"),
    OpenApiParameter("basis", str, enum=["gi_star", "lisa"], description="Hot spots merged"),
    DATASET,
    TYPE,
    YEAR,
    TABLE,
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


class _SpatialBase(viewsets.ViewSet):
    permission_classes = [AllowAny]
    renderer_classes = RENDERERS
    filter_backends: list = []

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        table = request.query_params.get("table")
        data = getattr(response, "data", None)
        if table and isinstance(data, dict) and "tables" in data and table not in data["tables"]:
            from rest_framework.renderers import JSONRenderer

            response = Response(
                {"detail": f"no table {table!r}; tables: {', '.join(data['tables'])}"},
                status=404,
            )
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


def _hotspot_data(request: Request) -> dict:
    store = _store(request)
    p = request.query_params
    cluster = p.get("cluster") or ""
    if not sel.cluster_known(store, cluster):
        raise NotFound(f"no cluster {cluster!r} in {store.name}")
    rt = p.get("type") or store.main_type
    if rt not in store.region_types:
        raise NotFound(f"no region type {rt!r} in {store.name}")
    try:
        return sel.hotspots(
            store,
            cluster=cluster,
            measure=p.get("measure") or "lq_total",
            year=_year(request),
            region_type=rt,
            weights=p.get("weights") or "queen",
            basis=p.get("basis") or "gi_star",
        )
    except LookupError as exc:
        raise NotFound(str(exc)) from exc
    except ValueError as exc:
        raise ValidationError({"detail": str(exc)}) from exc


class HotspotViewSet(_SpatialBase):
    """Moran's I, local Moran (LISA) and Getis-Ord Gi* of one measure of one cluster, per region,
    with the cross-border clusters (contiguous significant hot spots)."""

    @extend_schema(parameters=HOTSPOT_PARAMS, responses={200: dict})
    def list(self, request: Request) -> Response:
        return Response(_hotspot_data(request))


class CrossBorderClusterViewSet(_SpatialBase):
    """Cross-border spatial clusters only: members, combined employment and LQs, shares."""

    @extend_schema(parameters=HOTSPOT_PARAMS, responses={200: dict})
    def list(self, request: Request) -> Response:
        d = _hotspot_data(request)
        keys = (
            "dataset",
            "cluster",
            "cluster_name",
            "measure",
            "year",
            "region_type",
            "weights",
            "basis",
            "multiple_testing",
            "alpha",
        )
        return Response(
            {**{k: d[k] for k in keys}, "tables": {"clusters": d["tables"]["clusters"]}}
        )


class ConcentrationViewSet(_SpatialBase):
    """Ellison-Glaeser and Maurel-Sedillot gamma, Herfindahl and Gini per cluster; Krugman
    specialisation per region."""

    @extend_schema(parameters=[DATASET, TYPE, YEAR, TABLE], responses={200: dict})
    def list(self, request: Request) -> Response:
        store = _store(request)
        rt = request.query_params.get("type") or store.main_type
        if rt not in store.region_types:
            raise NotFound(f"no region type {rt!r} in {store.name}")
        return Response(sel.concentration(store, year=_year(request), region_type=rt))


class KdUploadSerializer(serializers.Serializer):
    """A Kd computation on an uploaded point file (the parameters of ``clusterobs spatial kd``)."""

    points = serializers.FileField(help_text="CSV, CSV.gz or Parquet with lon/lat (WGS84)")
    industry = serializers.CharField(max_length=20, help_text="Industry code, any level")
    name = serializers.CharField(max_length=61, help_text="Published as <username>-<name>")
    industry_column = serializers.CharField(max_length=100, default="industry")
    lon_column = serializers.CharField(max_length=100, default="longitude")
    lat_column = serializers.CharField(max_length=100, default="latitude")
    weight_column = serializers.CharField(max_length=100, required=False, allow_blank=True)
    simulations = serializers.IntegerField(default=99, min_value=1, max_value=999)
    r_max = serializers.FloatField(default=200.0, min_value=0.001)
    r_step = serializers.FloatField(default=1.0, min_value=0.001)
    mode = serializers.ChoiceField(choices=["exact", "binned"], default="exact")
    seed = serializers.IntegerField(default=20_261_122)


def kd_request(data: dict):
    from clusterobs.observatory.spatial_services import KdRequest

    return KdRequest(
        industry=data["industry"].strip(),
        name=data["name"].strip(),
        industry_column=data.get("industry_column") or "industry",
        lon_column=data.get("lon_column") or "longitude",
        lat_column=data.get("lat_column") or "latitude",
        weight_column=(data.get("weight_column") or "").strip() or None,
        simulations=int(data.get("simulations") or 99),
        r_max=float(data.get("r_max") or 200.0),
        r_step=float(data.get("r_step") or 1.0),
        mode=data.get("mode") or "exact",
        seed=int(data.get("seed") or 20_261_122),
    )


class KdViewSet(_SpatialBase):
    """Published Duranton-Overman Kd results (``clusterobs spatial kd``) with their bands; signed-in
    users may post a point file to compute one in the background (poll the returned job)."""

    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]*"
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=KdUploadSerializer, responses={202: dict})
    def create(self, request: Request) -> Response:
        from clusterobs.observatory.api import JobSerializer
        from clusterobs.observatory.spatial_services import published_name, start_kd

        s = KdUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            job = start_kd(
                owner=request.user,
                upload=s.validated_data["points"],
                request=kd_request(s.validated_data),
            )
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            raise ValidationError({field if message else "detail": message or str(exc)}) from exc
        name = published_name(request.user, s.validated_data["name"].strip())
        return Response(
            {"name": name, "job": JobSerializer(job).data}, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(responses={200: dict})
    def list(self, request: Request) -> Response:
        return Response(sel.kd_list())

    @extend_schema(parameters=[TABLE], responses={200: dict})
    def retrieve(self, request: Request, pk: str) -> Response:
        try:
            return Response(sel.kd_detail(pk))
        except LookupError as exc:
            raise NotFound(f"no Kd result {pk!r}") from exc


ROUTES = {
    "observatory/spatial/hotspots": (HotspotViewSet, "api-obs-spatial-hotspots"),
    "observatory/spatial/clusters": (CrossBorderClusterViewSet, "api-obs-spatial-clusters"),
    "observatory/spatial/concentration": (ConcentrationViewSet, "api-obs-spatial-concentration"),
    "observatory/spatial/kd": (KdViewSet, "api-obs-spatial-kd"),
}
