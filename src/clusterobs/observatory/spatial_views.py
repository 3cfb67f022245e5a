"""Spatial pages of the observatory: thin views over :mod:`.spatial_selectors` (the API returns
the same dicts) and the one write, "use a cross-border cluster as a custom region"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterobs.observatory import services
from clusterobs.observatory import spatial_selectors as sel
from clusterobs.observatory.current import int_param, store_or_404
from clusterobs.observatory.store import DatasetNotFoundError
from clusterobs.registry.safe_redirect import back_url
from clusterobs.spatial.results import MEASURES

HOTSPOT_COLUMNS = [
    "name",
    "value",
    "employment",
    "lisa_quadrant",
    "lisa_p_sim",
    "lisa_q",
    "lisa_class",
    "gi_z",
    "gi_q",
    "gi_class",
    "neighbours",
    "spatial_cluster",
]
CROSS_BORDER_COLUMNS = [
    "cluster_id",
    "name",
    "regions",
    "cross_border",
    "member_list",
    "employment",
    "lq_total",
    "lq_traded_local",
    "share_list",
]
CONCENTRATION_COLUMNS = [
    "cluster_name",
    "employment",
    "regions_with_employment",
    "eg_gamma",
    "ms_gamma",
    "plant_herfindahl",
    "herfindahl",
    "gini",
    "locational_gini",
]


def fields() -> dict[str, dict[str, str]]:
    """Column labels and definitions shown in the tables' headers."""
    f = {
        "name": (_("Name"), ""),
        "value": (_("Value"), _("The measure mapped, per region.")),
        "employment": (_("Employment"), _("Cluster employment in the region.")),
        "lisa_I": (
            _("Local Moran I"),
            _("(n-1) z_i sum_j w_ij z_j / sum z^2, row-standardised weights (Anselin 1995)."),
        ),
        "lisa_quadrant": (
            _("Quadrant"),
            _("Value and neighbours' average above (H) or below (L) the mean."),
        ),
        "lisa_p_sim": (
            _("LISA p"),
            _("Conditional permutation pseudo p-value (999 permutations, seeded)."),
        ),
        "lisa_q": (_("LISA q"), _("Benjamini-Hochberg adjusted p-value (false discovery rate).")),
        "lisa_class": (_("LISA class"), _("Quadrant when q <= alpha, else ns.")),
        "gi_z": (
            _("Gi* z"),
            _("Getis-Ord Gi* z-score: the region with its neighbours (Ord & Getis 1995)."),
        ),
        "gi_p_sim": (_("Gi* p"), _("Conditional permutation pseudo p-value.")),
        "gi_q": (_("Gi* q"), _("Benjamini-Hochberg adjusted p-value.")),
        "gi_class": (_("Gi* class"), _("hot / cold when q <= alpha, else ns.")),
        "neighbours": (_("Neighbours"), _("Number of neighbours in the weights.")),
        "spatial_cluster": (
            _("Cross-border cluster"),
            _("Number of the hot-spot cluster the region belongs to."),
        ),
        "cluster_id": (_("No."), ""),
        "regions": (_("Regions"), _("Number of regions merged.")),
        "cross_border": (_("Crosses borders"), _("More than one region.")),
        "member_list": (_("Member regions"), ""),
        "lq_total": (
            _("LQ (all industries)"),
            _("Location quotient of the union as one region against all industries."),
        ),
        "lq_traded_local": (
            _("LQ (traded/local)"),
            _("Location quotient of the union against the traded or local economy."),
        ),
        "share_list": (
            _("Shares of employment"),
            _("Each region's share of the union's cluster employment."),
        ),
        "cluster_name": (_("Cluster"), ""),
        "eg_gamma": (
            _("EG gamma"),
            _("Ellison-Glaeser (1997) concentration net of plant lumpiness; 0 = dartboard."),
        ),
        "ms_gamma": (_("MS gamma"), _("Maurel-Sedillot (1999) estimator of the same parameter.")),
        "plant_herfindahl": (
            _("Plant Herfindahl"),
            _("Approximated with equal-sized plants within each region (a lower bound)."),
        ),
        "herfindahl": (_("Herfindahl"), _("Sum of squared regional shares.")),
        "gini": (_("Gini"), _("Gini coefficient of the regional shares.")),
        "locational_gini": (
            _("Locational Gini"),
            _("Gini of the location quotients (Krugman 1991)."),
        ),
        "krugman": (
            _("Krugman index"),
            _("Sum over clusters of |regional share - national share|; 0 to 2."),
        ),
        "most_over_represented_name": (_("Most over-represented cluster"), ""),
        "r_km": (_("Distance (km)"), ""),
        "kd": (_("Kd"), _("Density of pair distances (per km).")),
        "global_lo": (_("Global lower band"), ""),
        "global_hi": (_("Global upper band"), ""),
        "local_lo": (_("Local lower band"), ""),
        "local_hi": (_("Local upper band"), ""),
        "sim_mean": (_("Simulated mean"), ""),
    }
    return {k: {"label": v[0], "definition": v[1]} for k, v in f.items()}


def _url(name: str, *args: str, **params: object) -> str:
    url = reverse(name, args=args)
    q = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{q}" if q else url


def _hotspot_context(request: HttpRequest, code: str) -> dict:
    store = store_or_404(request)
    if not sel.cluster_known(store, code):
        raise Http404(_("No such cluster in this result"))
    g = request.GET
    measure = g.get("measure") if g.get("measure") in MEASURES else "lq_total"
    rt = g.get("type") if g.get("type") in store.region_types else store.main_type
    weights = g.get("weights") or "queen"
    basis = "lisa" if g.get("basis") == "lisa" else "gi_star"
    params = {"measure": measure, "year": int_param(g.get("year")), "region_type": rt}
    try:
        d = sel.hotspots(store, cluster=code, weights=weights, basis=basis, **params)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    except ValueError as exc:
        messages.error(request, str(exc))
        weights = "queen"
        d = sel.hotspots(store, cluster=code, weights=weights, basis=basis, **params)
    query = {
        "cluster": code,
        "measure": measure,
        "year": d["year"],
        "type": rt,
        "weights": weights,
        "basis": basis,
    }
    page_query = {k: v for k, v in query.items() if k != "cluster"}
    return {
        "d": d,
        "store": store,
        "fields": fields(),
        "measures": sel.measure_labels(),
        "weight_choices": sorted({*sel.WEIGHT_CHOICES, weights}),
        "chosen_weights": weights,
        "basis": basis,
        "layer": "gi" if g.get("layer") == "gi" and d["gi_counts"] else "lisa",
        "years": store.years,
        "region_types": store.region_types,
        "api": _url("api-obs-spatial-hotspots-list", **query),
        "clusters_api": _url("api-obs-spatial-clusters-list", **query),
        "hotspots_url": _url("observatory:spatial-hotspots", code, **page_query),
        "cross_border_url": _url("observatory:spatial-cross-border", code, **page_query),
    }


def hotspots(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _hotspot_context(request, code)
    ctx["region_columns"] = HOTSPOT_COLUMNS
    ctx["cluster_columns"] = CROSS_BORDER_COLUMNS
    return render(request, "observatory/spatial_hotspots.html", ctx)


def cross_border(request: HttpRequest, code: str) -> HttpResponse:
    ctx = _hotspot_context(request, code)
    ctx["cluster_columns"] = CROSS_BORDER_COLUMNS
    return render(request, "observatory/spatial_cross_border.html", ctx)


@require_POST
@login_required
def use_as_custom_region(request: HttpRequest) -> HttpResponse:
    """One click: a cross-border cluster's regions become the user's custom region."""
    p = request.POST
    members = [m for m in p.get("members", "").split(",") if m.strip()]
    back = back_url(request, "observatory:index", candidate=p.get("next") or "")
    try:
        cr = services.create_custom_region(
            owner=request.user,
            name=p.get("name", "")[:200],
            members=members,
            region_type=p.get("region_type") or None,
            dataset=p.get("dataset") or None,
            shared=False,
        )
    except (ValueError, DatasetNotFoundError) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    services.start_recompute(custom_region=cr)
    messages.success(request, _("Custom region saved; its measures are being recomputed."))
    return redirect("observatory:custom-region", pk=cr.pk)


def concentration(request: HttpRequest) -> HttpResponse:
    store = store_or_404(request)
    rt = request.GET.get("type") if request.GET.get("type") in store.region_types else None
    d = sel.concentration(store, year=int_param(request.GET.get("year")), region_type=rt)
    focus = request.GET.get("cluster") or ""
    rows = d["tables"]["clusters"]["rows"]
    return render(
        request,
        "observatory/spatial_concentration.html",
        {
            "d": d,
            "store": store,
            "fields": fields(),
            "focus": focus,
            "focus_rows": [r for r in rows if r["cluster_code"] == focus],
            "cluster_columns": CONCENTRATION_COLUMNS,
            "region_columns": ["name", "krugman", "clusters", "most_over_represented_name"],
            "api": _url(
                "api-obs-spatial-concentration-list",
                dataset=store.name,
                year=d["year"],
                type=d["region_type"],
            ),
        },
    )


def kd_list(request: HttpRequest) -> HttpResponse:
    """Published Kd results; signed-in users upload a point file to compute one (a job)."""
    from clusterobs.observatory.models import Job
    from clusterobs.observatory.spatial_api import kd_request
    from clusterobs.observatory.spatial_forms import KdUploadForm
    from clusterobs.observatory.spatial_services import KIND, start_kd

    form = KdUploadForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        form = KdUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = start_kd(
                    owner=request.user,
                    upload=form.cleaned_data["points"],
                    request=kd_request(form.cleaned_data),
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(f"{reverse('observatory:spatial-kd-list')}?job={job.pk}")
    job = None
    if request.user.is_authenticated and int_param(request.GET.get("job")):
        job = Job.objects.filter(
            owner=request.user, kind=KIND, pk=int_param(request.GET.get("job"))
        )
        job = job.first()
    return render(
        request,
        "observatory/spatial_kd_list.html",
        {
            "results": sel.kd_list(),
            "api": reverse("api-obs-spatial-kd-list"),
            "form": form,
            "job": job,
        },
    )


def kd_detail(request: HttpRequest, name: str) -> HttpResponse:
    try:
        d = sel.kd_detail(name)
    except LookupError as exc:
        raise Http404(_("No such Kd result")) from exc
    return render(
        request,
        "observatory/spatial_kd.html",
        {
            "d": d,
            "kd": d["summary"].get("kd") or {},
            "industry": d["summary"].get("industry") or {},
            "fields": fields(),
            "api": reverse("api-obs-spatial-kd-detail", args=[name]),
            "curve_columns": sel.KD_COLUMNS,
            "code_columns": ["code", "points", "vintages", "status", "share", "included"],
        },
    )
