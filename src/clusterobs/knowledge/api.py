"""The library's JSON API under /api/library/: documents, search, case studies, what works.

Reads only (imports go through the CLI and the upload page, which check the whole batch);
every answer is filtered by the reader's access, as the pages are.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clusterobs.knowledge import selectors
from clusterobs.knowledge.models import CaseStudy, CaseStudyResult, Document, DocumentLink
from clusterobs.registry.pagination import WindowCountPagination


class LinkSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = DocumentLink
        fields = ("target", "status", "label", "classification", "code", "evidence")


class DocumentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    links = LinkSerializer(many=True, read_only=True)
    lifecycle_stage = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Document
        fields = (
            "id", "title", "authors", "publisher", "year", "doc_type", "licence", "source_url",
            "citation", "language", "country", "collection", "visibility", "file_name",
            "media_type", "size", "page_count", "content_hash", "lifecycle_stage", "file_url",
            "links",
        )  # fmt: skip

    def get_file_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        from django.urls import reverse

        return reverse("knowledge:file", args=[document.pk])


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents of the library the reader may see (metadata and links; text via search)."""

    serializer_class = DocumentSerializer
    permission_classes = [AllowAny]
    pagination_class = WindowCountPagination
    filter_backends: list = []

    def get_queryset(self) -> Any:
        filters = selectors.Filters.from_params(self.request.query_params)
        return (
            selectors.filtered_documents(self.request.user, filters)
            .prefetch_related("links__cluster", "links__scheme", "links__challenge")
            .select_related("lifecycle_stage")
            .order_by("title", "pk")
        )


class HitSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="passage.document_id")
    document_title = serializers.CharField(source="passage.document.title")
    page = serializers.IntegerField(source="passage.page", allow_null=True)
    heading = serializers.CharField(source="passage.heading")
    text = serializers.CharField(source="passage.text")
    url = serializers.CharField(source="passage.open_url")
    score = serializers.FloatField()
    fulltext_rank = serializers.IntegerField(allow_null=True)
    semantic_rank = serializers.IntegerField(allow_null=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    mode = serializers.CharField()
    notice = serializers.CharField()
    hits = HitSerializer(many=True)
    facets = serializers.DictField(child=serializers.ListField())


class SearchView(APIView):
    """Best passages for a question: full-text, semantic or hybrid (reciprocal rank fusion),
    with facet counts. Falls back to full-text, and says so, without the semantic extra."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Question or words"),
            OpenApiParameter("mode", OpenApiTypes.STR, enum=list(selectors.MODES)),
            OpenApiParameter("limit", OpenApiTypes.INT),
            *[OpenApiParameter(name, OpenApiTypes.STR) for name in selectors.FACETS],
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            limit = max(1, min(int(params.get("limit", 20)), 100))
        except ValueError:
            limit = 20
        result = selectors.search(
            request.user,
            params.get("q", ""),
            filters=selectors.Filters.from_params(params),
            mode=params.get("mode", "hybrid"),
            limit=limit,
        )
        return Response(SearchResultSerializer(result).data)


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStudyResult
        exclude = ("id", "case_study")


class CaseStudySerializer(serializers.ModelSerializer):
    results = ResultSerializer(many=True, read_only=True)
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    challenge = serializers.SlugRelatedField(slug_field="key", read_only=True)
    lifecycle_stage = serializers.SlugRelatedField(slug_field="key", read_only=True)
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CaseStudy
        exclude = ("id", "created_by", "organisations", "evaluation_run")


class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    """Case studies the reader may see, with their results."""

    serializer_class = CaseStudySerializer
    permission_classes = [AllowAny]
    pagination_class = WindowCountPagination
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return (
            selectors.case_studies(self.request.user)
            .select_related("scheme", "initiative")
            .prefetch_related("results", "documents")
            .order_by("title")
        )


class WhatWorksRowSerializer(serializers.Serializer):
    case_study = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    indicator = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    follow_up = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    estimate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    design = serializers.CharField()
    significant = serializers.BooleanField(allow_null=True)


class WhatWorksView(APIView):
    """Effect estimates of the case studies for a challenge and/or intervention kind."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("challenge", OpenApiTypes.STR),
            OpenApiParameter("intervention", OpenApiTypes.STR),
        ],
        responses=WhatWorksRowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = selectors.what_works(
            request.user,
            challenge=request.query_params.get("challenge", ""),
            intervention=request.query_params.get("intervention", ""),
        )
        return Response(WhatWorksRowSerializer(rows, many=True).data)
