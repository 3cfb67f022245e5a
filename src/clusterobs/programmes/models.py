"""Programme models: data and constraints only (writes in ``services``, reads in ``selectors``).

A ``ClusterInitiative`` is the programme record of one cluster development intervention: it
may point at the registry's ``Initiative`` (OneToOne, optional) but never changes it. Lifecycle
stages, funding rules and indicators are rows loaded from data files, not code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterobs.programmes.vocabularies import (
    ApplicationStatus,
    Direction,
    DocumentKind,
    Frequency,
    IndicatorLevel,
    ResultLevel,
)

USER = settings.AUTH_USER_MODEL


class LifecycleStage(models.Model):
    """A stage of the UNIDO / MSE-CDP cluster development cycle (``data/lifecycle.json``)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    documents = models.JSONField(default=list, blank=True, help_text="Document kinds expected")
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """One version of a scheme's funding rules: the JSON document the engine applies."""

    scheme_key = models.SlugField(max_length=80, help_text="Scheme key in the rule file")
    scheme = models.ForeignKey(
        "registry.Scheme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    definition = models.JSONField(help_text="As shipped (before inheritance is resolved)")
    source = models.CharField(max_length=500)
    source_detail = models.TextField(blank=True)
    data_file = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheme_key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme_key", "version"], name="ruleset_version"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_key} rules {self.version}"


class ClusterInitiative(models.Model):
    """A cluster development initiative under a scheme: who, where, when, how much, which stage."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    initiative = models.OneToOneField(
        "registry.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme",
    )
    cluster = models.ForeignKey(
        "registry.Cluster", on_delete=models.PROTECT, related_name="programme_initiatives"
    )
    scheme = models.ForeignKey(
        "registry.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_initiatives",
    )
    implementing_agency = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implemented_initiatives",
        help_text="Its managers edit this initiative",
    )
    funding_agencies = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="funded_initiatives"
    )
    cluster_development_agent = models.CharField(max_length=200, blank=True)
    stage = models.ForeignKey(LifecycleStage, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, default="INR")
    budget_unit = models.CharField(max_length=10, default="lakh")
    description = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"], m2m_fields=[])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_order",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="initiative_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageEvent(models.Model):
    """The date an initiative reached a stage (the lifecycle's time line)."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="stage_events"
    )
    stage = models.ForeignKey(LifecycleStage, on_delete=models.PROTECT, related_name="+")
    reached_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage__order", "reached_on"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "stage"], name="stage_event_once")
        ]


def _document_path(instance: InitiativeDocument, filename: str) -> str:
    return f"programmes/{instance.initiative.slug}/{filename}"


class InitiativeDocument(models.Model):
    """An uploaded document (DSR, action plan, DPR, evaluation report) with its metadata."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=_document_path, max_length=400)
    document_date = models.DateField(null=True, blank=True)
    author = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SchemeFunder(models.Model):
    """An organisation funding a scheme: its managers read all the scheme's initiatives."""

    scheme = models.ForeignKey("registry.Scheme", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="funded_schemes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="scheme_funder_once")
        ]


class Application(models.Model):
    """An application for a scheme component; its status moves along ``TRANSITIONS``."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="applications"
    )
    component = models.CharField(max_length=80, help_text="Component key in the rule set")
    reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_since = models.DateTimeField()
    proposed_cost = models.DecimalField(max_digits=16, decimal_places=4)
    grant_requested = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    grant_sanctioned = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    grant_released = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, default="INR")
    unit = models.CharField(max_length=10, default="lakh")
    submitted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposed_cost__gt=0), name="application_cost_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.component} ({self.get_status_display()})"


class ApplicationStatusChange(models.Model):
    """One move of an application's status: the full, append-only history."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ApplicationStatus.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]


class StatusLimit(models.Model):
    """Days an application may stay in a status before it is flagged as overdue."""

    status = models.CharField(max_length=24, choices=ApplicationStatus.choices, unique=True)
    days = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.status}: {self.days} days"


class Indicator(models.Model):
    """An indicator of the M&E library (``data/indicators.json``)."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=IndicatorLevel.choices)
    definition = models.TextField()
    unit = models.CharField(max_length=60)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    data_source = models.CharField(max_length=300)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class ResultsChainItem(models.Model):
    """A link of an initiative's results chain (inputs -> ... -> impact) and its assumptions."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="results_chain"
    )
    level = models.CharField(max_length=10, choices=ResultLevel.choices)
    description = models.TextField()
    assumptions = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]


class InitiativeIndicator(models.Model):
    """An indicator tracked by an initiative, with its baseline and target."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        ResultsChainItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_source = models.CharField(max_length=300, blank=True)
    target = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["indicator__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "indicator"], name="initiative_ind_once")
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.indicator}"


class Measurement(models.Model):
    """A follow-up measurement of an initiative's indicator, with date and source."""

    tracked = models.ForeignKey(
        InitiativeIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    source = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tracked", "measured_on"], name="measurement_once")
        ]


class Firm(models.Model):
    """A firm answering the survey: participant in the initiative, or a comparison firm."""

    key = models.CharField(max_length=80, help_text="Id of the firm within the survey")
    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="firms"
    )
    name = models.CharField(max_length=300, blank=True)
    cluster_name = models.CharField(max_length=300, help_text="Cluster the firm belongs to")
    in_treated_cluster = models.BooleanField()
    participant = models.BooleanField(default=False)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "key"], name="firm_key_once"),
            models.CheckConstraint(
                condition=~models.Q(participant=True, in_treated_cluster=False),
                name="participant_in_treated_cluster",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.key


class SurveyResponse(models.Model):
    """A firm's answers to the survey instrument (``data/survey.json``) for one year."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="responses")
    year = models.PositiveSmallIntegerField()
    answers = models.JSONField(help_text="Question key -> value, as the instrument defines")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "year"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "year"], name="survey_response_once")
        ]


class EvaluationRun(models.Model):
    """A stored impact evaluation: parameters, estimates and the event-study chart."""

    initiative = models.ForeignKey(
        ClusterInitiative, on_delete=models.CASCADE, related_name="evaluations"
    )
    outcome = models.CharField(max_length=80)
    programme_start = models.PositiveSmallIntegerField()
    results = models.JSONField()
    chart_svg = models.TextField(blank=True)
    report = models.OneToOneField(
        InitiativeDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
