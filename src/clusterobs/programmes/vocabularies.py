"""Fixed vocabularies of the programmes app, and the application status workflow.

Lifecycle *stages* are data (``LifecycleStage`` rows loaded from ``data/lifecycle.json``);
the application workflow below is the scheme-independent sequence every application follows.
"""

from __future__ import annotations

from django.db import models


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    CLARIFICATION_SOUGHT = "clarification_sought", "Clarification sought"
    CLARIFIED = "clarified", "Clarified"
    DPR_UPLOADED = "dpr_uploaded", "DPR uploaded"
    APPROVED = "approved", "Approved"
    SANCTIONED = "sanctioned", "Sanctioned"
    COMPLETED = "completed", "Completed"
    REJECTED = "rejected", "Rejected"


S = ApplicationStatus
#: Allowed moves. Terminal statuses (completed, rejected) have none, and are never flagged.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.CLARIFICATION_SOUGHT, S.DPR_UPLOADED, S.APPROVED, S.REJECTED),
    S.CLARIFICATION_SOUGHT: (S.CLARIFIED, S.REJECTED),
    S.CLARIFIED: (S.CLARIFICATION_SOUGHT, S.DPR_UPLOADED, S.APPROVED, S.REJECTED),
    S.DPR_UPLOADED: (S.CLARIFICATION_SOUGHT, S.APPROVED, S.REJECTED),
    S.APPROVED: (S.SANCTIONED, S.REJECTED),
    S.SANCTIONED: (S.COMPLETED,),
    S.COMPLETED: (),
    S.REJECTED: (),
}
#: Days an application may wait in a status before it is flagged, unless a ``StatusLimit``
#: row says otherwise (editable in the admin).
DEFAULT_LIMIT_DAYS = 30


class DocumentKind(models.TextChoices):
    DSR = "dsr", "Diagnostic study report (DSR)"
    ACTION_PLAN = "action_plan", "Vision and action plan"
    DPR = "dpr", "Detailed project report (DPR)"
    EVALUATION = "evaluation_report", "Evaluation report"
    PROGRESS = "progress_report", "Progress report"
    OTHER = "other", "Other"


class IndicatorLevel(models.TextChoices):
    CLUSTER = "cluster", "Cluster"
    SCHEME = "scheme", "Scheme"
    POLICY = "policy", "Policy"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    ONCE = "once", "Once"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"
    BIENNIAL = "biennial", "Every two years"
    BASELINE_ENDLINE = "baseline_endline", "Baseline and end line"


class ResultLevel(models.TextChoices):
    INPUT = "input", "Inputs"
    ACTIVITY = "activity", "Activities"
    OUTPUT = "output", "Outputs"
    OUTCOME = "outcome", "Outcomes"
    IMPACT = "impact", "Impact"
