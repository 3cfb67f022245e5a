"""Server-drawn SVG charts of a benchmarking report (no JavaScript, so the same markup goes into
the HTML page and the PDF, and the platform stays air-gapped)."""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from clusterobs.excellence.benchmarking import IndicatorResult, Report

INK, MUTED, OWN, BOX = "#1f2937", "#9ca3af", "#c2410c", "#bfdbfe"


def radar(report: Report, width: int = 680, height: int = 400) -> SafeString:
    """Area positions (0-100, the widest visible group) on a radar; the dashed ring is the
    median (50)."""
    areas = report.areas
    cx, cy = width / 2, height / 2
    radius = height / 2 - 50
    n = len(areas)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg class="excellence-chart radar" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(_("Position by area"))}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        dash = ' stroke-dasharray="4 3"' if ring == 50 else ""
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{MUTED}"{dash}/>')
    for i, area in enumerate(areas):
        x, y = point(i, 100)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{MUTED}"/>')
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        value = "-" if area["position"] is None else f"{area['position']:.0f}"
        lines = _wrap(f"{area['name']} ({value})")
        dy = -6 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{dy if k == 0 else 13}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}" '
            f'fill="{INK}" class="radar-label">{spans}</text>'
        )
    own = [point(i, a["position"] or 0) for i, a in enumerate(areas)]
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in own)
    parts.append(
        f'<polygon class="radar-own" points="{pts}" fill="{OWN}" fill-opacity="0.25" '
        f'stroke="{OWN}" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _wrap(text: str, width: int = 24) -> list[str]:
    """Split a label into lines of about ``width`` characters at spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def distribution(result: IndicatorResult, group: str = "all", width: int = 320) -> SafeString:
    """The group's 10-25-50-75-90th percentiles as a box plot with the organisation's value."""
    pos = result.positions.get(group)
    if pos is None or not pos.quantiles:
        return mark_safe(f'<span class="hidden-group">{escape(_("hidden"))}</span>')
    q10, q25, q50, q75, q90 = pos.quantiles
    low = min(q10, result.value if result.value is not None else q10)
    high = max(q90, result.value if result.value is not None else q90)
    span = (high - low) or 1.0
    pad, h = 8, 28

    def x(v: float) -> float:
        return pad + (width - 2 * pad) * (v - low) / span

    parts = [
        f'<svg class="excellence-chart distribution" viewBox="0 0 {width} {h}" width="{width}" '
        f'height="{h}" role="img" xmlns="http://www.w3.org/2000/svg" aria-label="'
        f'{escape(_("Distribution in the group, with your value"))}">',
        f'<line x1="{x(q10):.1f}" y1="14" x2="{x(q90):.1f}" y2="14" stroke="{MUTED}"/>',
        f'<rect x="{x(q25):.1f}" y="6" width="{max(x(q75) - x(q25), 1):.1f}" height="16" '
        f'fill="{BOX}" stroke="{INK}" stroke-width="0.5"/>',
        f'<line x1="{x(q50):.1f}" y1="6" x2="{x(q50):.1f}" y2="22" stroke="{INK}" '
        'stroke-width="1.5"/>',
    ]
    if result.value is not None:
        parts.append(
            f'<circle class="own-value" cx="{x(result.value):.1f}" cy="14" r="5" fill="{OWN}">'
            f"<title>{escape(_('Your value'))}: {result.value:g}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
