"""Excellence models: data and constraints only (writes in ``services``, reads in ``selectors``).

* A :class:`Framework` is one *version* of an indicator framework (shipped as data in
  ``excellence/data/frameworks/`` and editable in the admin); its :class:`Indicator` rows say what
  is asked, in which unit, which direction is better and which thresholds a label level needs.
* An :class:`Assessment` is one organisation's answers to one framework version; once submitted
  its numeric scores and reference-group attributes are frozen on the row, so benchmarking reads
  one row per organisation, never the answers.
* A :class:`LabelLevel` (bronze, silver, gold...) is assessed with a framework; an
  :class:`Application` for a level goes through eligibility, assessor assignment, scoring and a
  decision; an award creates a :class:`Label` with its number, award and expiry dates.

Decisions (applications, assignments, scores, labels) keep their full history
(django-simple-history).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL
ORG = "registry.Organisation"


class IndicatorType(models.TextChoices):
    NUMBER = "number", _("Number")
    SHARE = "share", _("Share (per cent)")
    SCALE = "scale", _("Scale (1 to 5)")
    YES_NO = "yes_no", _("Yes / no")
    EVIDENCE = "evidence", _("Evidence (document)")


class Better(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class FrameworkKind(models.TextChoices):
    BENCHMARK = "benchmark", _("Benchmarking")
    QUALITY = "quality", _("Quality assessment with thresholds")


class Framework(models.Model):
    """One version of an indicator framework."""

    key = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=FrameworkKind.choices)
    modelled_on = models.TextField(
        blank=True, help_text=_("What the framework is modelled on (written in our own words)")
    )
    description = models.TextField(blank=True)
    valid_from = models.DateField()
    data_file = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True, help_text=_("Offered for new assessments"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="exc_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="exc_area_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A question of a framework, with how to read its answer."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    question = models.TextField()
    unit = models.CharField(max_length=60, blank=True)
    type = models.CharField(max_length=12, choices=IndicatorType.choices)
    better = models.CharField(max_length=8, choices=Better.choices, default=Better.HIGHER)
    thresholds = models.JSONField(
        default=dict, blank=True, help_text=_('Per level: {"gold": 50} (met when at or beyond)')
    )
    evidence = models.TextField(blank=True, help_text=_("The evidence asked for"))
    prefill = models.CharField(
        max_length=40, blank=True, help_text=_("Platform data that pre-fills the answer")
    )
    me_indicator = models.CharField(
        max_length=80,
        blank=True,
        help_text=_(
            "The programmes' M&E indicator (key) this one overlaps; its measurements "
            "pre-fill the answer when the registry holds none"
        ),
    )
    rule = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("When the advice applies, e.g. pct_lt:25, value_lt:3, is:no"),
    )
    advice = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="exc_indicator_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.question[:60]}"


class LabelLevel(models.Model):
    """A label level (bronze, silver, gold-like) and the rules of its lifecycle."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    rank = models.PositiveSmallIntegerField(help_text=_("Higher ranks include lower ones"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="levels")
    validity_years = models.PositiveSmallIntegerField(default=2)
    pass_mark = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("Per cent")
    )
    national_assessors = models.PositiveSmallIntegerField(default=0)
    foreign_assessors = models.PositiveSmallIntegerField(default=0)
    min_assessors = models.PositiveSmallIntegerField(default=1)
    eligibility = models.JSONField(
        default=list, blank=True, help_text=_('Rules, e.g. ["verified_profile"]')
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        default=365, help_text=_("A renewal may be applied for this long before/after expiry")
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(models.Model):
    """An organisation's self-assessment against one framework version."""

    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Frozen on submission: the reference-group attributes and one number per indicator.
    latest = models.BooleanField(default=False, help_text=_("The organisation's latest submitted"))
    country = models.CharField(max_length=2, blank=True)
    sector = models.CharField(max_length=60, blank=True)
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    members = models.PositiveIntegerField(null=True, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    #: the scores as float64 in the framework's indicator order (NaN = unanswered), so the
    #: benchmarking population of 10,000 assessments loads without decoding 10,000 JSON objects
    vector = models.BinaryField(default=b"", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["scores", "vector"])

    class Meta:
        ordering = ["-year", "-id"]
        # covers the population query and its cache key (count and latest submission)
        indexes = [models.Index(fields=["framework", "status", "latest", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.framework.key} {self.year}"

    def save(self, *args, **kwargs) -> None:
        """Keep ``vector`` in step with ``scores`` (bulk writes must set both themselves)."""
        if self.scores:
            keys = self.framework.indicators.order_by("position").values_list("key", flat=True)
            self.vector = score_vector(list(keys), self.scores)
        super().save(*args, **kwargs)


def score_vector(keys: list[str] | tuple[str, ...], scores: dict[str, float]) -> bytes:
    """``Assessment.vector`` of ``scores`` for indicator ``keys`` (in framework order)."""
    import numpy as np

    values = [scores.get(k) for k in keys]
    return np.array([np.nan if v is None else v for v in values], dtype="<f8").tobytes()


class Answer(models.Model):
    """One answer; a pre-filled value keeps its source until the manager confirms it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True, help_text=_("Note or description of the evidence"))
    source = models.CharField(max_length=300, blank=True, help_text=_("Where a pre-fill came from"))
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="exc_answer_unique")
        ]


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"excellence/evidence/{instance.answer.assessment_id}/{filename}"


class Evidence(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=_evidence_path, max_length=400)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Assessor(models.Model):
    """A user accredited to assess label applications; country and employer decide conflicts."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="assessor")
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    organisation = models.ForeignKey(
        ORG, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessors"
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.country})"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INELIGIBLE = "ineligible", _("Not eligible")
    ACCEPTED = "accepted", _("Accepted for assessment")
    AWARDED = "awarded", _("Label awarded")
    REFUSED = "refused", _("Refused")


class Application(models.Model):
    """An organisation's application for a label level."""

    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="label_apps")
    level = models.ForeignKey(LabelLevel, on_delete=models.PROTECT, related_name="applications")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    competitors = models.ManyToManyField(
        ORG, blank=True, related_name="+", help_text=_("Whose staff may not assess")
    )
    eligibility = models.JSONField(default=list, blank=True, help_text=_("Checks and results"))
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    reasons = models.TextField(blank=True, help_text=_("Reasons for the decision"))
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    renewal_of = models.ForeignKey(
        "Label", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals"
    )
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.level} ({self.get_status_display()})"


class AssessorRole(models.TextChoices):
    NATIONAL = "national", _("National")
    FOREIGN = "foreign", _("Foreign")


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=10, choices=AssessorRole.choices)
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="exc_assign_once")
        ]


class Score(models.Model):
    """An assessor's score (0-100 %) on one indicator of an application, with note and evidence."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="excellence/scores/", blank=True, max_length=400)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "indicator"], name="exc_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="exc_score_range"
            ),
        ]


class Label(models.Model):
    """An awarded label. Valid on days ``awarded_on <= day < expires_on`` unless revoked:
    validity is computed from the dates, so the badge disappears by itself on expiry."""

    number = models.CharField(max_length=60, unique=True)
    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="quality_labels")
    level = models.ForeignKey(LabelLevel, on_delete=models.PROTECT, related_name="labels")
    awarded_on = models.DateField()
    expires_on = models.DateField(help_text=_("First day on which the label is no longer valid"))
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="label"
    )
    source = models.CharField(max_length=300, default="Cluster Observatory")
    source_detail = models.TextField(blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-awarded_on", "number"]
        indexes = [models.Index(fields=["expires_on", "awarded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("awarded_on")), name="exc_label_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.level})"

    def is_valid(self, on: dt.date) -> bool:
        revoked = self.revoked_on is not None and self.revoked_on <= on
        return self.awarded_on <= on < self.expires_on and not revoked


class Reminder(models.Model):
    """A renewal reminder sent (one per label and offset, so re-running never repeats one)."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "days_before"], name="exc_reminder_once")
        ]
