"""JSON twins of the impact-evaluation pages: runs (difference-in-differences, event study,
spillovers) and their saved reports, at ``/api/programme-evaluations/``.

Thin over ``services.run_evaluation`` / ``services.save_evaluation_report`` and the programme
permissions: only those who read an initiative in full see its evaluations; only its editors
run one or save its report (with a token, as every API write).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.programmes import permissions as rules
from clusterobs.programmes import reports, selectors, services
from clusterobs.programmes.models import ClusterInitiative, EvaluationRun


class ReportSerializer(serializers.Serializer):
    """The saved PDF report of a run (an initiative document of kind evaluation report)."""

    title = serializers.CharField()
    document_date = serializers.DateField(allow_null=True)
    author = serializers.CharField()
    description = serializers.CharField()
    download_url = serializers.CharField()


class EvaluationRunSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api-programme-evaluation-detail")
    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.CharField(
        source="created_by.get_username", default=None, read_only=True
    )
    page_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationRun
        fields = (
            "id",
            "api_url",
            "initiative",
            "outcome",
            "programme_start",
            "results",
            "created_at",
            "created_by",
            "page_url",
            "pdf_url",
            "report",
        )

    @extend_schema_field(serializers.CharField())
    def get_page_url(self, run: EvaluationRun) -> str:
        return reverse("programmes:evaluation-run", args=[run.initiative.slug, run.pk])

    @extend_schema_field(serializers.CharField())
    def get_pdf_url(self, run: EvaluationRun) -> str:
        return self.get_page_url(run) + "?format=pdf"

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, run: EvaluationRun) -> dict[str, Any] | None:
        document = run.report
        if document is None:
            return None
        return {
            "title": document.title,
            "document_date": document.document_date,
            "author": document.author,
            "description": document.description,
            "download_url": reverse("programmes:document", args=[document.pk]),
        }


class EvaluationRequest(serializers.Serializer):
    initiative = serializers.SlugField(help_text="Slug of the programme initiative")
    outcome = serializers.CharField(help_text="Survey question key, e.g. turnover")
    programme_start = serializers.IntegerField(min_value=1900, max_value=2100)


class EvaluationRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Impact evaluations of programme initiatives, newest first (``?initiative=<slug>``)."""

    serializer_class = EvaluationRunSerializer
    permission_classes = [rules.ProgrammePermission]
    filter_backends: list = []

    def get_queryset(self) -> Any:
        readable = rules.full(ClusterInitiative.objects.all(), self.request.user)
        qs = EvaluationRun.objects.filter(initiative__in=readable).select_related(
            "initiative", "report", "created_by"
        )
        slug = self.request.query_params.get("initiative")
        return qs.filter(initiative__slug=slug) if slug else qs

    @extend_schema(
        parameters=[OpenApiParameter("initiative", str, description="Programme initiative slug")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=EvaluationRequest, responses={201: EvaluationRunSerializer})
    def create(self, request: Request) -> Response:
        """Estimate the programme's effect on an outcome from the firm survey (token)."""
        body = EvaluationRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        initiative = selectors.initiative_detail(request.user, data["initiative"])
        if initiative is None or not rules.can_read_full(request.user, initiative):
            return Response({"initiative": ["No such initiative."]}, status=400)
        try:
            run = services.run_evaluation(
                user=request.user,
                initiative=initiative,
                outcome=data["outcome"],
                programme_start=data["programme_start"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: ReportSerializer},
        description="The run's saved PDF report (404 before it is saved).",
    )
    @extend_schema(methods=["POST"], request=None, responses={201: ReportSerializer})
    @action(detail=True, methods=["get", "post"])
    def report(self, request: Request, pk: str) -> Response:
        """GET: the saved report; POST: render the run as PDF and save it as the initiative's
        evaluation report (token; editors of the initiative)."""
        run = self.get_object()
        if request.method == "POST":
            self.check_object_permissions(request, run)
            pdf = reports.pdf_bytes(
                "programmes/pdf/evaluation.html", {"initiative": run.initiative, "run": run}
            )
            try:
                services.save_evaluation_report(user=request.user, run=run, pdf=pdf)
            except DjangoPermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            run.refresh_from_db()
            return Response(self.get_serializer(run).data["report"], status=201)
        report = self.get_serializer(run).data["report"]
        if report is None:
            return Response({"detail": "No report saved for this evaluation."}, status=404)
        return Response(report)
