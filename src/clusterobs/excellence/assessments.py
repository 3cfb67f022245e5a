"""Writes of the self-assessment: start (with pre-fills), save and resume, import last year's
answers, attach evidence, check completeness, submit (which freezes the benchmarking row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterobs.excellence import permissions
from clusterobs.excellence.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Evidence,
    Framework,
    Indicator,
    IndicatorType,
)
from clusterobs.excellence.prefill import from_measurements, prefill
from clusterobs.registry.models import Organisation, OrganisationSector

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class AssessmentError(ValueError):
    """The assessment cannot take this step; ``errors`` maps indicator keys to messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


def parse_value(indicator: Indicator, raw: str) -> Decimal | None:
    """The stored number for a typed answer; ``ValueError`` says what is wrong with it."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if indicator.type in (IndicatorType.YES_NO, IndicatorType.EVIDENCE):
        if raw.lower() in YES:
            return Decimal(1)
        if raw.lower() in NO:
            return Decimal(0)
        raise ValueError(_("answer yes or no"))
    try:
        number = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("%(raw)s is not a number") % {"raw": raw}) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_("must be a number of zero or more"))
    if indicator.type == IndicatorType.SHARE and number > 100:
        raise ValueError(_("a share is between 0 and 100 per cent"))
    if indicator.type == IndicatorType.SCALE and (number not in range(1, 6)):
        raise ValueError(_("choose a whole number from 1 to 5"))
    return number


def _require_draft(user, assessment: Assessment) -> None:
    if not permissions.can_edit_assessment(user, assessment):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(_("A submitted assessment can no longer be changed."))


@transaction.atomic
def start(*, user, organisation: Organisation, framework: Framework, year: int) -> Assessment:
    """The organisation's draft for that framework and year (resumed if it exists), with every
    answer the platform can pre-fill, marked with its source and awaiting confirmation."""
    if not permissions.manages(user, organisation):
        raise PermissionDenied
    existing = Assessment.objects.filter(
        organisation=organisation, framework=framework, year=year, status=AssessmentStatus.DRAFT
    ).first()
    if existing:
        return existing
    assessment = Assessment.objects.create(
        organisation=organisation, framework=framework, year=year, created_by=user
    )
    for indicator in framework.indicators.exclude(prefill="", me_indicator=""):
        found = prefill(organisation, indicator.prefill, year) if indicator.prefill else None
        if found is None and indicator.me_indicator:
            found = from_measurements(organisation, indicator.me_indicator, year)
        if found is not None:
            value, source = found
            Answer.objects.create(
                assessment=assessment,
                indicator=indicator,
                value=value,
                source=source,
                confirmed=False,
            )
    return assessment


@transaction.atomic
def save_answers(
    *,
    user,
    assessment: Assessment,
    values: dict[str, str],
    texts: dict[str, str] | None = None,
    confirm: set[str] | None = None,
) -> dict[str, str]:
    """Store the valid answers (save and resume); returns the invalid ones' errors by key.

    A value typed by the manager is their own answer (the pre-fill source is dropped when it
    differs); ``confirm`` lists pre-filled or imported answers the manager accepts as they are.
    """
    _require_draft(user, assessment)
    texts, confirm = texts or {}, confirm or set()
    indicators = {i.key: i for i in assessment.framework.indicators.all()}
    answers = {a.indicator.key: a for a in assessment.answers.select_related("indicator")}
    errors: dict[str, str] = {}
    for key, indicator in indicators.items():
        if key not in values and key not in texts and key not in confirm:
            continue
        answer = answers.get(key) or Answer(assessment=assessment, indicator=indicator)
        if key in values:
            try:
                value = parse_value(indicator, values[key])
            except ValueError as exc:
                errors[key] = str(exc)
                continue
            if value != answer.value:
                answer.value, answer.source, answer.confirmed = value, "", True
        if key in texts:
            answer.text = texts[key].strip()
        if key in confirm:
            answer.confirmed = True
        if answer.pk or answer.value is not None or answer.text:
            answer.save()
    return errors


@transaction.atomic
def import_previous(*, user, assessment: Assessment) -> int:
    """Copy the answers of the organisation's latest earlier submitted assessment (same framework
    key, matched by indicator key) into questions not yet answered; they await confirmation."""
    _require_draft(user, assessment)
    previous = (
        Assessment.objects.filter(
            organisation=assessment.organisation,
            framework__key=assessment.framework.key,
            status=AssessmentStatus.SUBMITTED,
            year__lt=assessment.year,
        )
        .order_by("-year", "-submitted_at")
        .first()
    )
    if previous is None:
        raise AssessmentError(_("There is no earlier submitted assessment to import."))
    answered = set(
        assessment.answers.exclude(value=None, text="").values_list("indicator__key", flat=True)
    )
    indicators = {i.key: i for i in assessment.framework.indicators.all()}
    copied = 0
    for old in previous.answers.select_related("indicator"):
        key = old.indicator.key
        if key in answered or key not in indicators:
            continue
        Answer.objects.update_or_create(
            assessment=assessment,
            indicator=indicators[key],
            defaults={
                "value": old.value,
                "text": old.text,
                "source": _("Imported from the %(year)s assessment") % {"year": previous.year},
                "confirmed": False,
            },
        )
        copied += 1
    return copied


def attach_evidence(
    *, user, assessment: Assessment, indicator: Indicator, upload: UploadedFile, title: str = ""
) -> Evidence:
    _require_draft(user, assessment)
    if indicator.framework_id != assessment.framework_id:
        raise AssessmentError(_("That indicator is not part of this assessment."))
    answer, _created = Answer.objects.get_or_create(assessment=assessment, indicator=indicator)
    return Evidence.objects.create(
        answer=answer, title=title or upload.name, file=upload, uploaded_by=user
    )


@dataclass
class Completeness:
    total: int
    answered: int
    missing: list[Indicator] = field(default_factory=list)
    unconfirmed: list[Indicator] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def ready(self) -> bool:
        return not (self.missing or self.unconfirmed or self.errors)


def completeness(assessment: Assessment) -> Completeness:
    """What is still missing before the assessment can be submitted."""
    answers = {a.indicator_id: a for a in assessment.answers.prefetch_related("evidence").all()}
    indicators = list(assessment.framework.indicators.all())
    result = Completeness(total=len(indicators), answered=0)
    for indicator in indicators:
        answer = answers.get(indicator.pk)
        if answer is None or answer.value is None:
            result.missing.append(indicator)
            continue
        result.answered += 1
        if not answer.confirmed:
            result.unconfirmed.append(indicator)
        if (
            indicator.type == IndicatorType.EVIDENCE
            and answer.value == 1
            and not (answer.text or answer.evidence.all())
        ):
            result.errors[indicator.key] = _("attach the evidence or describe where it can be seen")
    return result


def sector_of(organisation: Organisation) -> str:
    """The reference 'sector' of an organisation: its first sector code, else the type of its
    first linked cluster (``type:<cluster type>``), else blank."""
    code = (
        OrganisationSector.objects.filter(organisation=organisation)
        .order_by("classification", "code")
        .values_list("classification", "code")
        .first()
    )
    if code:
        return f"{code[0]}:{code[1]}"
    cluster_type = (
        organisation.clusters.exclude(cluster_type="")
        .order_by("pk")
        .values_list("cluster_type", flat=True)
        .first()
    )
    return f"type:{cluster_type}" if cluster_type else ""


@transaction.atomic
def submit(*, user, assessment: Assessment) -> Assessment:
    """Submit a complete assessment: its scores and reference-group attributes are frozen and it
    becomes the organisation's latest for the framework."""
    _require_draft(user, assessment)
    check = completeness(assessment)
    if not check.ready:
        errors = {i.key: _("not answered") for i in check.missing}
        errors.update({i.key: _("pre-filled value not confirmed") for i in check.unconfirmed})
        errors.update(check.errors)
        raise AssessmentError(_("The assessment is not complete."), errors)
    scores = {
        a.indicator.key: float(a.value)
        for a in assessment.answers.select_related("indicator")
        if a.value is not None
    }
    org = assessment.organisation
    profile = getattr(org, "profile", None)
    age = scores.get("age_years")
    if age is None and profile and profile.founding_year:
        age = max(assessment.year - profile.founding_year, 0)
    members = scores.get("members_total")
    if members is None and profile:
        members = profile.members_total
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.country = org.country
    assessment.sector = sector_of(org)
    assessment.age_years = int(age) if age is not None else None
    assessment.members = int(members) if members is not None else None
    assessment.scores = scores  # save() packs them into ``vector`` too
    assessment.save()
    _mark_latest(assessment)
    return assessment


def _mark_latest(assessment: Assessment) -> None:
    """The newest submitted assessment (by year, then submission) is the one benchmarked, even
    when an older year is submitted late."""
    mine = Assessment.objects.filter(
        organisation=assessment.organisation,
        framework__key=assessment.framework.key,
        status=AssessmentStatus.SUBMITTED,
    )
    newest = mine.order_by("-year", "-submitted_at", "-pk").first()
    mine.exclude(pk=newest.pk).update(latest=False)
    mine.filter(pk=newest.pk).update(latest=True)
    assessment.latest = newest.pk == assessment.pk
