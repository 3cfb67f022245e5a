"""Indicator arithmetic: change against baseline, attainment of target, direction.

Pure functions on Decimals (no Django), so the dashboard, the API, the CSV export and the
tests share one definition.

* change = latest - baseline; percent change = change / |baseline| x 100 (None if baseline 0)
* attainment = (latest - baseline) / (target - baseline) x 100: the share of the planned
  change achieved. It is direction-free: for a "lower is better" indicator the target is below
  the baseline, so both differences are negative and a fall towards the target counts as
  progress. None when target equals baseline or a value is missing.
* improved: the change goes the way the indicator's direction says is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Progress:
    baseline: Decimal | None
    target: Decimal | None
    latest: Decimal | None
    change: Decimal | None
    percent_change: Decimal | None
    attainment_percent: Decimal | None
    improved: bool | None
    target_met: bool | None


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def progress(
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    latest: Decimal | None,
    direction: str,
) -> Progress:
    """``direction`` is ``"higher"`` or ``"lower"`` (which way is better)."""
    if direction not in {"higher", "lower"}:
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
    change = percent = attainment = None
    improved = met = None
    if latest is not None and baseline is not None:
        change = latest - baseline
        percent = change / abs(baseline) * HUNDRED if baseline != 0 else None
        improved = change > 0 if direction == "higher" else change < 0
        if change == 0:
            improved = False
        if target is not None and target != baseline:
            attainment = change / (target - baseline) * HUNDRED
    if latest is not None and target is not None:
        met = latest >= target if direction == "higher" else latest <= target
    return Progress(baseline, target, latest, change, _q(percent), _q(attainment), improved, met)
