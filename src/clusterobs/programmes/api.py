"""REST API of the programmes app: thin views over selectors and services.

Registered on the project router: ``programme-initiatives``, ``programme-applications``,
``indicators`` and ``funding-calculator``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from clusterobs.programmes import permissions as rules
from clusterobs.programmes import selectors, services
from clusterobs.programmes.models import Application, ClusterInitiative, Indicator
from clusterobs.programmes.rules.engine import Money, RuleError
from clusterobs.registry.models import Cluster, Organisation, Scheme
from clusterobs.registry.services import ConflictError


class SummarySerializer(serializers.ModelSerializer):
    """What anyone may see of a published initiative."""

    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    stage = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = ClusterInitiative
        fields = ["slug", "name", "cluster", "scheme", "stage", "start_date", "end_date"]


class InitiativeSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="slug", queryset=Cluster.objects.all())
    scheme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Scheme.objects.all(), required=False, allow_null=True
    )
    implementing_agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    funding_agencies = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), many=True, required=False
    )
    stage = serializers.SlugRelatedField(slug_field="key", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = ClusterInitiative
        fields = [
            "slug", "name", "cluster", "scheme", "implementing_agency", "funding_agencies",
            "cluster_development_agent", "stage", "start_date", "end_date", "budget",
            "budget_currency", "budget_unit", "description", "published", "version",
        ]  # fmt: skip
        read_only_fields = ["slug"]


class InitiativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cluster development initiatives; full records for those who may read them in full."""

    lookup_field = "slug"
    permission_classes = [rules.ProgrammePermission]
    serializer_class = InitiativeSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.initiative_list(
            self.request.user, scheme=p.get("scheme", ""), stage=p.get("stage", "")
        )

    def get_object(self) -> ClusterInitiative:
        obj = selectors.initiative_detail(self.request.user, self.kwargs["slug"])
        if obj is None:
            raise NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = [self._represent(i) for i in page]
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._represent(self.get_object()))

    def _represent(self, initiative: ClusterInitiative) -> dict:
        if rules.can_read_full(self.request.user, initiative):
            data = dict(InitiativeSerializer(initiative).data)
            data["applications"] = [
                {
                    "id": p.application.pk,
                    "component": p.application.component,
                    "status": p.application.status,
                    "days_pending": p.days,
                    "limit_days": p.limit,
                    "overdue": p.overdue,
                }
                for p in selectors.applications(self.request.user, initiative=initiative)
            ]
            return data
        return dict(SummarySerializer(initiative).data)

    def perform_create(self, serializer: serializers.Serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        try:
            serializer.instance = services.create_initiative(
                user=self.request.user,
                funding_agencies=data.pop("funding_agencies", []),
                **data,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = self.get_object()
        serializer = InitiativeSerializer(initiative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        expected = changes.pop("version", None)
        if expected is None:
            return Response({"version": ["Send the version you edited."]}, status=400)
        try:
            updated = services.update_initiative(
                initiative, user=request.user, expected_version=expected, changes=changes
            )
        except ConflictError as exc:
            return Response(
                {"detail": str(exc), "current_version": exc.current_version},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(InitiativeSerializer(updated).data)


class ApplicationSerializer(serializers.ModelSerializer):
    initiative = serializers.SlugRelatedField(
        slug_field="slug", queryset=ClusterInitiative.objects.all()
    )
    history = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id", "initiative", "component", "reference", "status", "status_since",
            "proposed_cost", "grant_requested", "grant_sanctioned", "grant_released",
            "currency", "unit", "submitted_on", "version", "history",
        ]  # fmt: skip
        read_only_fields = [
            "status", "status_since", "grant_sanctioned", "grant_released", "version",
        ]  # fmt: skip

    def get_history(self, obj: Application) -> list[dict]:
        return [
            {
                "from": c.from_status,
                "to": c.to_status,
                "at": c.changed_at,
                "by": c.changed_by.username if c.changed_by else None,
                "note": c.note,
            }
            for c in obj.status_changes.all()
        ]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField()
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    grant_sanctioned = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True, default=None
    )
    grant_released = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True, default=None
    )


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications to schemes, with their status history, days pending and overdue flag."""

    permission_classes = [rules.ProgrammePermission]
    serializer_class = ApplicationSerializer

    def get_queryset(self) -> Any:
        allowed = rules.full(ClusterInitiative.objects.all(), self.request.user)
        return Application.objects.filter(initiative__in=allowed).prefetch_related(
            "status_changes__changed_by"
        )

    def perform_create(self, serializer: serializers.Serializer) -> None:
        data = dict(serializer.validated_data)
        initiative = data.pop("initiative")
        if not rules.can_edit_initiative(self.request.user, initiative):
            raise PermissionDenied("You may not apply for this initiative.")
        serializer.instance = services.submit_application(
            user=self.request.user, initiative=initiative, **data
        )

    @extend_schema(request=TransitionSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Move the application to another status (token required)."""
        application = self.get_object()
        self.check_object_permissions(request, application)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            updated = services.transition_application(
                user=request.user,
                application=application,
                to_status=data["to_status"],
                expected_version=data["version"],
                note=data["note"],
                grant_sanctioned=data["grant_sanctioned"],
                grant_released=data["grant_released"],
            )
        except ConflictError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(ApplicationSerializer(updated).data)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "key", "name", "level", "definition", "unit", "direction", "frequency",
            "data_source", "source",
        ]  # fmt: skip


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The M&E indicator library (cluster, scheme and policy level)."""

    lookup_field = "key"
    serializer_class = IndicatorSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> Any:
        return selectors.indicator_library(self.request.query_params.get("level", ""))


class CalculationRequest(serializers.Serializer):
    scheme = serializers.CharField(help_text="Rule-set key, e.g. msecdp")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.CharField(required=False, allow_blank=True, default="")
    facts = serializers.DictField(required=False, default=dict)
    organisation = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Applying organisation's slug: adds the facts the platform holds about it "
        "(e.g. ``labels``, the label levels valid on the date, for ``has_label`` rules)",
    )
    costs = serializers.DictField(
        help_text='Component key -> {"amount": "800", "unit": "lakh", "currency": "INR"}'
    )


MAX_AMOUNT = Decimal(10) ** 15


def _amount(component: str, raw: Any) -> Decimal:
    """A finite cost below 10^15 ("1e999999" would overflow the calculation: refused)."""
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise serializers.ValidationError(
            {"costs": {component: f"amount {str(raw)[:40]!r} is not a number below 10^15"}}
        )
    return value


class FundingCalculatorViewSet(viewsets.ViewSet):
    """Eligible grant per component under a scheme's funding rules, with every reason.

    A computation, not a write: open to everyone (no token needed).
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def list(self, request: Request) -> Response:
        """The rule sets: versions, validity dates, sources and components."""
        return Response({key: selectors.rule_sets(key) for key in selectors.rule_set_keys()})

    @extend_schema(request=CalculationRequest, responses={200: dict})
    def create(self, request: Request) -> Response:
        body = CalculationRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            costs = {}
            for key, cost in data["costs"].items():
                cost = cost if isinstance(cost, dict) else {"amount": cost}
                costs[key] = Money(
                    _amount(key, cost["amount"]),
                    str(cost.get("currency", "INR")),
                    str(cost.get("unit", "lakh")),
                )
            org_id = None
            if data["organisation"]:
                org_id = Organisation.objects.values_list("pk", flat=True).get(
                    slug=data["organisation"], published=True
                )
            result = selectors.calculate(
                scheme=data["scheme"],
                facts=data["facts"],
                costs=costs,
                on=data["on"],
                version=data["version"],
                organisation_id=org_id,
            )
        except Organisation.DoesNotExist:
            return Response(
                {"organisation": [f"No published organisation {data['organisation']!r}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except (LookupError, RuleError, ArithmeticError, KeyError, TypeError) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result.as_dict())
