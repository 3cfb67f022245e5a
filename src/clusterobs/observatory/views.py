"""Observatory pages: thin wrappers that render a selector's data (the API returns the same)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.observatory import across, geography, reports, services
from clusterobs.observatory.current import current_store, int_param, store_or_404, url_with
from clusterobs.observatory.measure import measure_of
from clusterobs.observatory.models import CustomCluster, CustomRegion, SavedView
from clusterobs.observatory.selectors import caching, glossary, maths
from clusterobs.observatory.selectors import clusters as cluster_reads
from clusterobs.observatory.selectors import compare as compare_reads
from clusterobs.observatory.selectors import maps as map_reads
from clusterobs.observatory.selectors import regions as region_reads
from clusterobs.observatory.selectors import results as result_reads
from clusterobs.observatory.selectors import search as search_reads
from clusterobs.observatory.services import RESULT_COLUMNS
from clusterobs.observatory.store import DatasetNotFoundError, ResultsStore, get_store

SUMMARY_KEYS = [
    "employment",
    "employment_cagr",
    "establishments",
    "establishments_cagr",
    "wage",
    "wage_cagr",
    "traded_share",
    "cluster_strength",
]
TOP_COLUMNS = [
    "cluster_name",
    "employment",
    "lq_traded_local",
    "national_share",
    "emp_cagr",
    "wage",
    "strong",
]
ALL_COLUMNS = [
    "cluster_name",
    "traded",
    "employment",
    "employment_imputed",
    "establishments",
    "wage",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "national_share_change",
    "emp_cagr",
    "job_creation",
    "strong",
    "eco_stars",
    "employment_rank",
]
REGION_COLUMNS = [
    "name",
    "employment",
    "lq_traded_local",
    "lq_total",
    "national_share",
    "emp_cagr",
    "wage",
    "strong",
    "eco_stars",
]


def _labels(store: ResultsStore) -> dict[str, str]:
    return {
        "employment": measure_of(store.manifest).label,
        "employment_cagr": _("Employment growth (CAGR)"),
        "establishments": measure_of(store.manifest).units_label,
        "establishments_cagr": _("Establishment growth (CAGR)"),
        "wage": _("Average wage"),
        "wage_cagr": _("Wage growth (CAGR)"),
        "traded_share": _("Traded share of employment"),
        "cluster_strength": _("Cluster strength"),
    }


def index(request: HttpRequest) -> HttpResponse:
    try:
        store = current_store(request)
    except DatasetNotFoundError:
        return render(request, "observatory/index.html", {"store": None})
    return render(
        request,
        "observatory/index.html",
        {
            "store": store,
            "info": result_reads.dataset_info(store),
            "regions": region_reads.region_list(store),
            "clusters": cluster_reads.cluster_list(store),
            "datasets": [across.describe(s) for s in across.stores()],
        },
    )


def region(request: HttpRequest, region_type: str, code: str) -> HttpResponse:
    store = store_or_404(request)
    if not region_reads.region_exists(store, region_type, code):
        raise Http404(_("No such region in this result"))
    d = region_reads.region_dashboard(store, region_type, code, int_param(request.GET.get("year")))
    known = set(store.region_codes(region_type))
    for s in d["sub_regions"]:
        s["linked"] = s["code"] in set(store.region_codes(s["region_type"])) if s else False
    rc = "observatory:region-cluster"

    def links(rows: list[dict]) -> list[str]:
        return [
            reverse(rc, args=[region_type, code, r["cluster_code"]]) + f"?year={d['year']}"
            for r in rows
        ]

    s = d["summary"]["region"]
    return render(
        request,
        "observatory/region.html",
        {
            "d": d,
            "api": url_with("api-obs-region-detail", code, type=region_type, year=d["year"]),
            "summary_keys": SUMMARY_KEYS,
            "summary_labels": _labels(store),
            "top_columns": TOP_COLUMNS,
            "all_columns": ALL_COLUMNS,
            "top_links": links(d["tables"]["top_clusters"]["rows"]),
            "all_links": links(d["tables"]["clusters"]["rows"]),
            "split": [
                {"kind": _("Traded"), "employment": s["traded_employment"]},
                {"kind": _("Local"), "employment": s["local_employment"]},
            ],
            "known": known,
        },
    )


def region_cluster_pick(request: HttpRequest, region_type: str, code: str) -> HttpResponse:
    """The cluster switcher's target (works without JavaScript)."""
    cluster = request.GET.get("cluster", "")
    url = reverse("observatory:region-cluster", args=[region_type, code, cluster])
    year = int_param(request.GET.get("year"))
    return redirect(f"{url}?year={year}" if year else url)


def region_cluster(request: HttpRequest, region_type: str, code: str, cluster: str) -> HttpResponse:
    store = store_or_404(request)
    if not region_reads.region_exists(store, region_type, code) or not cluster_reads.cluster_exists(
        store, cluster
    ):
        raise Http404(_("No such region or cluster in this result"))
    d = cluster_reads.region_cluster(
        store, region_type, code, cluster, int_param(request.GET.get("year"))
    )
    change_rows = [
        {**r, "period": f"{r['start_year']}–{r['end_year']}"} for r in d["tables"]["change"]["rows"]
    ]
    return render(
        request,
        "observatory/region_cluster.html",
        {
            "d": d,
            "change_rows": change_rows,
            "api": url_with(
                "api-obs-region-cluster", code, cluster, type=region_type, year=d["year"]
            ),
        },
    )


def cluster(request: HttpRequest, code: str) -> HttpResponse:
    store = store_or_404(request)
    if not cluster_reads.cluster_exists(store, code):
        raise Http404(_("No such cluster in this result"))
    rt = request.GET.get("type") or store.main_type
    d = cluster_reads.cluster_dashboard(
        store, code, rt, int_param(request.GET.get("year")), request.GET.get("region") or None
    )
    return render(
        request,
        "observatory/cluster.html",
        {
            "d": d,
            "regions": region_reads.region_list(store, rt),
            "region_columns": REGION_COLUMNS,
            "region_links": [
                reverse("observatory:region-cluster", args=[rt, r["region_code"], code])
                for r in d["tables"]["top_regions"]["rows"]
            ],
            "api": url_with("api-obs-cluster-detail", code, type=rt, year=d["year"]),
        },
    )


def map_page(request: HttpRequest) -> HttpResponse:
    store = store_or_404(request)
    g = request.GET
    cluster = g.get("cluster") or None
    if cluster and not cluster_reads.cluster_exists(store, cluster):
        cluster = None
    indicator = g.get("indicator") or ("lq_traded_local" if cluster else "cluster_strength")
    if indicator not in glossary.MAP_INDICATORS:
        indicator = "lq_traded_local"
    rt = g.get("type") or store.main_type
    if rt not in store.region_types:
        rt = store.main_type
    subs = store.subclusters
    subs = subs[subs["cluster_code"] == cluster] if cluster else subs.iloc[:0]
    subcluster = g.get("subcluster") or None
    if subcluster not in set(subs["subcluster_code"]):
        subcluster = None
    d = map_reads.map_values(
        store,
        region_type=rt,
        cluster=cluster,
        subcluster=subcluster,
        indicator=indicator,
        year=int_param(g.get("year")),
    )
    return render(
        request,
        "observatory/map.html",
        {
            "d": d,
            "info": result_reads.dataset_info(store),
            "clusters": cluster_reads.cluster_list(store),
            "indicators": glossary.MAP_INDICATORS,
            "columns": ["region_code", "name", "value", "employment"],
            "subclusters": maths.records(subs),
            "bubbles": bool(g.get("bubbles")),
            "has_boundaries": geography.has_boundaries(rt),
            "orgs": bool(g.get("orgs")),
            "api": url_with(
                "api-obs-map-list",
                type=rt,
                cluster=cluster,
                subcluster=subcluster,
                indicator=d["indicator"],
                year=d["year"],
            ),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    store = store_or_404(request)
    q = request.GET.get("q", "")
    results = search_reads.search(store, q, limit=50)
    if len(results) == 1 or (results and results[0]["label"].lower() == q.strip().lower()):
        return redirect(results[0]["url"])
    return render(request, "observatory/search.html", {"q": q, "results": results})


def compare(request: HttpRequest) -> HttpResponse:
    store = store_or_404(request)
    rt = request.GET.get("type") or store.main_type
    if request.method == "POST" and request.user.is_authenticated:
        services.save_view(
            owner=request.user,
            kind="compare",
            name=request.POST.get("name", ""),
            params={"query": request.POST.get("params", "")},
        )
        messages.success(request, _("Comparison saved."))
        return redirect(f"{reverse('observatory:compare')}?{request.POST.get('params', '')}")
    codes = [x for v in request.GET.getlist("regions") for x in v.split(",") if x]
    clusters = [x for v in request.GET.getlist("clusters") for x in v.split(",") if x]
    indicator = request.GET.get("indicator") or "lq_traded_local"
    if indicator not in glossary.MAP_INDICATORS or indicator == "cluster_strength":
        indicator = "lq_traded_local"
    d = compare_reads.compare(
        store, rt, codes, clusters, int_param(request.GET.get("year")), indicator
    )
    peers, peer_of = {}, None
    if d["tables"]["compare"]["rows"]:
        peer_of = d["tables"]["compare"]["rows"][0]
        peers = compare_reads.peers(
            store, rt, peer_of["region_code"], clusters[0] if clusters else None
        )
    first = f"{indicator}:{clusters[0]}" if clusters else "employment"
    cnames = caching.cluster_names(store)
    saved = (
        SavedView.objects.filter(owner=request.user, kind="compare")
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "observatory/compare.html",
        {
            "d": d,
            "info": result_reads.dataset_info(store),
            "regions": region_reads.region_list(store, rt),
            "clusters": cluster_reads.cluster_list(store),
            "chosen": codes,
            "chosen_clusters": clusters,
            "indicators": glossary.MAP_INDICATORS,
            "first_cluster_col": first,
            "first_cluster_label": (
                f"{glossary.MAP_INDICATORS[indicator]}: {cnames.get(clusters[0], clusters[0])}"
                if clusters
                else measure_of(store.manifest).label
            ),
            "peers": peers,
            "peer_of": peer_of,
            "peer_labels": {
                "neighbours": _("Neighbours (shared border)"),
                "same_parent": _("Same parent region"),
                "similar_size": _("Similar size (employment)"),
                "strong_in_cluster": _("Where the first chosen cluster is strong"),
                "same_country": _("Same country"),
            },
            "saved": saved,
            "api": url_with(
                "api-obs-compare-list",
                type=rt,
                regions=",".join(codes),
                clusters=",".join(clusters),
                indicator=indicator,
            ),
        },
    )


#: industries of a search listed in the custom-cluster builder (the page says how many match)
INDUSTRY_HITS_SHOWN = 100
#: custom regions or clusters listed per page (shared ones from every user add up)
CUSTOM_PAGE_SIZE = 100


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    """One page of a list of custom regions or clusters (the page links reach the rest)."""
    return Paginator(qs, CUSTOM_PAGE_SIZE).get_page(request.GET.get("page"))


def _visible_custom(request: HttpRequest):
    q = Q(shared=True)
    if request.user.is_authenticated:
        q |= Q(owner=request.user)
    return CustomRegion.objects.filter(q)


def custom_regions(request: HttpRequest) -> HttpResponse:
    store = store_or_404(request)
    rt = request.GET.get("type") or store.main_type
    return render(
        request,
        "observatory/custom_regions.html",
        {
            "regions": region_reads.region_list(store, rt),
            "region_type": rt,
            "custom": _page(request, _visible_custom(request)),
        },
    )


def custom_region(request: HttpRequest, pk: int) -> HttpResponse:
    cr = get_object_or_404(_visible_custom(request), pk=pk)
    job = cr.jobs.order_by("-created_at").first()
    result = cr.result or {}
    rows = result.get("clusters", [])
    year = max((r["year"] for r in rows), default=None)
    last = [r for r in rows if r["year"] == year]
    last.sort(key=lambda r: -(r.get("employment") or 0))
    for r in last:
        r["employment_status"] = maths.employment_status(
            r.get("employment_reported") or 0, r.get("employment_imputed") or 0, r["employment"]
        )
    strength = next((r for r in result.get("region_year", []) if r["year"] == year), None)
    try:
        names = caching.region_names(get_store(cr.dataset), cr.region_type)
    except DatasetNotFoundError:
        names = {}
    return render(
        request,
        "observatory/custom_region.html",
        {
            "cr": cr,
            "job": job,
            "year": year,
            "peers": result.get("peers"),
            "strength": strength,
            "member_names": [names.get(m, m) for m in cr.members],
            "table": {"rows": last},
            "columns": [
                c
                for c in RESULT_COLUMNS
                if c not in ("year", "cluster_code", "employment_reported", "peer_regions")
            ],
            "fields": glossary.FIELDS,
            "api": reverse("api-obs-custom-region-detail", args=[cr.pk]),
        },
    )


def region_pdf(request: HttpRequest, region_type: str, code: str) -> HttpResponse:
    store = store_or_404(request)
    if not region_reads.region_exists(store, region_type, code):
        raise Http404(_("No such region in this result"))
    d = region_reads.region_dashboard(store, region_type, code, int_param(request.GET.get("year")))
    values = map_reads.map_values(
        store, region_type=region_type, indicator="cluster_strength", year=d["year"]
    )
    return reports.pdf_response(
        reports.region_pdf(d, values, request), f"region-{region_type}-{code}-{d['year']}.pdf"
    )


def cluster_pdf(request: HttpRequest, code: str) -> HttpResponse:
    store = store_or_404(request)
    if not cluster_reads.cluster_exists(store, code):
        raise Http404(_("No such cluster in this result"))
    d = cluster_reads.cluster_dashboard(store, code, None, int_param(request.GET.get("year")))
    values = map_reads.map_values(store, region_type=d["region_type"], cluster=code, year=d["year"])
    return reports.pdf_response(
        reports.cluster_pdf(d, values, request), f"cluster-{code}-{d['year']}.pdf"
    )


def _visible_custom_clusters(request: HttpRequest):
    q = Q(shared=True)
    if request.user.is_authenticated:
        q |= Q(owner=request.user)
    return CustomCluster.objects.filter(q)


def custom_clusters(request: HttpRequest) -> HttpResponse:
    """Builder (industries by code, found by code or title search) and list."""
    store = store_or_404(request)
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        codes = request.POST.get("industries", "").replace(",", " ").split()
        try:
            cc = services.create_custom_cluster(
                owner=request.user,
                name=request.POST.get("name", ""),
                industries=codes,
                dataset=store.name,
                shared=bool(request.POST.get("shared")),
            )
        except ValueError as exc:
            error = str(exc)
        else:
            services.start_recompute(custom_cluster=cc)
            return redirect("observatory:custom-cluster", pk=cc.pk)
    q = request.GET.get("q", "").strip()
    hits = search_reads.search(store, q, limit=None) if q else []
    matches = [r for r in hits if r["kind"] == "industry"]
    found = matches[:INDUSTRY_HITS_SHOWN]
    return render(
        request,
        "observatory/custom_clusters.html",
        {
            "q": q,
            "found": found,
            "matches": len(matches),
            "error": error,
            "industries": request.POST.get("industries", ""),
            "custom": _page(request, _visible_custom_clusters(request)),
        },
    )


def custom_cluster(request: HttpRequest, pk: int) -> HttpResponse:
    cc = get_object_or_404(_visible_custom_clusters(request), pk=pk)
    job = cc.jobs.order_by("-created_at").first()
    rows = (cc.result or {}).get("rows", [])
    year = max((r["year"] for r in rows), default=None)
    last = sorted((r for r in rows if r["year"] == year), key=lambda r: -(r.get("employment") or 0))
    names: dict[str, str] = {}
    with contextlib.suppress(DatasetNotFoundError):
        rt = (cc.result or {}).get("region_type", "")
        names = caching.region_names(get_store(cc.dataset), rt)
    for r in last:
        r["name"] = names.get(r["region_code"], r["region_code"])
        r["employment_status"] = maths.employment_status(
            r.get("employment_reported") or 0, r.get("employment_imputed") or 0, r["employment"]
        )
        r["wage_status"] = "suppressed" if r.get("wage") is None and r["employment"] else ""
    trend = {}
    for r in rows:
        trend[r["year"]] = r.get("national_employment")
    return render(
        request,
        "observatory/custom_cluster.html",
        {
            "cc": cc,
            "job": job,
            "year": year,
            "table": {"rows": last},
            "trend": [{"year": y, "employment": e} for y, e in sorted(trend.items())],
            "columns": [
                "name",
                "employment",
                "lq_traded_local",
                "lq_total",
                "national_share",
                "wage",
                "strong",
                "employment_rank",
            ],
            "fields": glossary.FIELDS,
            "api": reverse("api-obs-custom-cluster-detail", args=[cc.pk]),
        },
    )
