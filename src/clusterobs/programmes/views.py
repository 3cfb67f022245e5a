"""Programme pages: thin views over ``selectors`` (reads) and ``services`` (writes)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterobs.imports.errors import ImportValidationError
from clusterobs.programmes import forms, permissions, reports, selectors, services
from clusterobs.programmes.evaluation import bar_svg
from clusterobs.programmes.models import EvaluationRun, InitiativeDocument, SurveyResponse
from clusterobs.programmes.rules.engine import Money, RuleError
from clusterobs.programmes.vocabularies import TRANSITIONS, ApplicationStatus
from clusterobs.registry import selectors as registry_selectors
from clusterobs.registry.models import Organisation, Scheme
from clusterobs.registry.services import ConflictError


def _initiative(request: HttpRequest, slug: str, *, edit: bool = False) -> Any:
    initiative = selectors.initiative_detail(request.user, slug)
    if initiative is None:
        raise Http404
    if edit and not permissions.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    return initiative


def _errors(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ImportValidationError):
        for error in exc.errors[:20]:
            messages.error(request, str(error))
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


def index(request: HttpRequest) -> HttpResponse:
    rows = selectors.initiative_list(
        request.user,
        scheme=request.GET.get("scheme", ""),
        stage=request.GET.get("stage", ""),
        q=request.GET.get("q", ""),
    )
    overdue = selectors.applications(request.user, overdue_only=True)
    # The registry's initiatives (named by the sources, not yet managed here) beside them.
    catalogue = registry_selectors.initiative_list(
        request.user, registry_selectors.InitiativeFilters(q=request.GET.get("q", ""))
    ).select_related("programme")
    return render(
        request,
        "programmes/index.html",
        {
            "initiatives": rows,
            "registry_initiatives": catalogue,
            "visible_programmes": set(
                selectors.initiative_list(request.user).values_list("pk", flat=True)
            ),
            "overdue": overdue,
            "may_create": permissions.can_create_initiative(request.user),
            "schemes": Scheme.objects.filter(programme_initiatives__isnull=False).distinct(),
        },
    )


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_initiative(request.user):
        raise PermissionDenied
    form = forms.InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        funding = list(data.pop("funding_agencies"))
        try:
            initiative = services.create_initiative(
                user=request.user,
                reached_on=data.get("start_date") or timezone.localdate(),
                funding_agencies=funding,
                **data,
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Created {initiative}.")
            return redirect("programmes:initiative", slug=initiative.slug)
    return render(request, "programmes/form.html", {"form": form, "title": "New initiative"})


def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    full = permissions.can_read_full(request.user, initiative)
    may_edit = permissions.can_edit_initiative(request.user, initiative)
    context: dict[str, Any] = {"initiative": initiative, "full": full, "may_edit": may_edit}
    if full:
        context.update(
            timeline=selectors.stage_timeline(initiative),
            applications=selectors.applications(request.user, initiative=initiative),
            results_chain=initiative.results_chain.all(),
            progress=selectors.indicator_progress(initiative),
            documents=initiative.documents.all(),
            evaluations=initiative.evaluations.all()[:5],
            firms=initiative.firms.count(),
        )
    if may_edit:
        context.update(
            stage_form=forms.StageForm(initial={"reached_on": timezone.localdate()}),
            document_form=forms.DocumentForm(),
            application_form=forms.ApplicationForm(initial={"submitted_on": timezone.localdate()}),
            result_form=forms.ResultForm(),
            track_form=forms.TrackForm(),
            measurement_form=forms.MeasurementForm(),
            upload_form=forms.UploadForm(),
        )
    return render(request, "programmes/initiative.html", context)


def _post_action(request: HttpRequest, slug: str, form_class: type, action) -> HttpResponse:
    """Validate ``form_class`` and run ``action(initiative, cleaned_data)``; back to the page."""
    initiative = _initiative(request, slug, edit=True)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
    else:
        try:
            message = action(initiative, form.cleaned_data)
        except (ValidationError, ImportValidationError, ConflictError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, message)
    return redirect("programmes:initiative", slug=initiative.slug)


@login_required
@require_POST
def stage_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        services.reach_stage(
            user=request.user,
            initiative=initiative,
            stage_key=data["stage"].key,
            reached_on=data["reached_on"],
            note=data["note"],
        )
        return f"Recorded stage '{data['stage']}'."

    return _post_action(request, slug, forms.StageForm, action)


@login_required
@require_POST
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        document = services.upload_document(user=request.user, initiative=initiative, **data)
        return f"Uploaded {document}."

    return _post_action(request, slug, forms.DocumentForm, action)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(InitiativeDocument, pk=pk)
    if not permissions.can_read_full(request.user, document.initiative):
        raise Http404
    return FileResponse(document.file.open("rb"), filename=Path(document.file.name).name)


@login_required
@require_POST
def application_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        application = services.submit_application(user=request.user, initiative=initiative, **data)
        return f"Submitted the application for {application.component}."

    return _post_action(request, slug, forms.ApplicationForm, action)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(request.user, pk)
    if application is None:
        raise Http404
    allowed = [(s, ApplicationStatus(s).label) for s in TRANSITIONS[application.status]]
    form = forms.TransitionForm(
        request.POST or None, allowed=allowed, initial={"version": application.version}
    )
    may_edit = permissions.can_edit_initiative(request.user, application.initiative)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.transition_application(
                    user=request.user,
                    application=application,
                    to_status=data["to_status"],
                    expected_version=data["version"],
                    note=data["note"],
                    grant_sanctioned=data["grant_sanctioned"],
                    grant_released=data["grant_released"],
                )
            except (ValidationError, ConflictError, PermissionDenied) as exc:
                _errors(request, exc)
            else:
                messages.success(request, f"Status changed to {data['to_status']}.")
            return redirect("programmes:application", pk=application.pk)
    return render(
        request,
        "programmes/application.html",
        {
            "application": application,
            "pending": selectors.pending(application),
            "durations": selectors.status_durations(application),
            "form": form if allowed and may_edit else None,
        },
    )


@login_required
@require_POST
def result_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        services.add_result(user=request.user, initiative=initiative, **data)
        return "Added to the results chain."

    return _post_action(request, slug, forms.ResultForm, action)


@login_required
@require_POST
def indicator_track(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        indicator = data.pop("indicator")
        services.track_indicator(
            user=request.user, initiative=initiative, indicator_key=indicator.key, **data
        )
        return f"Tracking {indicator}."

    return _post_action(request, slug, forms.TrackForm, action)


@login_required
@require_POST
def measurement_add(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        tracked = selectors.tracked_indicator(initiative, data["indicator"].key)
        if tracked is None:
            raise ValidationError(f"Set a baseline for {data['indicator']} first.")
        services.record_measurement(
            user=request.user,
            tracked=tracked,
            measured_on=data["measured_on"],
            value=data["value"],
            source=data["source"],
        )
        return "Measurement recorded."

    return _post_action(request, slug, forms.MeasurementForm, action)


def _uploaded(data: dict[str, Any], folder: str) -> Path:
    upload = data["file"]
    path = Path(folder) / Path(upload.name).name
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


@login_required
@require_POST
def measurement_import(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        with tempfile.TemporaryDirectory() as folder:
            n = services.import_measurements(
                user=request.user, initiative=initiative, path=_uploaded(data, folder)
            )
        return f"Imported {n} measurements."

    return _post_action(request, slug, forms.UploadForm, action)


@login_required
@require_POST
def survey_import(request: HttpRequest, slug: str) -> HttpResponse:
    def action(initiative, data):
        with tempfile.TemporaryDirectory() as folder:
            n = services.import_survey(
                user=request.user, initiative=initiative, path=_uploaded(data, folder)
            )
        return f"Imported {n} survey responses into the firm panel."

    return _post_action(request, slug, forms.UploadForm, action)


@login_required
def survey_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter one firm's survey answers for one year (``?firm=&year=`` opens a recorded one)."""
    initiative = _initiative(request, slug, edit=True)
    instrument = selectors.survey_instrument()
    initial = {}
    firm_key, year = request.GET.get("firm", ""), request.GET.get("year", "")
    if request.method == "GET" and firm_key and year.isdigit():
        response = (
            SurveyResponse.objects.filter(
                firm__initiative=initiative, firm__key=firm_key, year=int(year)
            )
            .select_related("firm")
            .first()
        )
        if response is not None:
            f = response.firm
            initial = {
                "firm": f.key,
                "firm_name": f.name,
                "cluster_name": f.cluster_name,
                "in_treated_cluster": f.in_treated_cluster,
                "participant": f.participant,
                "year": response.year,
            }
            for key, value in response.answers.items():
                initial[key] = ("yes" if value else "no") if isinstance(value, bool) else value
    form = forms.SurveyResponseForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("firm", "firm_name", "cluster_name", "year")}
        try:
            services.record_survey_response(
                user=request.user,
                initiative=initiative,
                in_treated_cluster=form.cleaned_data["in_treated_cluster"],
                participant=form.cleaned_data["participant"],
                answers=form.answers(),
                **data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, f"Survey answers of {data['firm']} for {data['year']} saved.")
            return redirect("programmes:survey-entry", slug=initiative.slug)
    recent = (
        SurveyResponse.objects.filter(firm__initiative=initiative)
        .select_related("firm")
        .order_by("-recorded_at", "-pk")[:20]
    )
    return render(
        request,
        "programmes/survey_form.html",
        {"initiative": initiative, "form": form, "instrument": instrument, "recent": recent},
    )


def _outcomes() -> list[tuple[str, str]]:
    return [(q["key"], q["text"]) for q in selectors.survey_instrument()["questions"]]


@login_required
def evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    if not permissions.can_read_full(request.user, initiative):
        raise PermissionDenied
    may_edit = permissions.can_edit_initiative(request.user, initiative)
    form = forms.EvaluationForm(request.POST or None, outcomes=_outcomes())
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                run = services.run_evaluation(
                    user=request.user, initiative=initiative, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("programmes:evaluation-run", slug=slug, pk=run.pk)
    return render(
        request,
        "programmes/evaluation_form.html",
        {"initiative": initiative, "form": form, "runs": initiative.evaluations.all()},
    )


def _run(request: HttpRequest, slug: str, pk: int) -> tuple[Any, EvaluationRun]:
    initiative = _initiative(request, slug)
    if not permissions.can_read_full(request.user, initiative):
        raise PermissionDenied
    return initiative, get_object_or_404(EvaluationRun, pk=pk, initiative=initiative)


@login_required
def evaluation_run(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, run = _run(request, slug, pk)
    context = {
        "initiative": initiative,
        "run": run,
        "may_edit": permissions.can_edit_initiative(request.user, initiative),
    }
    if request.GET.get("format") == "pdf":
        return reports.pdf_response(
            "programmes/pdf/evaluation.html", context, f"evaluation-{run.pk}.pdf"
        )
    return render(request, "programmes/evaluation_run.html", context)


@login_required
@require_POST
def evaluation_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, run = _run(request, slug, pk)
    pdf = reports.pdf_bytes(
        "programmes/pdf/evaluation.html", {"initiative": initiative, "run": run}
    )
    try:
        document = services.save_evaluation_report(user=request.user, run=run, pdf=pdf)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("programmes:evaluation-run", slug=slug, pk=pk)
    messages.success(request, f"Saved the evaluation report: {document.title}.")
    return redirect("programmes:initiative", slug=slug)


# --- dashboards -------------------------------------------------------------------------------


def dashboard(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """One initiative against its targets."""
    initiative = _initiative(request, slug)
    if not permissions.can_read_full(request.user, initiative):
        raise PermissionDenied
    progress = selectors.indicator_progress(initiative)
    if fmt == "csv":
        return reports.csv_response(
            [
                "indicator", "unit", "direction", "baseline", "baseline_date", "target",
                "target_date", "latest", "latest_date", "latest_source", "change",
                "percent_change", "attainment_percent", "target_met",
            ],
            (
                [
                    r["indicator"].key, r["indicator"].unit, r["indicator"].direction,
                    r["progress"].baseline, r["tracked"].baseline_date, r["progress"].target,
                    r["tracked"].target_date, r["progress"].latest,
                    r["latest"].measured_on if r["latest"] else None,
                    r["latest"].source if r["latest"] else None, r["progress"].change,
                    r["progress"].percent_change, r["progress"].attainment_percent,
                    r["progress"].target_met,
                ]
                for r in progress
            ),
            f"{slug}-dashboard.csv",
        )  # fmt: skip
    chart = bar_svg(
        [
            (r["indicator"].name, float(r["progress"].attainment_percent), None)
            for r in progress
            if r["progress"].attainment_percent is not None
        ]
    )
    context = {
        "initiative": initiative,
        "progress": progress,
        "chart": chart,
        "timeline": selectors.stage_timeline(initiative),
        "today": timezone.localdate(),
    }
    if fmt == "pdf":
        return reports.pdf_response("programmes/pdf/dashboard.html", context, f"{slug}.pdf")
    return render(request, "programmes/dashboard.html", context)


def portfolio(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """A scheme's portfolio: reported coverage, stages reached, funds and outcomes."""
    scheme = get_object_or_404(Scheme, slug=slug)
    if not scheme.published and not permissions.is_editor(request.user):
        raise Http404
    data = selectors.portfolio(request.user, scheme)
    if fmt == "csv":
        rows = [["reported", c.measure, c.value, c.unit, c.source] for c in data["reported"]]
        rows += [
            ["stage reached", s["stage"].name, s["initiatives"], "initiatives", "platform"]
            for s in data["stages"]
        ]
        rows += [
            ["funds", f"{k} {kind}", v, k, "platform applications"]
            for k, money in data["funds"].items()
            for kind, v in money.items()
        ]
        return reports.csv_response(
            ["section", "measure", "value", "unit", "source"], rows, f"{slug}-portfolio.csv"
        )
    data["today"] = timezone.localdate()
    if fmt == "pdf":
        return reports.pdf_response("programmes/pdf/portfolio.html", data, f"{slug}.pdf")
    return render(request, "programmes/portfolio.html", data)


def policy(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    rows = selectors.policy_overview(request.user)
    if fmt == "csv":
        return reports.csv_response(
            [
                "scheme",
                "reported_clusters",
                "initiatives",
                "clusters",
                "leverage",
                "furthest_stage",
            ],
            (
                [
                    r["scheme"].name,
                    r["reported_clusters"],
                    r["initiatives"],
                    r["clusters"],
                    r["leverage"],
                    r["furthest"]["stage"].name if r["furthest"] else "",
                ]
                for r in rows
            ),
            "policy-overview.csv",
        )
    context = {"rows": rows, "today": timezone.localdate()}
    if fmt == "pdf":
        return reports.pdf_response("programmes/pdf/policy.html", context, "policy.pdf")
    return render(request, "programmes/policy.html", context)


# --- calculator and library ---------------------------------------------------------------------


def calculator(request: HttpRequest) -> HttpResponse:
    schemes = selectors.rule_set_keys()
    form = forms.CalculatorForm(request.GET or None, schemes=schemes)
    result = error = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            costs = {k: Money(Decimal(v), "INR", data["unit"]) for k, v in data["costs"].items()}
            org_id = None
            if data["organisation"]:
                org_id = (
                    Organisation.objects.filter(slug=data["organisation"], published=True)
                    .values_list("pk", flat=True)
                    .first()
                )
                if org_id is None:
                    raise LookupError(f"No published organisation {data['organisation']!r}.")
            result = selectors.calculate(
                scheme=data["scheme"],
                facts=data["facts"],
                costs=costs,
                on=data["on"],
                version=data["version"],
                organisation_id=org_id,
            )
        except (LookupError, RuleError, ArithmeticError, ValueError) as exc:
            error = str(exc) or "Costs must be numbers."
    return render(
        request,
        "programmes/calculator.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "rule_sets": {k: selectors.rule_sets(k) for k in schemes},
        },
    )


def indicators(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/indicators.html",
        {"indicators": selectors.indicator_library(request.GET.get("level", ""))},
    )
