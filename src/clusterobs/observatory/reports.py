"""PDF profiles of a region and of a cluster (WeasyPrint), from the same selector data as the
pages. Charts are drawn server-side as SVG (no JavaScript in a PDF renderer)."""

from __future__ import annotations

from html import escape
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from clusterobs.observatory.geography import choropleth_svg
from clusterobs.observatory.selectors.palettes import OKABE_ITO


def bar_svg(
    rows: list[dict[str, Any]], label: str, value: str, mark: str | None = None, width: int = 640
) -> SafeString:
    """A horizontal bar chart; marked rows (e.g. strong clusters) in Okabe-Ito orange."""
    rows = [r for r in rows if r.get(value) is not None][:12]
    if not rows:
        return mark_safe("")
    top = max(r[value] for r in rows) or 1
    bar_h, left = 22, 260
    h = bar_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
        f'viewBox="0 0 {width} {h}" role="img" aria-label="{escape(label)} by {escape(value)}">'
    ]
    for i, r in enumerate(rows):
        w = max(1.0, (width - left - 80) * r[value] / top)
        y = 5 + i * bar_h
        colour = OKABE_ITO[0] if mark and r.get(mark) else OKABE_ITO[4]
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"{escape(str(r[label]))[:40]}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="{colour}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="11">{r[value]:,.0f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _map(values: dict[str, Any], outline: str | None, label: str) -> SafeString:
    colours = {r["region_code"]: r["color"] for r in values["tables"]["values"]["rows"]}
    svg = choropleth_svg(values["region_type"], colours, outline=outline, label=label)
    return mark_safe(svg)


def region_pdf(d: dict[str, Any], values: dict[str, Any], request: HttpRequest) -> bytes:
    """``values``: :func:`map_reads.map_values` of cluster strength (the region outlined)."""
    chart = bar_svg(d["tables"]["top_clusters"]["rows"], "cluster_name", "employment", "strong")
    code = d["region"]["region_code"]
    ctx = {"d": d, "chart": chart, "map": _map(values, code, "cluster strength"), "v": values}
    html = render_to_string("observatory/report_region.html", ctx, request=request)
    return _pdf(html, request)


def cluster_pdf(d: dict[str, Any], values: dict[str, Any], request: HttpRequest) -> bytes:
    """``values``: :func:`map_reads.map_values` of the cluster's LQ."""
    chart = bar_svg(d["tables"]["top_regions"]["rows"], "name", "employment", "strong")
    ctx = {"d": d, "chart": chart, "map": _map(values, None, "location quotient"), "v": values}
    html = render_to_string("observatory/report_cluster.html", ctx, request=request)
    return _pdf(html, request)


def _pdf(html: str, request: HttpRequest) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    r = HttpResponse(content, content_type="application/pdf")
    r["Content-Disposition"] = f'inline; filename="{filename}"'
    return r
