"""Event-study chart as a self-contained SVG string (no plotting library, no JavaScript)."""

from __future__ import annotations

from html import escape

import pandas as pd


def event_study_svg(
    coefficients: pd.DataFrame, *, title: str = "", width: int = 560, height: int = 300
) -> str:
    """Points with confidence bars by event time; a dashed line at zero and at the start.

    ``coefficients`` has columns event_time, coef, ci_low, ci_high (from ``event_study``).
    """
    left, right, top, bottom = 56, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    times = list(coefficients["event_time"])
    low = min(0.0, float(coefficients["ci_low"].min()))
    high = max(0.0, float(coefficients["ci_high"].max()))
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad
    t_min, t_max = min(times), max(times)
    span = (t_max - t_min) or 1

    def sx(t: float) -> float:
        return left + (t - t_min + 0.5) / (span + 1) * plot_w

    def sy(v: float) -> float:
        return top + (high - v) / (high - low) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="event-study">',
        f"<title>{escape(title or 'Event study')}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#999"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(0):.1f}" y2="{sy(0):.1f}" '
        'stroke="#555" stroke-dasharray="4 3"/>',
        f'<line x1="{(sx(-1) + sx(0)) / 2:.1f}" x2="{(sx(-1) + sx(0)) / 2:.1f}" y1="{top}" '
        f'y2="{top + plot_h}" stroke="#c0392b" stroke-dasharray="4 3"/>',
        f'<text x="{left}" y="{top - 10}" font-size="13" font-family="sans-serif">'
        f"{escape(title)}</text>",
    ]
    for i in range(5):
        v = low + (high - low) * i / 4
        parts.append(
            f'<text x="{left - 6}" y="{sy(v) + 4:.1f}" font-size="11" text-anchor="end" '
            f'font-family="sans-serif">{v:.2f}</text>'
        )
    for row in coefficients.itertuples():
        x = sx(row.event_time)
        colour = "#264653" if row.event_time >= 0 else "#2a9d8f"
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{sy(row.ci_low):.1f}" '
            f'y2="{sy(row.ci_high):.1f}" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<circle cx="{x:.1f}" cy="{sy(row.coef):.1f}" r="4" fill="{colour}">'
            f"<title>t={row.event_time}: {row.coef:.3f} [{row.ci_low:.3f}, {row.ci_high:.3f}]"
            "</title></circle>"
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
            f'font-family="sans-serif">{row.event_time}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 6}" font-size="11" text-anchor="middle" '
        'font-family="sans-serif">periods relative to programme start (-1 = reference)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def bar_svg(rows: list[tuple[str, float, float | None]], *, width: int = 560) -> str:
    """Horizontal bars of attainment (0-100+%) with an optional target marker at 100%.

    ``rows``: (label, attainment percent, unused) — used by the initiative dashboard.
    """
    bar_h, gap, left = 18, 8, 220
    height = max(1, len(rows)) * (bar_h + gap) + 24
    scale = (width - left - 40) / 150.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="attainment">',
        "<title>Attainment of targets</title>",
        f'<line x1="{left + 100 * scale:.1f}" x2="{left + 100 * scale:.1f}" y1="0" '
        f'y2="{height - 20}" stroke="#c0392b" stroke-dasharray="4 3"/>',
        f'<text x="{left + 100 * scale:.1f}" y="{height - 6}" font-size="11" '
        'text-anchor="middle" font-family="sans-serif">target</text>',
    ]
    for i, (label, value, _) in enumerate(rows):
        y = i * (bar_h + gap) + 4
        shown = max(0.0, min(value, 150.0))
        colour = "#2a9d8f" if value >= 100 else "#e9c46a"
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end" '
            f'font-family="sans-serif">{escape(label[:34])}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{shown * scale:.1f}" height="{bar_h}" '
            f'fill="{colour}"><title>{escape(label)}: {value:.0f}%</title></rect>'
        )
        parts.append(
            f'<text x="{left + shown * scale + 4:.1f}" y="{y + 13}" font-size="11" '
            f'font-family="sans-serif">{value:.0f}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
