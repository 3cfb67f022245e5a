"""Pages of the excellence app (mounted at ``/excellence/``). Thin: permissions are checked by
the services and :mod:`~clusterobs.excellence.permissions`; the logic lives in the modules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterobs.excellence import (
    assessments,
    benchmarking,
    charts,
    forms,
    lifecycle,
    permissions,
    selectors,
)
from clusterobs.excellence.label_import import LabelImportError, import_labels
from clusterobs.excellence.models import (
    Application,
    Assessment,
    AssessmentStatus,
    Evidence,
    Score,
)


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a refused step into a message and a redirect back to the page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (assessments.AssessmentError, lifecycle.LifecycleError) as exc:
            messages.error(request, str(exc))
            for key, text in getattr(exc, "errors", {}).items():
                messages.error(request, f"{key}: {text}")
            return redirect(request.META.get("HTTP_REFERER") or "excellence:index")

    return wrapper


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    orgs = selectors.managed_organisations(user)
    assessor = getattr(user, "assessor", None) if user.is_authenticated else None
    return render(
        request,
        "excellence/index.html",
        {
            "frameworks": selectors.frameworks(),
            "levels": selectors.LabelLevel.objects.select_related("framework"),
            "organisations": orgs,
            "start_form": forms.StartForm(organisations=orgs) if orgs else None,
            "assessments": selectors.assessments_for(user)[:50],
            "applications": selectors.applications_for(user)[:50],
            "is_label_admin": permissions.is_label_admin(user),
            "assessor": assessor,
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = forms.StartForm(
        request.POST, organisations=selectors.managed_organisations(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations, a framework and a year."))
        return redirect("excellence:index")
    assessment = assessments.start(user=request.user, **form.cleaned_data)
    return redirect("excellence:assessment", pk=assessment.pk)


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("organisation", "framework"), pk=pk
    )
    if not permissions.can_see_assessment(request.user, assessment):
        raise Http404  # not even its existence is shown to others
    return assessment


def _rows(assessment: Assessment, errors: dict[str, str]) -> list[dict]:
    answers = {a.indicator_id: a for a in assessment.answers.prefetch_related("evidence").all()}
    rows = []
    for indicator in assessment.framework.indicators.select_related("area").order_by("position"):
        answer = answers.get(indicator.pk)
        value = "" if answer is None or answer.value is None else answer.value.normalize()
        if indicator.type in ("yes_no", "evidence") and value != "":
            value = "yes" if value == 1 else "no"
        rows.append(
            {
                "indicator": indicator,
                "answer": answer,
                "value": value,
                "error": errors.get(indicator.key, ""),
            }
        )
    return rows


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    editable = (
        permissions.can_edit_assessment(request.user, assessment)
        and assessment.status == AssessmentStatus.DRAFT
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        return _assessment_post(request, assessment)
    errors = request.session.pop(f"exc-errors-{pk}", {})
    return render(
        request,
        "excellence/assessment.html",
        {
            "assessment": assessment,
            "rows": _rows(assessment, errors),
            "check": assessments.completeness(assessment),
            "editable": editable,
            "apply_form": forms.ApplyForm(organisation=assessment.organisation)
            if assessment.status == AssessmentStatus.SUBMITTED
            and permissions.manages(request.user, assessment.organisation)
            else None,
        },
    )


@_guard
def _assessment_post(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    post, action = request.POST, request.POST.get("action", "save")
    if action == "import":
        n = assessments.import_previous(user=request.user, assessment=assessment)
        messages.success(request, _("%d answers imported: check and confirm them.") % n)
        return redirect("excellence:assessment", pk=assessment.pk)
    keys = set(assessment.framework.indicators.values_list("key", flat=True))
    values = {k: post[f"value_{k}"] for k in keys if f"value_{k}" in post}
    texts = {k: post[f"text_{k}"] for k in keys if f"text_{k}" in post}
    confirm = {k for k in keys if post.get(f"confirm_{k}")}
    errors = assessments.save_answers(
        user=request.user, assessment=assessment, values=values, texts=texts, confirm=confirm
    )
    indicators = {i.key: i for i in assessment.framework.indicators.all()}
    for field, upload in request.FILES.items():
        key = field.removeprefix("evidence_")
        if key in indicators:
            assessments.attach_evidence(
                user=request.user, assessment=assessment, indicator=indicators[key], upload=upload
            )
    if errors:
        request.session[f"exc-errors-{assessment.pk}"] = errors
        messages.error(request, _("Some answers were not saved: see the marked questions."))
    elif action == "submit":
        assessments.submit(user=request.user, assessment=assessment)
        messages.success(request, _("The assessment is submitted. Here is your report."))
        return redirect("excellence:report", pk=assessment.pk)
    else:
        messages.success(request, _("Saved. You can come back and continue at any time."))
    return redirect("excellence:assessment", pk=assessment.pk)


def _report_context(request: HttpRequest, pk: int) -> dict:
    assessment = _assessment(request, pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise Http404
    report = benchmarking.report(assessment)
    rows = [{"result": r, "chart": charts.distribution(r, "all")} for r in report.indicators]
    return {
        "assessment": assessment,
        "report": report,
        "rows": rows,
        "radar": charts.radar(report),
        "strengths": [f for f in report.findings if f.kind == "strength"],
        "weaknesses": [f for f in report.findings if f.kind == "weakness"],
        "recommendations": [f for f in report.findings if f.kind == "recommendation"],
    }


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "excellence/report.html", _report_context(request, pk))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    context = _report_context(request, pk)
    html = render_to_string("excellence/report_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="benchmarking-{pk}.pdf"'
    return response


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("answer__assessment"), pk=pk)
    if not permissions.can_see_assessment(request.user, evidence.answer.assessment):
        raise Http404
    return FileResponse(evidence.file.open("rb"), filename=Path(evidence.file.name).name)


# --- applications ------------------------------------------------------------------------------


@login_required
@require_POST
@_guard
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    form = forms.ApplyForm(request.POST, organisation=assessment.organisation)
    if not form.is_valid():
        messages.error(request, _("Choose a label level."))
        return redirect("excellence:assessment", pk=pk)
    data = form.cleaned_data
    app = lifecycle.apply(
        user=request.user,
        organisation=assessment.organisation,
        level=data["level"],
        assessment=data["assessment"] or assessment,
        competitors=list(data["competitors"]),
    )
    messages.success(request, _("Your application is submitted."))
    return redirect("excellence:application", pk=app.pk)


def _application(request: HttpRequest, pk: int) -> Application:
    app = get_object_or_404(
        Application.objects.select_related("organisation", "level", "assessment"), pk=pk
    )
    if not permissions.can_see_application(request.user, app):
        raise Http404
    return app


def _score_rows(app: Application, user) -> list[dict]:
    mine = app.assignments.filter(assessor__user=user).first()
    given = {}
    if mine:
        given = {s.indicator_id: s for s in Score.objects.filter(assignment=mine)}
    answers = {}
    if app.assessment_id and app.assessment.framework_id == app.level.framework_id:
        answers = {a.indicator_id: a.value for a in app.assessment.answers.all()}
    rows = []
    for ind in app.level.framework.indicators.order_by("position"):
        threshold = ind.thresholds.get(app.level.key)
        value = answers.get(ind.pk)
        suggested = None
        if threshold is not None and value is not None:
            t = Decimal(threshold)
            met = value <= t if ind.better == "lower" else value >= t
            suggested = 100 if met else 0
        rows.append(
            {
                "indicator": ind,
                "threshold": threshold,
                "value": value,
                "suggested": suggested,
                "score": given.get(ind.pk),
            }
        )
    return rows


@login_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    user = request.user
    total, _means, missing = lifecycle.overall(app)
    complete, why = lifecycle.assessors_complete(app)
    is_assessor = permissions.assessor_of(user, app)
    return render(
        request,
        "excellence/application.html",
        {
            "app": app,
            "is_label_admin": permissions.is_label_admin(user),
            "is_assessor": is_assessor,
            "assignments": app.assignments.select_related("assessor__user"),
            "score_rows": _score_rows(app, user) if is_assessor else [],
            "total": total,
            "missing": len(missing),
            "assessors_ok": complete,
            "assessors_why": why,
            "assign_form": forms.AssignForm(),
            "decide_form": forms.DecideForm(),
            "history": app.history.all()[:20],
        },
    )


@login_required
@require_POST
@_guard
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    action, user = request.POST.get("action"), request.user
    if action == "accept":
        app = lifecycle.accept(user=user, application=app)
        messages.info(request, app.get_status_display())
    elif action == "assign":
        form = forms.AssignForm(request.POST)
        if form.is_valid():
            lifecycle.assign(user=user, application=app, assessor=form.cleaned_data["assessor"])
            messages.success(request, _("Assessor assigned."))
    elif action == "score":
        form = forms.ScoreForm(request.POST, request.FILES)
        if not form.is_valid():
            raise lifecycle.LifecycleError(_("A score is between 0 and 100 per cent."))
        d = form.cleaned_data
        lifecycle.score(
            user=user,
            application=app,
            indicator_key=d["indicator"],
            value=d["score"],
            note=d["note"],
            evidence=d["evidence"],
        )
        messages.success(request, _("Score saved."))
    elif action == "decide":
        form = forms.DecideForm(request.POST)
        if not form.is_valid():
            raise lifecycle.LifecycleError(_("A decision needs its reasons."))
        lifecycle.decide(
            user=user,
            application=app,
            award=form.cleaned_data["decision"] == "award",
            reasons=form.cleaned_data["reasons"],
        )
        messages.success(request, _("Decision recorded."))
    else:
        raise PermissionDenied
    return redirect("excellence:application", pk=app.pk)


# --- labels: public registry, verification, import ------------------------------------------


def label_registry(request: HttpRequest) -> HttpResponse:
    form = forms.RegistryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    labels = selectors.label_registry(
        level=filters.get("level") or "",
        country=filters.get("country") or "",
        q=filters.get("q") or "",
        include_expired=bool(filters.get("expired")),
    )
    return render(
        request,
        "excellence/label_registry.html",
        {
            "form": form,
            "labels": labels[:500],
            "count": labels.count(),
            "points_url": reverse("excellence:label-points") + "?" + request.GET.urlencode(),
        },
    )


def label_points(request: HttpRequest) -> JsonResponse:
    """GeoJSON of labelled organisations with a location (the registry map's data format)."""
    form = forms.RegistryFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    labels = selectors.label_registry(
        level=f.get("level") or "",
        country=f.get("country") or "",
        q=f.get("q") or "",
        include_expired=bool(f.get("expired")),
    ).exclude(organisation__latitude=None)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [lb.organisation.longitude, lb.organisation.latitude],
            },
            "properties": {
                "kind": "organisation",
                "name": lb.organisation.name,
                "url": reverse("excellence:label", args=[lb.number]),
                "detail": f"{lb.level.name} {lb.number}, {_('expires')} {lb.expires_on}",
            },
        }
        for lb in labels[:2000]
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )


def label_page(request: HttpRequest, number: str) -> HttpResponse:
    info = selectors.verification(number)
    if info is None:
        return render(request, "excellence/label_unknown.html", {"number": number}, status=404)
    return render(request, "excellence/label.html", {"info": info})


@login_required
def label_import(request: HttpRequest) -> HttpResponse:
    if not permissions.is_label_admin(request.user):
        raise PermissionDenied
    form = forms.LabelImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            labels = import_labels(
                user=request.user, text=text, source=form.cleaned_data["source"], name=upload.name
            )
        except UnicodeDecodeError:
            errors = [_("%s: not UTF-8 text") % upload.name]
        except LabelImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%d labels imported.") % len(labels))
            return redirect("excellence:labels")
    return render(request, "excellence/label_import.html", {"form": form, "errors": errors})
