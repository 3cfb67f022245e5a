"""JSON twins of the complexity pages (``/api/observatory/complexity/...``), with CSV export.

Each endpoint returns the complexity selector's dict unchanged; ``?format=csv&table=NAME``
returns one of its ``tables`` (e.g. ``opportunities``) as CSV. A result without complexity
outputs answers 404 with a message saying how to add them.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.observatory import complexity_selectors as cx
from clusterobs.observatory.api import COMMON, _list, _Stats, _store, _year
from clusterobs.observatory.store import ResultsStore

SORT = OpenApiParameter(
    "sort", str, enum=list(cx.SORTS), description="Order of the opportunities (default score)"
)
PRIORITIES = OpenApiParameter(
    "priorities",
    str,
    description="Comma-separated cluster or industry codes the region declared as priorities",
)


def _complexity_store(request: Request) -> ResultsStore:
    store = _store(request)
    try:
        cx.require(store)
    except cx.NoComplexityError as exc:
        raise NotFound(str(exc)) from exc
    return store


def _region_type(request: Request, store: ResultsStore) -> str:
    types = cx.region_types(store)
    rt = request.query_params.get("type") or (types[0] if types else "")
    if rt not in types:
        raise ValidationError({"type": f"no complexity outputs for region type {rt!r}"})
    return rt


class ComplexityRegionViewSet(_Stats):
    """ECI ranking (list), a region's complexity profile and opportunities (retrieve), and the
    smart-specialisation check of declared priorities."""

    @extend_schema(
        parameters=COMMON, responses={200: dict}, operation_id="observatory_complexity_ranking"
    )
    def list(self, request: Request) -> Response:
        store = _complexity_store(request)
        rt, year = request.query_params.get("type"), _year(request)
        return self.respond(store, ("cx-ranking", rt, year), lambda: cx.ranking(store, rt, year))

    def _check(self, store: ResultsStore, rt: str, code: str) -> None:
        if not cx.region_exists(store, rt, code):
            raise NotFound(f"no {rt} {code!r} in the complexity outputs of {store.name}")

    @extend_schema(parameters=[*COMMON, SORT], responses={200: dict})
    def retrieve(self, request: Request, pk: str) -> Response:
        store = _complexity_store(request)
        rt = _region_type(request, store)
        self._check(store, rt, pk)
        year = _year(request)
        sort = request.query_params.get("sort") or "score"
        if sort not in cx.SORTS:
            raise ValidationError({"sort": f"one of {', '.join(cx.SORTS)}"})
        return self.respond(
            store,
            ("cx-region", rt, pk, year, sort),
            lambda: cx.region_profile(store, rt, pk, year, sort),
        )

    @extend_schema(
        parameters=[*COMMON, PRIORITIES],
        responses={200: dict},
        operation_id="observatory_complexity_smart_specialisation",
    )
    @action(detail=True, methods=["get"], url_path="smart-specialisation")
    def smart_specialisation(self, request: Request, pk: str) -> Response:
        store = _complexity_store(request)
        rt = _region_type(request, store)
        self._check(store, rt, pk)
        priorities = list(dict.fromkeys(_list(request, "priorities")))
        if len(priorities) > cx.MAX_PRIORITIES:
            raise ValidationError(
                {"priorities": f"at most {cx.MAX_PRIORITIES} codes, {len(priorities)} given"}
            )
        return Response(cx.smart_specialisation(store, rt, pk, _year(request), priorities))


class ComplexityIndustryViewSet(_Stats):
    """An industry's (or a cluster's, on a cluster-level result) PCI, trend and closest
    regions."""

    kind = "industry"

    @extend_schema(parameters=COMMON, responses={200: dict})
    def retrieve(self, request: Request, pk: str) -> Response:
        store = _complexity_store(request)
        rt = _region_type(request, store)
        if not cx.members_of(store, pk, self.kind):
            raise NotFound(f"no {self.kind} {pk!r} in the complexity outputs of {store.name}")
        year = _year(request)
        return self.respond(
            store,
            ("cx-unit", self.kind, pk, rt, year),
            lambda: cx.unit_profile(store, pk, rt, year, kind=self.kind),
        )


class ComplexityClusterViewSet(ComplexityIndustryViewSet):
    """A cluster of the result's definition: the cluster itself on a cluster-level result, its
    industries combined on an industry-level one."""

    kind = "cluster"


ROUTES = {
    "observatory/complexity/regions": (ComplexityRegionViewSet, "api-obs-cx-region"),
    "observatory/complexity/industries": (ComplexityIndustryViewSet, "api-obs-cx-industry"),
    "observatory/complexity/clusters": (ComplexityClusterViewSet, "api-obs-cx-cluster"),
}
