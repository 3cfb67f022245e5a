"""The sources page's JSON twin: ``/api/sources/`` and ``/api/sources/{key}/``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from clusterobs.references import selectors
from clusterobs.references.models import SourceDocument


class SourceDocumentSerializer(serializers.ModelSerializer):
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = SourceDocument
        fields = (
            "key",
            "kind",
            "title",
            "subtitle",
            "authors",
            "publisher",
            "place",
            "year",
            "date",
            "series",
            "url",
            "contents",
            "note",
            "citation",
        )


class SourceDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents and classifications that records cite (by title and section)."""

    serializer_class = SourceDocumentSerializer
    permission_classes = [AllowAny]
    lookup_field = "key"
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.source_documents(self.request.query_params.get("kind", ""))
