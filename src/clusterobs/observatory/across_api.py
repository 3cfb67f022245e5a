"""API of the cross-dataset view (:mod:`clusterobs.observatory.across`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.observatory import across
from clusterobs.observatory.api import _Stats


class AcrossViewSet(_Stats):
    """Clusters across the published datasets: which are strong in several (``list``), and one
    cluster's strongest regions in each dataset (``retrieve`` by name)."""

    renderer_classes = [JSONRenderer]
    lookup_value_regex = "[^/]+"  # cluster names hold spaces and commas

    @extend_schema(responses={200: dict}, operation_id="observatory_across_common_clusters")
    def list(self, request: Request) -> Response:
        return Response(across.common_clusters())

    @extend_schema(responses={200: dict}, operation_id="observatory_across_cluster")
    def retrieve(self, request: Request, pk: str) -> Response:
        found = across.cluster_across(pk)
        if found is None:
            raise NotFound(f"no cluster named {pk!r} in any published dataset")
        return Response(found)


ROUTES = {"observatory/across": (AcrossViewSet, "api-obs-across")}
