"""Knowledge library models: data and constraints only (writes in ``services``, reads in
``selectors``).

A ``Document`` is one file (or, when its licence forbids keeping a copy, a metadata-only
record that cites it); its text is kept as ``Passage`` rows, each with the page it came from,
so that an answer can open the document at that page. ``DocumentLink`` ties a document to the
records it talks about; links found in the text stay *suggested* until an editor confirms them.
A ``CaseStudy`` is the structured record a practitioner recognises, with its results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterobs.knowledge.vocabularies import (
    CaseStudyStatus,
    DocumentType,
    EvaluationDesign,
    InterventionKind,
    LinkStatus,
    LinkTarget,
    Visibility,
)

USER = settings.AUTH_USER_MODEL


def _library_path(instance: Document, filename: str) -> str:
    return f"library/{instance.content_hash[:2]}/{instance.content_hash[:16]}-{filename}"


class Document(models.Model):
    """A document of the library: metadata, the stored file, and where it came from."""

    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    doc_type = models.CharField(
        _("type"), max_length=24, choices=DocumentType.choices, default=DocumentType.REPORT
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    citation = models.TextField(
        _("citation"), blank=True, help_text=_("How to cite it: title and section")
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO alpha-2")
    collection = models.CharField(_("collection"), max_length=100, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file = models.FileField(upload_to=_library_path, max_length=400, blank=True)
    file_name = models.CharField(max_length=300, blank=True, help_text="Name as imported")
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the file: the same file is kept once"
    )
    reference = models.ForeignKey(
        "references.SourceDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_documents",
        help_text=_("The catalogue entry this record cites"),
    )
    initiative = models.ForeignKey(
        "programmes.ClusterInitiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="library_documents",
    )
    initiative_document = models.OneToOneField(
        "programmes.InitiativeDocument",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="library_document",
        help_text=_("The programme upload this entry indexes"),
    )
    lifecycle_stage = models.ForeignKey(
        "programmes.LifecycleStage", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~models.Q(content_hash="") & models.Q(initiative_document__isnull=True),
                name="library_document_hash_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="initiative") | models.Q(initiative__isnull=False),
                name="library_initiative_visibility_needs_initiative",
            ),
        ]
        indexes = [models.Index(fields=["doc_type", "year"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.title

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"


class Passage(models.Model):
    """A stretch of a document's text (a few paragraphs), with its page: the unit of search."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True, help_text="1-based; null if none")
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    embedding = models.BinaryField(null=True, blank=True, help_text="float32 vector, unit length")

    class Meta:
        ordering = ["document", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["document", "ordinal"], name="passage_ordinal_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} p.{self.page or '-'} #{self.ordinal}"

    @property
    def open_url(self) -> str:
        """Where the passage stands: the stored PDF at its page (browsers' PDF viewers honour
        ``#page=N``), else the passage on the document's page."""
        from django.urls import reverse

        document = self.document
        if document.file and document.is_pdf and self.page:
            return f"{reverse('knowledge:file', args=[document.pk])}#page={self.page}"
        return f"{reverse('knowledge:document', args=[document.pk])}#passage-{self.ordinal}"


class DocumentLink(models.Model):
    """A record the document talks about; suggested from its text or set by an editor."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    target = models.CharField(max_length=16, choices=LinkTarget.choices)
    status = models.CharField(
        max_length=12, choices=LinkStatus.choices, default=LinkStatus.SUGGESTED
    )
    cluster = models.ForeignKey(
        "registry.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scheme = models.ForeignKey(
        "registry.Scheme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    initiative = models.ForeignKey(
        "programmes.ClusterInitiative", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    challenge = models.ForeignKey(
        "registry.ThematicChallenge", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    classification = models.CharField(max_length=16, blank=True)
    code = models.CharField(max_length=16, blank=True)
    evidence = models.CharField(max_length=300, blank=True, help_text="The words that matched")
    confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "document", "target", "cluster", "organisation", "scheme", "initiative",
                    "region", "challenge", "classification", "code",
                ],
                name="document_link_once",
                nulls_distinct=False,
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.document} -> {self.label}"

    @property
    def record(self) -> models.Model | None:
        return {
            LinkTarget.CLUSTER: self.cluster,
            LinkTarget.ORGANISATION: self.organisation,
            LinkTarget.SCHEME: self.scheme,
            LinkTarget.INITIATIVE: self.initiative,
            LinkTarget.REGION: self.region,
            LinkTarget.CHALLENGE: self.challenge,
        }.get(self.target)

    @property
    def label(self) -> str:
        if self.target == LinkTarget.INDUSTRY_CODE:
            return f"{self.classification} {self.code}"
        return str(self.record or "")


class CaseStudy(models.Model):
    """A case study as a practitioner writes one: context, problem, intervention, results,
    evaluation design, lessons and sources, tied to the documents behind it."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    status = models.CharField(
        max_length=12, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    context = models.TextField(_("context"), blank=True)
    country = models.CharField(max_length=2, blank=True)
    cluster = models.ForeignKey(
        "registry.Cluster", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )  # fmt: skip
    scheme = models.ForeignKey(
        "registry.Scheme", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )  # fmt: skip
    initiative = models.ForeignKey(
        "programmes.ClusterInitiative", null=True, blank=True, on_delete=models.CASCADE,
        related_name="case_studies",
    )  # fmt: skip
    challenge = models.ForeignKey(
        "registry.ThematicChallenge", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )  # fmt: skip
    problem = models.TextField(_("problem"), blank=True)
    intervention = models.TextField(_("intervention"), blank=True)
    intervention_kind = models.CharField(
        max_length=24, choices=InterventionKind.choices, default=InterventionKind.OTHER
    )
    lifecycle_stage = models.ForeignKey(
        "programmes.LifecycleStage", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    actors = models.TextField(_("actors"), blank=True)
    organisations = models.ManyToManyField("registry.Organisation", blank=True, related_name="+")
    cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    cost_currency = models.CharField(max_length=3, blank=True)
    cost_unit = models.CharField(max_length=10, blank=True, help_text="lakh, crore, million ...")
    funding = models.TextField(_("funding"), blank=True)
    evaluation_design = models.CharField(
        max_length=16, choices=EvaluationDesign.choices, default=EvaluationDesign.NONE
    )
    evaluation_notes = models.TextField(blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("Title and section"))
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="case_studies")
    evaluation_run = models.OneToOneField(
        "programmes.EvaluationRun", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_study",
    )  # fmt: skip
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="initiative") | models.Q(initiative__isnull=False),
                name="case_study_initiative_visibility_needs_initiative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CaseStudyResult(models.Model):
    """A result of a case study: an indicator's baseline and follow-up, and where estimated,
    the effect with its confidence interval (the "what works" comparison reads these)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    follow_up = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    follow_up_year = models.PositiveSmallIntegerField(null=True, blank=True)
    estimate = models.FloatField(null=True, blank=True, help_text="Estimated effect")
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True, help_text="e.g. 0.95")
    p_value = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["case_study", "indicator", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ci_low__isnull=True)
                | models.Q(ci_high__isnull=True)
                | models.Q(ci_low__lte=models.F("ci_high")),
                name="case_result_ci_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_study}: {self.indicator}"
