"""Benchmarking report: where an organisation stands against reference groups, per indicator.

Population
    Each organisation's *latest submitted* assessment of the framework version (one row per
    organisation; its numbers were frozen on submission). Held as a numpy matrix (organisations
    × indicators, ``nan`` where unanswered) cached until an assessment is submitted.

Reference groups (of the assessed organisation)
    ``sector``: the same first sector code (else the same cluster type); ``country``: the same
    country; ``age``: the same age band (:data:`AGE_BANDS`, years since founding); ``size``: the
    same size band (:data:`SIZE_BANDS`, members); ``all``: every organisation. A group with fewer
    than ``settings.EXCELLENCE_MIN_GROUP_SIZE`` organisations (default 10) is hidden, and so is a
    position computed from fewer answers than that: nobody can read another organisation's
    answer from a report, only aggregates over at least the minimum.

Position (percentile rank, "mean" convention, as ``scipy.stats.percentileofscore(kind="mean")``)
    For the organisation's value ``x`` and the group's answered values ``v_1..v_n`` (its own
    latest included)::

        P = 100 × (#{v_i < x} + ½ #{v_i = x}) / n

    For an indicator where lower is better the position is ``100 − P`` (share of the group doing
    worse, ties halved), so a high position always means "better than most". The distribution
    drawn is the group's 10th, 25th, 50th, 75th and 90th percentiles (numpy's default linear
    interpolation, Hyndman & Fan type 7).

Findings
    A *strength* is a position ≥ 75 in the widest visible group, a *weakness* ≤ 25; a
    *recommendation* comes from the indicator's own rule (``pct_lt:25``, ``value_lt:3``,
    ``value_gt:70``, ``is:no``) and its advice; each finding states the values that triggered it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clusterobs.excellence.frameworks import parse_rule
from clusterobs.excellence.models import Assessment, AssessmentStatus, Framework, Indicator

QUANTILES = (10, 25, 50, 75, 90)
STRENGTH_AT, WEAKNESS_AT = 75.0, 25.0
#: (from, to-exclusive, label); ``None`` = open-ended
AGE_BANDS = (
    (0, 5, "under 5 years"),
    (5, 10, "5-9 years"),
    (10, 20, "10-19 years"),
    (20, None, "20 years or more"),
)
SIZE_BANDS = (
    (0, 50, "under 50 members"),
    (50, 150, "50-149 members"),
    (150, 500, "150-499 members"),
    (500, None, "500 members or more"),
)
GROUPS = ("sector", "country", "age", "size", "all")


def band(value: float | int | None, bands: tuple) -> int:
    """Index of the band holding ``value`` (-1 when unknown)."""
    if value is None:
        return -1
    for i, (low, high, _label) in enumerate(bands):
        if value >= low and (high is None or value < high):
            return i
    return -1


def position(values: np.ndarray, x: float, *, lower_is_better: bool = False) -> float:
    """The percentile position of ``x`` among ``values`` (see the module docstring)."""
    values = values[~np.isnan(values)]
    below = np.count_nonzero(values < x)
    equal = np.count_nonzero(values == x)
    p = 100.0 * (below + 0.5 * equal) / values.size
    return 100.0 - p if lower_is_better else p


def bands(values: list, table: tuple) -> np.ndarray:
    """:func:`band` of many values at once (-1 where unknown)."""
    known = np.array([np.nan if v is None else v for v in values], dtype=float)
    edges = np.array([low for low, _high, _label in table[1:]], dtype=float)
    index = np.searchsorted(edges, known, side="right").astype(np.int16)
    index[np.isnan(known)] = -1
    return index


@dataclass(frozen=True)
class Population:
    keys: tuple[str, ...]
    matrix: np.ndarray
    organisation_ids: np.ndarray
    sector: np.ndarray
    country: np.ndarray
    age: np.ndarray
    size: np.ndarray
    #: every column sorted (unanswered as +inf last), for the "all" group's quantiles
    ordered: np.ndarray | None = None


_CACHE: dict[int, tuple[tuple, Population]] = {}
_LOCK = threading.Lock()


def _latest(framework: Framework):
    return Assessment.objects.filter(
        framework=framework, status=AssessmentStatus.SUBMITTED, latest=True
    )


def population(framework: Framework) -> Population:
    """The benchmarking population of a framework version (cached; rebuilt after a submission)."""
    version = tuple(_latest(framework).aggregate(n=Count("id"), t=Max("submitted_at")).values())
    with _LOCK:
        cached = _CACHE.get(framework.pk)
        if cached and cached[0] == version:
            return cached[1]
    keys = tuple(framework.indicators.order_by("position").values_list("key", flat=True))
    rows = list(
        _latest(framework).values_list(
            "pk", "organisation_id", "sector", "country", "age_years", "members", "vector"
        )
    )
    width = 8 * len(keys)
    matrix = np.full((len(rows), len(keys)), np.nan)
    packed = [i for i, r in enumerate(rows) if len(r[6]) == width]
    if packed:
        joined = b"".join(bytes(rows[i][6]) for i in packed)
        matrix[packed] = np.frombuffer(joined, dtype="<f8").reshape(len(packed), len(keys))
    if len(packed) < len(rows):  # rows written without a vector (e.g. by a bulk import)
        missing = {rows[i][0]: i for i in range(len(rows)) if len(rows[i][6]) != width}
        for pk, scores in (
            _latest(framework).filter(pk__in=list(missing)).values_list("pk", "scores")
        ):
            matrix[missing[pk]] = [np.nan if (v := scores.get(k)) is None else v for k in keys]
    rows = [r[1:] for r in rows]
    pop = Population(
        keys=keys,
        matrix=matrix,
        organisation_ids=np.array([r[0] for r in rows], dtype=np.int64),
        sector=np.array([r[1] for r in rows], dtype=object),
        country=np.array([r[2] for r in rows], dtype=object),
        age=bands([r[3] for r in rows], AGE_BANDS),
        size=bands([r[4] for r in rows], SIZE_BANDS),
        ordered=np.sort(np.where(np.isnan(matrix), np.inf, matrix), axis=0),
    )
    with _LOCK:
        _CACHE[framework.pk] = (version, pop)
    return pop


@dataclass
class Group:
    key: str
    label: str
    size: int  # organisations in the group (shown only when not hidden)
    hidden: bool
    reason: str = ""


@dataclass
class Position:
    n: int
    percentile: float | None  # None when hidden (fewer answers than the minimum)
    quantiles: tuple[float, ...] = ()


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: float | None
    positions: dict[str, Position] = field(default_factory=dict)
    previous: float | None = None
    change: float | None = None
    improved: bool | None = None

    def best_position(self) -> tuple[str, Position] | None:
        """The widest visible group's position ("all" first)."""
        for key in reversed(GROUPS):
            pos = self.positions.get(key)
            if pos is not None and pos.percentile is not None:
                return key, pos
        return None


@dataclass
class Finding:
    kind: str  # strength, weakness, recommendation
    indicator: str
    text: str
    trigger: str


@dataclass
class Report:
    assessment: Assessment
    min_group_size: int
    groups: list[Group]
    indicators: list[IndicatorResult]
    areas: list[dict]
    findings: list[Finding]
    trend_years: list[int]

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.key == key)

    def as_dict(self) -> dict:
        """The JSON twin (aggregates and the organisation's own values only)."""
        return {
            "assessment": self.assessment.pk,
            "organisation": self.assessment.organisation.slug,
            "framework": f"{self.assessment.framework.key}/{self.assessment.framework.version}",
            "year": self.assessment.year,
            "min_group_size": self.min_group_size,
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    "size": None if g.hidden else g.size,
                    "hidden": g.hidden,
                    "reason": g.reason,
                }
                for g in self.groups
            ],
            "indicators": [
                {
                    "key": r.indicator.key,
                    "area": r.indicator.area.key,
                    "value": r.value,
                    "previous": r.previous,
                    "change": r.change,
                    "positions": {
                        k: {"n": p.n, "percentile": p.percentile, "quantiles": list(p.quantiles)}
                        for k, p in r.positions.items()
                    },
                }
                for r in self.indicators
            ],
            "areas": self.areas,
            "findings": [f.__dict__ for f in self.findings],
            "trend_years": self.trend_years,
        }


def _groups(pop: Population, own: Assessment, minimum: int) -> tuple[list[Group], dict]:
    age, size = band(own.age_years, AGE_BANDS), band(own.members, SIZE_BANDS)
    specs = {
        "sector": (
            pop.sector == own.sector if own.sector else None,
            _("Same sector: %s") % own.sector,
        ),
        "country": (
            pop.country == own.country if own.country else None,
            _("Same country: %s") % own.country,
        ),
        "age": (
            pop.age == age if age >= 0 else None,
            _("Similar age: %s") % (AGE_BANDS[age][2] if age >= 0 else ""),
        ),
        "size": (
            pop.size == size if size >= 0 else None,
            _("Similar size: %s") % (SIZE_BANDS[size][2] if size >= 0 else ""),
        ),
        "all": (np.ones(len(pop.organisation_ids), dtype=bool), _("All organisations")),
    }
    groups, masks = [], {}
    for key in GROUPS:
        mask, label = specs[key]
        if mask is None:
            groups.append(Group(key, label, 0, True, _("not known for this organisation")))
            continue
        n = int(np.count_nonzero(mask))
        hidden = n < minimum
        reason = _("fewer than %(n)d organisations") % {"n": minimum} if hidden else ""
        groups.append(Group(key, label, n, hidden, reason))
        if not hidden:
            masks[key] = mask
    return groups, masks


def _quantiles(
    sub: np.ndarray, answered: np.ndarray, n: np.ndarray, ordered: np.ndarray | None = None
) -> np.ndarray:
    """The :data:`QUANTILES` of every column at once, ignoring unanswered cells: numpy's linear
    method (``np.percentile``'s default) written out, because ``np.nanpercentile`` loops over
    the columns in Python. Unanswered cells sort last (as +inf) and are never reached."""
    if ordered is None:
        ordered = np.sort(np.where(answered, sub, np.inf), axis=0)
    cols = np.arange(sub.shape[1])
    last = np.maximum(n - 1, 0)
    rank = np.array(QUANTILES, dtype=float)[:, None] / 100.0 * last[None, :]
    low = np.floor(rank).astype(np.int64)
    high = np.minimum(low + 1, last[None, :])
    frac = rank - low
    with np.errstate(invalid="ignore"):
        values = ordered[low, cols] * (1 - frac) + ordered[high, cols] * frac
    return np.where(n[None, :] > 0, values, np.nan)


def _positions(pop: Population, masks: dict, own: np.ndarray, lower: np.ndarray, minimum: int):
    """{group: (counts, percentiles, quantiles)} for every indicator at once."""
    out = {}
    for key, mask in masks.items():
        sub = pop.matrix[mask]
        answered = ~np.isnan(sub)
        n = answered.sum(axis=0)
        below = (sub < own).sum(axis=0)
        equal = (sub == own).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = 100.0 * (below + 0.5 * equal) / n
        pct = np.where(lower, 100.0 - pct, pct)
        enough = n >= minimum
        quant = _quantiles(sub, answered, n, pop.ordered if key == "all" else None)
        out[key] = (n, np.where(enough & ~np.isnan(own), pct, np.nan), quant)
    return out


def _fmt(value: float | None, unit: str = "", kind: str = "") -> str:
    if value is None:
        return "-"
    if kind in ("yes_no", "evidence"):
        return _("yes") if value else _("no")
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def ordinal(p: float) -> str:
    """'1st', '22nd', '13th percentile': ordinals of the rounded position; the suffixes are
    translated (French writes "e" for all) because they depend on the language."""
    n = round(p)
    if 10 <= n % 100 <= 20 or n % 10 not in (1, 2, 3):
        suffix = pgettext("ordinal suffix", "th")
    else:
        suffix = {
            1: pgettext("ordinal suffix", "st"),
            2: pgettext("ordinal suffix", "nd"),
            3: pgettext("ordinal suffix", "rd"),
        }[n % 10]
    return _("%(n)d%(suffix)s percentile") % {"n": n, "suffix": suffix}


def _findings(results: list[IndicatorResult], groups: dict[str, Group]) -> list[Finding]:
    found: list[Finding] = []
    for r in results:
        ind, best = r.indicator, r.best_position()
        where = ""
        if best:
            gkey, pos = best
            where = _("%(pos)s in %(group)s (n=%(n)d)") % {
                "pos": ordinal(pos.percentile),
                "group": groups[gkey].label.lower(),
                "n": pos.n,
            }
            value = _("value %(v)s") % {"v": _fmt(r.value, ind.unit, ind.type)}
            if pos.percentile >= STRENGTH_AT:
                found.append(Finding("strength", ind.key, ind.question, f"{value}; {where}"))
            elif pos.percentile <= WEAKNESS_AT:
                found.append(Finding("weakness", ind.key, ind.question, f"{value}; {where}"))
        rec = _rule_trigger(ind, r.value, best)
        if rec and ind.advice:
            found.append(Finding("recommendation", ind.key, ind.advice, rec))
    return found


def _rule_trigger(ind: Indicator, value: float | None, best) -> str:
    """Why the indicator's rule holds (empty when it does not or cannot be checked)."""
    rule = parse_rule(ind.rule, ind.key)
    if rule is None or value is None:
        return ""
    kind, bound = rule
    shown = _fmt(value, ind.unit)
    if kind == "is":
        answer = "yes" if value else "no"
        return _("answered %(a)s") % {"a": answer} if answer == bound else ""
    if kind in ("value_lt", "value_gt"):
        limit = float(bound)
        hit = value < limit if kind == "value_lt" else value > limit
        sign = "<" if kind == "value_lt" else ">"
        return f"{shown} {sign} {_fmt(limit, ind.unit)}" if hit else ""
    if best is None:
        return ""
    gkey, pos = best
    limit = float(bound)
    hit = pos.percentile < limit if kind == "pct_lt" else pos.percentile > limit
    sign = "<" if kind == "pct_lt" else ">"
    return (
        _("%(v)s: %(p)s %(s)s %(l)s in group '%(g)s' (n=%(n)d)")
        % {
            "v": shown,
            "p": ordinal(pos.percentile),
            "s": sign,
            "l": f"{limit:.0f}",
            "g": gkey,
            "n": pos.n,
        }
        if hit
        else ""
    )


def _trend(assessment: Assessment, results: list[IndicatorResult]) -> list[int]:
    earlier = list(
        Assessment.objects.filter(
            organisation=assessment.organisation,
            framework__key=assessment.framework.key,
            status=AssessmentStatus.SUBMITTED,
            year__lt=assessment.year,
        )
        .order_by("year", "submitted_at")
        .values_list("year", "scores")
    )
    if not earlier:
        return []
    previous = earlier[-1][1]
    for r in results:
        old = previous.get(r.indicator.key)
        if old is None or r.value is None:
            continue
        r.previous, r.change = old, r.value - old
        if r.change:
            better_up = r.indicator.better == "higher"
            r.improved = (r.change > 0) == better_up
    return [year for year, _scores in earlier]


def report(assessment: Assessment) -> Report:
    """The benchmarking report of a submitted assessment."""
    minimum = int(getattr(settings, "EXCELLENCE_MIN_GROUP_SIZE", 10))
    framework = assessment.framework
    pop = population(framework)
    indicators = list(framework.indicators.select_related("area").order_by("position"))
    by_key = {i.key: i for i in indicators}
    own = np.array([assessment.scores.get(k, np.nan) for k in pop.keys], dtype=float)
    lower = np.array([by_key[k].better == "lower" for k in pop.keys])
    groups, masks = _groups(pop, assessment, minimum)
    computed = _positions(pop, masks, own, lower, minimum)
    results = []
    for j, key in enumerate(pop.keys):
        value = None if np.isnan(own[j]) else float(own[j])
        r = IndicatorResult(by_key[key], value)
        for gkey, (n, pct, quant) in computed.items():
            hidden = np.isnan(pct[j])
            r.positions[gkey] = Position(
                int(n[j]),
                None if hidden else round(float(pct[j]), 1),
                () if hidden else tuple(round(float(q), 2) for q in quant[:, j]),
            )
        results.append(r)
    trend_years = _trend(assessment, results)
    group_map = {g.key: g for g in groups}
    areas = []
    for area in framework.areas.order_by("position"):
        pcts = [
            best[1].percentile
            for r in results
            if r.indicator.area_id == area.pk and (best := r.best_position())
        ]
        areas.append(
            {
                "key": area.key,
                "name": area.name,
                "position": round(sum(pcts) / len(pcts), 1) if pcts else None,
            }
        )
    return Report(
        assessment=assessment,
        min_group_size=minimum,
        groups=groups,
        indicators=results,
        areas=areas,
        findings=_findings(results, group_map),
        trend_years=trend_years,
    )
