"""Writes of the programmes app: keyword-only, typed, permission-checked functions.

Views and the API call these and hold no business logic. Every write that an implementing
agency may make checks :func:`permissions.can_edit_initiative` here as well, so no entry
point can forget it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from clusterobs.imports.cells import RowReader
from clusterobs.imports.errors import ImportValidationError, RowError
from clusterobs.imports.readers import read_table
from clusterobs.programmes import permissions, selectors
from clusterobs.programmes.models import (
    Application,
    ApplicationStatusChange,
    ClusterInitiative,
    EvaluationRun,
    Firm,
    Indicator,
    InitiativeDocument,
    InitiativeIndicator,
    LifecycleStage,
    Measurement,
    ResultsChainItem,
    StageEvent,
    SurveyResponse,
)
from clusterobs.programmes.vocabularies import TRANSITIONS, ApplicationStatus
from clusterobs.registry.services import (
    UserLike,
    acting_user,
    lock_version,
    unique_slug,
    update_record,
)


def _require_edit(user: UserLike, initiative: ClusterInitiative) -> None:
    if user is None or not permissions.can_edit_initiative(user, initiative):
        raise PermissionDenied("Only the implementing agency and editors change this initiative.")


# --- initiatives and lifecycle ----------------------------------------------------------------


def create_initiative(
    *,
    user: UserLike,
    name: str,
    cluster: Any,
    stage_key: str = "selection",
    reached_on: dt.date | None = None,
    funding_agencies: list[Any] | None = None,
    **fields: Any,
) -> ClusterInitiative:
    """Create an initiative at ``stage_key`` (recorded as reached on ``reached_on``)."""
    if user is None or not permissions.can_create_initiative(user):
        raise PermissionDenied("Only editors and organisation managers create initiatives.")
    agency = fields.get("implementing_agency")
    if not permissions.is_editor(user) and (
        agency is None or not agency.managers.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied("You may create initiatives only as their implementing agency.")
    stage = LifecycleStage.objects.get(key=stage_key)
    with transaction.atomic():
        initiative = ClusterInitiative(
            name=name,
            slug=fields.pop("slug", "") or unique_slug(ClusterInitiative, name),
            cluster=cluster,
            stage=stage,
            created_by=acting_user(user),
            updated_by=acting_user(user),
            **fields,
        )
        initiative._history_user = acting_user(user)
        initiative.full_clean()
        initiative.save()
        if funding_agencies:
            initiative.funding_agencies.set(funding_agencies)
        StageEvent.objects.create(
            initiative=initiative,
            stage=stage,
            reached_on=reached_on or initiative.start_date or timezone.localdate(),
            recorded_by=acting_user(user),
        )
    return initiative


def update_initiative(
    initiative: ClusterInitiative,
    *,
    user: UserLike,
    expected_version: int,
    changes: dict[str, Any],
) -> ClusterInitiative:
    """Apply ``changes`` unless someone saved the initiative since ``expected_version``
    (the registry's versioned update: a stale version raises ``ConflictError``)."""
    _require_edit(user, initiative)
    changes = dict(changes)
    changes.pop("stage", None)  # stages move through ``reach_stage`` only
    if changes.get("funding_agencies") is None:
        changes.pop("funding_agencies", None)
    return update_record(initiative, user=user, expected_version=expected_version, changes=changes)


def reach_stage(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    stage_key: str,
    reached_on: dt.date,
    note: str = "",
) -> StageEvent:
    """Record that the initiative reached a stage; its current stage is the furthest reached.

    Stages may be recorded out of order (a late DSR upload), but each once.
    """
    _require_edit(user, initiative)
    stage = LifecycleStage.objects.get(key=stage_key)
    if StageEvent.objects.filter(initiative=initiative, stage=stage).exists():
        raise ValidationError(f"{initiative} already reached '{stage}'.")
    with transaction.atomic():
        event = StageEvent.objects.create(
            initiative=initiative,
            stage=stage,
            reached_on=reached_on,
            note=note,
            recorded_by=acting_user(user),
        )
        furthest = (
            LifecycleStage.objects.filter(pk__in=initiative.stage_events.values("stage"))
            .order_by("-order")
            .first()
        )
        if furthest and furthest.pk != initiative.stage_id:
            initiative.stage = furthest
            initiative.version += 1
            initiative.updated_by = acting_user(user)
            initiative._history_user = acting_user(user)
            initiative.save()
    return event


MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".doc", ".docx", ".odt", ".xlsx", ".xls", ".csv", ".txt", ".pptx"}


def upload_document(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    kind: str,
    title: str,
    file: UploadedFile | ContentFile,
    document_date: dt.date | None = None,
    author: str = "",
    description: str = "",
) -> InitiativeDocument:
    """Store an uploaded document under MEDIA_ROOT with its metadata."""
    _require_edit(user, initiative)
    name = Path(file.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            f"{name!r}: upload PDF, office documents, CSV or text "
            f"({', '.join(sorted(ALLOWED_SUFFIXES))})."
        )
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"{name!r} is larger than 50 MB.")
    document = InitiativeDocument(
        initiative=initiative,
        kind=kind,
        title=title,
        document_date=document_date,
        author=author,
        description=description,
        content_type=getattr(file, "content_type", "") or "",
        size=file.size or 0,
        uploaded_by=acting_user(user),
    )
    document.file.save(name, file, save=False)
    document.full_clean()
    document.save()
    return document


# --- applications ------------------------------------------------------------------------------


def _require_known_component(initiative: ClusterInitiative, component: str) -> None:
    """Refuse a component the scheme's funding rules do not define (any version)."""
    from clusterobs.programmes.models import RuleSet

    if initiative.scheme is None:
        return
    key = re.sub(r"[^a-z0-9]", "", (initiative.scheme.acronym or initiative.scheme.slug).lower())
    definitions = [r.definition for r in RuleSet.objects.filter(scheme_key=key)]
    known = {c["key"] for d in definitions for c in d.get("components", [])}
    if known and component not in known:
        raise ValidationError(
            {"component": f"unknown component {component!r}; use one of {sorted(known)}"}
        )


def submit_application(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    component: str,
    proposed_cost: Decimal,
    unit: str = "lakh",
    currency: str = "INR",
    grant_requested: Decimal | None = None,
    reference: str = "",
    submitted_on: dt.date | None = None,
) -> Application:
    _require_edit(user, initiative)
    _require_known_component(initiative, component)
    now = timezone.now()
    with transaction.atomic():
        application = Application(
            initiative=initiative,
            component=component,
            proposed_cost=proposed_cost,
            unit=unit,
            currency=currency,
            grant_requested=grant_requested,
            reference=reference,
            submitted_on=submitted_on or timezone.localdate(),
            status=ApplicationStatus.SUBMITTED,
            status_since=now,
        )
        application.full_clean()
        application.save()
        ApplicationStatusChange.objects.create(
            application=application,
            from_status="",
            to_status=ApplicationStatus.SUBMITTED,
            changed_at=now,
            changed_by=acting_user(user),
        )
    return application


#: Moves that decide on an application: the funder's side, so editors (the scheme's
#: administrators on this platform) make them, never the applicant.
DECISIONS = {
    ApplicationStatus.CLARIFICATION_SOUGHT,
    ApplicationStatus.APPROVED,
    ApplicationStatus.SANCTIONED,
    ApplicationStatus.REJECTED,
}


def transition_application(
    *,
    user: UserLike,
    application: Application,
    to_status: str,
    expected_version: int,
    note: str = "",
    at: dt.datetime | None = None,
    grant_sanctioned: Decimal | None = None,
    grant_released: Decimal | None = None,
) -> Application:
    """Move an application along the workflow, appending to its history.

    The implementing agency answers (clarified, DPR uploaded, completed); decisions (seek
    clarification, approve, sanction, reject) are the scheme administrators' (editors').
    """
    _require_edit(user, application.initiative)
    if to_status in DECISIONS and not permissions.is_editor(user):
        raise PermissionDenied("Only the scheme's administrators (editors) decide applications.")
    at = at or timezone.now()
    with transaction.atomic():
        current = lock_version(application, expected_version)
        allowed = TRANSITIONS[current.status]
        if to_status not in allowed:
            names = ", ".join(allowed) or "none (final status)"
            raise ValidationError(
                f"An application that is '{current.status}' cannot become '{to_status}' "
                f"(allowed: {names})."
            )
        if to_status == ApplicationStatus.SANCTIONED and grant_sanctioned is None:
            raise ValidationError("Give the grant sanctioned when sanctioning.")
        ApplicationStatusChange.objects.create(
            application=current,
            from_status=current.status,
            to_status=to_status,
            changed_at=at,
            changed_by=acting_user(user),
            note=note,
        )
        current.status = to_status
        current.status_since = at
        if grant_sanctioned is not None:
            current.grant_sanctioned = grant_sanctioned
        if grant_released is not None:
            current.grant_released = grant_released
        current.version += 1
        current.full_clean()
        current.save()
    return current


# --- results chain, indicators, measurements ---------------------------------------------------


def add_result(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    level: str,
    description: str,
    assumptions: str = "",
) -> ResultsChainItem:
    _require_edit(user, initiative)
    item = ResultsChainItem(
        initiative=initiative,
        level=level,
        description=description,
        assumptions=assumptions,
        order=initiative.results_chain.count() + 1,
    )
    item.full_clean()
    item.save()
    return item


def track_indicator(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    indicator_key: str,
    baseline: Decimal | None,
    baseline_date: dt.date | None,
    baseline_source: str = "",
    target: Decimal | None = None,
    target_date: dt.date | None = None,
    result: ResultsChainItem | None = None,
) -> InitiativeIndicator:
    """Track an indicator with its baseline and target (updates them if already tracked)."""
    _require_edit(user, initiative)
    indicator = Indicator.objects.get(key=indicator_key)
    tracked, _ = InitiativeIndicator.objects.update_or_create(
        initiative=initiative,
        indicator=indicator,
        defaults={
            "baseline": baseline,
            "baseline_date": baseline_date,
            "baseline_source": baseline_source,
            "target": target,
            "target_date": target_date,
            "result": result,
        },
    )
    return tracked


def record_measurement(
    *,
    user: UserLike,
    tracked: InitiativeIndicator,
    measured_on: dt.date,
    value: Decimal,
    source: str,
    note: str = "",
) -> Measurement:
    _require_edit(user, tracked.initiative)
    measurement = Measurement(
        tracked=tracked,
        measured_on=measured_on,
        value=value,
        source=source,
        note=note,
        recorded_by=acting_user(user),
    )
    measurement.full_clean()
    measurement.save()
    return measurement


MEASUREMENT_COLUMNS = ("indicator", "date", "value", "source")


def import_measurements(*, user: UserLike, initiative: ClusterInitiative, path: str | Path) -> int:
    """Import follow-up measurements from CSV/XLSX/JSON: all rows or none.

    Columns: indicator (key), date (YYYY-MM-DD), value, source, note (optional). Indicators
    not yet tracked by the initiative are refused: set their baseline first.
    """
    _require_edit(user, initiative)
    table = read_table(path)
    errors: list[RowError] = []
    missing = [c for c in MEASUREMENT_COLUMNS if c not in table.columns]
    if missing:
        raise ImportValidationError(
            [RowError(table.file, 1, c, "column is missing") for c in missing]
        )
    tracked = {t.indicator.key: t for t in initiative.indicators.select_related("indicator")}
    existing = set(
        Measurement.objects.filter(tracked__initiative=initiative).values_list(
            "tracked__indicator__key", "measured_on"
        )
    )
    pending = []
    for row in table.rows:
        reader = RowReader(table.file, row, errors)
        key = reader.text("indicator", required=True)
        when = reader.date("date")
        if not reader.has("date"):
            reader.error("date", "is required")
        value = reader.number("value", required=True)
        source = reader.text("source", required=True, max_length=300)
        note = reader.text("note") if "note" in table.columns else ""
        if key and key not in tracked:
            reader.error("indicator", f"{key!r} is not tracked by this initiative")
        elif key and when and ((key, when) in existing):
            reader.error("date", f"{key} already has a measurement on {when}")
        if key in tracked and when and value is not None and source:
            existing.add((key, when))
            pending.append(
                Measurement(
                    tracked=tracked[key],
                    measured_on=when,
                    value=value,
                    source=source,
                    note=note,
                    recorded_by=acting_user(user),
                )
            )
    if errors:
        raise ImportValidationError(errors)
    with transaction.atomic():
        Measurement.objects.bulk_create(pending)
    return len(pending)


# --- firm survey --------------------------------------------------------------------------------


def import_survey(*, user: UserLike, initiative: ClusterInitiative, path: str | Path) -> int:
    """Import firm survey answers (one row per firm and year): all rows or none.

    Columns: firm, cluster, treated_cluster (yes/no), participant (yes/no), year, then one
    column per question of the instrument (``data/survey.json``); firm_name is optional.
    Answers build the firm panel used by the impact evaluation.
    """
    _require_edit(user, initiative)
    instrument = selectors.survey_instrument()
    table = read_table(path)
    errors: list[RowError] = []
    required = ("firm", "cluster", "treated_cluster", "participant", "year")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ImportValidationError(
            [RowError(table.file, 1, c, "column is missing") for c in missing]
        )
    questions = [q for q in instrument["questions"] if q["key"] in table.columns]
    if not questions:
        raise ImportValidationError(
            [RowError(table.file, 1, "", "no column names a question of the survey instrument")]
        )
    firms: dict[str, dict[str, Any]] = {}
    answers: dict[tuple[str, int], dict[str, Any]] = {}
    for row in table.rows:
        reader = RowReader(table.file, row, errors)
        key = reader.text("firm", required=True, max_length=80)
        cluster_name = reader.text("cluster", required=True, max_length=300)
        treated = reader.boolean("treated_cluster", default=False)
        participant = reader.boolean("participant", default=False)
        year = reader.year("year", required=True)
        if participant and not treated:
            reader.error("participant", "a participant must be in a treated cluster")
        facts = {
            "name": reader.text("firm_name") if "firm_name" in table.columns else "",
            "cluster_name": cluster_name,
            "in_treated_cluster": treated,
            "participant": participant,
        }
        if key in firms and firms[key] != facts:
            reader.error("firm", f"{key!r} has different cluster or participation in another row")
        firms.setdefault(key, facts)
        values: dict[str, Any] = {}
        for q in questions:
            if q["type"] == "boolean":
                if reader.has(q["key"]):
                    values[q["key"]] = reader.boolean(q["key"], default=False)
            else:
                number = reader.number(
                    q["key"], minimum=q.get("minimum", 0), maximum=q.get("maximum")
                )
                if number is not None:
                    values[q["key"]] = str(number)
        if key and year:
            if (key, year) in answers:
                reader.error("year", f"firm {key!r} has two rows for {year}")
            answers[(key, year)] = values
    if errors:
        raise ImportValidationError(errors)
    with transaction.atomic():
        stored = {}
        for key, facts in firms.items():
            stored[key], _ = Firm.objects.update_or_create(
                initiative=initiative, key=key, defaults=facts
            )
        for (key, year), values in answers.items():
            SurveyResponse.objects.update_or_create(
                firm=stored[key], year=year, defaults={"answers": values}
            )
    return len(answers)


# --- evaluation --------------------------------------------------------------------------------


def run_evaluation(
    *, user: UserLike, initiative: ClusterInitiative, outcome: str, programme_start: int
) -> EvaluationRun:
    """Estimate the programme's effect on ``outcome`` from the firm panel and store it."""
    from clusterobs.programmes import evaluation

    _require_edit(user, initiative)
    panel = selectors.firm_panel(initiative, outcome=outcome, programme_start=programme_start)
    if panel.empty:
        raise ValidationError(f"No survey answers for {outcome!r}: import the firm survey first.")
    try:
        common = {"outcome": "y", "unit": "firm", "time": "year", "start": "start"}
        result = evaluation.did(panel, cluster="cluster", **common)
        events = evaluation.event_study(panel, cluster="cluster", **common)
        spill = None
        participants = panel["participant"]
        treated = panel["start"].notna()
        if (treated & (participants == 0)).any() and (treated & (participants == 1)).any():
            spill = evaluation.did_with_spillovers(
                panel, cluster="cluster", participant="participant", **common
            )
    except (ValueError, ZeroDivisionError, IndexError) as exc:
        raise ValidationError(f"The evaluation could not be estimated: {exc}") from exc
    results = {
        "did": result.as_dict(),
        "event_study": events.as_dict(),
        "spillovers": spill.as_dict() if spill else None,
        "panel": {
            "firms": int(panel["firm"].nunique()),
            "clusters": int(panel["cluster"].nunique()),
            "years": sorted(int(y) for y in panel["year"].unique()),
            "treated_firms": int(panel.loc[treated, "firm"].nunique()),
        },
    }
    chart = evaluation.event_study_svg(
        events.coefficients, title=f"Event study: {outcome} (95% CI, clustered by cluster)"
    )
    return EvaluationRun.objects.create(
        initiative=initiative,
        outcome=outcome,
        programme_start=programme_start,
        results=results,
        chart_svg=chart,
        created_by=acting_user(user),
    )


def save_evaluation_report(*, user: UserLike, run: EvaluationRun, pdf: bytes) -> InitiativeDocument:
    """Store an evaluation's PDF report as the initiative's evaluation report document."""
    _require_edit(user, run.initiative)
    document = upload_document(
        user=user,
        initiative=run.initiative,
        kind="evaluation_report",
        title=f"Impact evaluation: {run.outcome} ({run.created_at:%Y-%m-%d})",
        file=ContentFile(pdf, name=f"evaluation-{run.pk}-{run.outcome}.pdf"),
        document_date=timezone.localdate(),
        author=str(acting_user(user) or ""),
        description="Difference-in-differences with clustered standard errors, event study "
        "and spillovers, generated by the platform.",
    )
    run.report = document
    run.save(update_fields=["report"])
    return document


def record_survey_response(
    *,
    user: UserLike,
    initiative: ClusterInitiative,
    firm: str,
    cluster_name: str,
    in_treated_cluster: bool,
    participant: bool,
    year: int,
    answers: dict[str, Any],
    firm_name: str = "",
) -> SurveyResponse:
    """One firm's answers for one year, entered in the web form (the same rules as
    ``import_survey``): a firm keeps its cluster and participation across years, a participant is
    in a treated cluster, numbers respect the instrument's bounds; a year answered again is
    replaced, unanswered questions are left out (never stored as 0)."""
    _require_edit(user, initiative)
    questions = {q["key"]: q for q in selectors.survey_instrument()["questions"]}
    errors: dict[str, list[str]] = {}
    if participant and not in_treated_cluster:
        errors["participant"] = ["A participant must be in a treated cluster."]
    values: dict[str, Any] = {}
    for key, value in answers.items():
        q = questions.get(key)
        if q is None:
            errors[key] = ["Not a question of the survey instrument."]
        elif value is None or value == "":
            continue
        elif q["type"] == "boolean":
            if not isinstance(value, bool):
                errors[key] = ["Answer yes or no."]
            else:
                values[key] = value
        else:
            number = Decimal(str(value))
            low, high = q.get("minimum", 0), q.get("maximum")
            if number < low or (high is not None and number > high):
                bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
                errors[key] = [f"Must be {bounds}."]
            else:
                values[key] = str(number)
    facts = {
        "cluster_name": cluster_name,
        "in_treated_cluster": in_treated_cluster,
        "participant": participant,
    }
    existing = Firm.objects.filter(initiative=initiative, key=firm).first()
    if existing is not None and any(getattr(existing, k) != v for k, v in facts.items()):
        errors["firm"] = [
            f"Firm {firm!r} is already in the panel with another cluster or participation "
            "(change it for every year through an import, or use another firm id)."
        ]
    if not values and not errors:
        errors["__all__"] = ["Answer at least one question."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if existing is None:
            existing = Firm.objects.create(initiative=initiative, key=firm, name=firm_name, **facts)
        elif firm_name and existing.name != firm_name:
            existing.name = firm_name
            existing.save(update_fields=["name"])
        response, _ = SurveyResponse.objects.update_or_create(
            firm=existing, year=year, defaults={"answers": values}
        )
    return response
