"""Fixed vocabularies of the knowledge library: document types, visibility, link states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    DIAGNOSTIC_STUDY = "diagnostic_study", _("Diagnostic study")
    ACTION_PLAN = "action_plan", _("Action plan")
    DPR = "dpr", _("Detailed project report (DPR)")
    EVALUATION = "evaluation", _("Evaluation")
    CASE_STUDY = "case_study", _("Case study")
    POLICY = "policy", _("Policy")
    GUIDE = "guide", _("Guide")
    REPORT = "report", _("Report")


#: programme document kind (``programmes.vocabularies.DocumentKind``) -> library type
FROM_PROGRAMME_KIND = {
    "dsr": DocumentType.DIAGNOSTIC_STUDY,
    "action_plan": DocumentType.ACTION_PLAN,
    "dpr": DocumentType.DPR,
    "evaluation_report": DocumentType.EVALUATION,
    "progress_report": DocumentType.REPORT,
    "other": DocumentType.REPORT,
}


class Visibility(models.TextChoices):
    """Who finds a document: everyone, editors only, or whoever reads its initiative in full."""

    PUBLIC = "public", _("Public")
    EDITORS = "editors", _("Editors only")
    INITIATIVE = "initiative", _("Readers of its initiative")


class LinkTarget(models.TextChoices):
    CLUSTER = "cluster", _("Cluster")
    ORGANISATION = "organisation", _("Organisation")
    SCHEME = "scheme", _("Scheme")
    INITIATIVE = "initiative", _("Programme initiative")
    REGION = "region", _("Region")
    INDUSTRY_CODE = "industry_code", _("Industry code")
    CHALLENGE = "challenge", _("Thematic challenge")


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested from the text")
    CONFIRMED = "confirmed", _("Confirmed by an editor")


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class EvaluationDesign(models.TextChoices):
    RCT = "rct", _("Randomised controlled trial")
    DID = "did", _("Difference-in-differences")
    MATCHING = "matching", _("Matching / comparison group")
    BEFORE_AFTER = "before_after", _("Before and after (no comparison group)")
    QUALITATIVE = "qualitative", _("Qualitative / case evidence")
    NONE = "none", _("Not evaluated")


class InterventionKind(models.TextChoices):
    """What a cluster intervention does (the components of the MSE-CDP and UNIDO cycles)."""

    NETWORKING = "networking", _("Networking and trust building")
    COMMON_FACILITY = "common_facility", _("Common facility centre")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SKILLS = "skills", _("Skills and training")
    TECHNOLOGY = "technology", _("Technology upgrading")
    MARKET_ACCESS = "market_access", _("Market access and exports")
    FINANCE = "finance", _("Access to finance")
    ENVIRONMENT = "environment", _("Environment and energy efficiency")
    INTERNATIONALISATION = "internationalisation", _("International cooperation")
    OTHER = "other", _("Other")
