"""Complexity pages: thin wrappers that render a complexity selector's data.

Every page has its JSON twin under ``/api/observatory/complexity/`` (the same dict). A result
without complexity outputs gets a page saying so and how to add them (status 404).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.observatory import complexity_selectors as cx
from clusterobs.observatory.current import int_param, store_or_404, url_with
from clusterobs.observatory.store import ResultsStore

PAGE_ROWS = 25


def _missing(request: HttpRequest, store: ResultsStore, exc: Exception) -> HttpResponse:
    return render(
        request,
        "observatory/complexity_missing.html",
        {"store": store, "message": str(exc)},
        status=404,
    )


def _codes(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in text.replace(",", " ").replace(";", " ").split() if c))


def index(request: HttpRequest) -> HttpResponse:
    """ECI ranking of the regions of a type in a year."""
    store = store_or_404(request)
    try:
        d = cx.ranking(store, request.GET.get("type"), int_param(request.GET.get("year")))
    except cx.NoComplexityError as exc:
        return _missing(request, store, exc)
    links = [
        reverse("observatory:complexity-region", args=[d["region_type"], r["region_code"]])
        + f"?year={d['year']}&dataset={store.name}"
        for r in d["tables"]["ranking"]["rows"]
    ]
    return render(
        request,
        "observatory/complexity_index.html",
        {
            "d": d,
            "links": links,
            "api": url_with(
                "api-obs-cx-region-list",
                type=d["region_type"],
                year=d["year"],
                dataset=store.name,
            ),
        },
    )


def region(request: HttpRequest, region_type: str, code: str) -> HttpResponse:
    """ECI rank and trend, the opportunity chart and the ranked opportunities with reasons."""
    store = store_or_404(request)
    try:
        cx.require(store)
    except cx.NoComplexityError as exc:
        return _missing(request, store, exc)
    if not cx.region_exists(store, region_type, code):
        raise Http404(_("No such region in the complexity outputs of this result"))
    sort = request.GET.get("sort") or "score"
    d = cx.region_profile(store, region_type, code, int_param(request.GET.get("year")), sort)
    rows = d["tables"]["opportunities"]["rows"]
    shown = {"columns": d["tables"]["opportunities"]["columns"], "rows": rows[:PAGE_ROWS]}
    kind = "complexity-cluster" if d["complexity"]["level"] == "cluster" else "complexity-industry"
    unit_links = [
        reverse(f"observatory:{kind}", args=[r["industry_code"]])
        + f"?type={region_type}&year={d['year']}&dataset={store.name}"
        for r in shown["rows"]
    ]
    present_links = [
        reverse(f"observatory:{kind}", args=[r["industry_code"]])
        + f"?type={region_type}&year={d['year']}&dataset={store.name}"
        for r in d["tables"]["present"]["rows"]
    ]
    return render(
        request,
        "observatory/complexity_region.html",
        {
            "d": d,
            "shown": shown,
            "total": len(rows),
            "unit_links": unit_links,
            "present_links": present_links,
            "sorts": cx.SORTS,
            "columns": [
                "rank",
                "industry_name",
                "score",
                "density",
                "pci",
                "cog",
                "national_employment",
                "wage",
                "employment_growth",
                "reasons",
            ],
            "present_columns": ["industry_name", "rca", "employment", "pci", "density"],
            "api": url_with(
                "api-obs-cx-region-detail",
                code,
                type=region_type,
                year=d["year"],
                sort=d["sort"],
                dataset=store.name,
            ),
        },
    )


def smart_specialisation(request: HttpRequest, region_type: str, code: str) -> HttpResponse:
    """Declared priorities on relatedness x complexity, against the best alternatives."""
    store = store_or_404(request)
    try:
        cx.require(store)
    except cx.NoComplexityError as exc:
        return _missing(request, store, exc)
    if not cx.region_exists(store, region_type, code):
        raise Http404(_("No such region in the complexity outputs of this result"))
    text = request.GET.get("priorities", "")
    codes = _codes(text)
    year = int_param(request.GET.get("year"))
    d = cx.smart_specialisation(store, region_type, code, year, codes[: cx.MAX_PRIORITIES])
    return render(
        request,
        "observatory/complexity_smart.html",
        {
            "d": d,
            "text": text,
            "left_out": codes[cx.MAX_PRIORITIES :],
            "max_priorities": cx.MAX_PRIORITIES,
            # Unlocalised numbers for the chart's data attributes (no decimal commas).
            "xcut": "" if d["cuts"]["density"] is None else repr(d["cuts"]["density"]),
            "ycut": "" if d["cuts"]["pci"] is None else repr(d["cuts"]["pci"]),
            "priority_columns": [
                "priority",
                "name",
                "units",
                "density",
                "pci",
                "cog",
                "present_share",
                "quadrant_label",
                "best_rank",
            ],
            "alternative_columns": ["rank", "industry_name", "score", "density", "pci", "cog"],
            "api": url_with(
                "api-obs-cx-region-smart-specialisation",
                code,
                type=region_type,
                year=d["year"],
                priorities=",".join(codes),
                dataset=store.name,
            ),
        },
    )


def _unit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    store = store_or_404(request)
    try:
        cx.require(store)
    except cx.NoComplexityError as exc:
        return _missing(request, store, exc)
    if not cx.members_of(store, code, kind):
        raise Http404(_("No such industry or cluster in the complexity outputs of this result"))
    rt = request.GET.get("type") or None
    d = cx.unit_profile(store, code, rt, int_param(request.GET.get("year")), kind=kind)
    region_links = [
        reverse("observatory:complexity-region", args=[d["region_type"], r["region_code"]])
        + f"?year={d['year']}&dataset={store.name}"
        for r in d["tables"]["closest_regions"]["rows"]
    ]
    related_links = [
        reverse("observatory:complexity-industry", args=[r["industry_code"]])
        + f"?type={d['region_type']}&year={d['year']}&dataset={store.name}"
        for r in d["tables"]["related"]["rows"]
    ]
    return render(
        request,
        "observatory/complexity_unit.html",
        {
            "d": d,
            "region_links": region_links,
            "related_links": related_links,
            "closest_columns": ["name", "density", "present", "rca", "employment", "cog"],
            "api": url_with(
                f"api-obs-cx-{kind}-detail", code, type=d["region_type"], year=d["year"]
            ),
        },
    )


def industry(request: HttpRequest, code: str) -> HttpResponse:
    return _unit(request, code, "industry")


def cluster(request: HttpRequest, code: str) -> HttpResponse:
    return _unit(request, code, "cluster")
