"""Reads of the programmes app: visibility-filtered querysets, dashboards, the calculator."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from clusterobs.programmes import metrics, permissions
from clusterobs.programmes.models import (
    Application,
    ClusterInitiative,
    Indicator,
    InitiativeIndicator,
    LifecycleStage,
    Measurement,
    RuleSet,
    StatusLimit,
    SurveyResponse,
)
from clusterobs.programmes.rules import engine
from clusterobs.programmes.rules.facts import organisation_facts
from clusterobs.programmes.vocabularies import DEFAULT_LIMIT_DAYS, TRANSITIONS
from clusterobs.registry.models import Scheme
from clusterobs.registry.services import UserLike


def _user(user: UserLike) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return user if user is not None else AnonymousUser()


# --- initiatives --------------------------------------------------------------------------------


def initiative_list(
    user: UserLike, *, scheme: str = "", stage: str = "", q: str = ""
) -> QuerySet[ClusterInitiative]:
    qs = ClusterInitiative.objects.select_related(
        "cluster", "scheme", "stage", "implementing_agency"
    )
    qs = permissions.visible(qs, _user(user))
    if scheme:
        qs = qs.filter(scheme__slug=scheme)
    if stage:
        qs = qs.filter(stage__key=stage)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(cluster__name__icontains=q))
    return qs.order_by("name")


def initiative_detail(user: UserLike, slug: str) -> ClusterInitiative | None:
    return initiative_list(user).filter(slug=slug).first()


def stage_timeline(initiative: ClusterInitiative) -> list[dict[str, Any]]:
    """Every lifecycle stage with the date reached (None if not yet) and its documents."""
    reached = {e.stage_id: e for e in initiative.stage_events.all()}
    documents = list(initiative.documents.all())
    rows = []
    for stage in LifecycleStage.objects.all():
        event = reached.get(stage.pk)
        rows.append(
            {
                "stage": stage,
                "reached_on": event.reached_on if event else None,
                "note": event.note if event else "",
                "current": stage.pk == initiative.stage_id,
                "documents": [d for d in documents if d.kind in stage.documents],
                "expects": stage.documents,
            }
        )
    return rows


# --- applications -------------------------------------------------------------------------------


def status_limits() -> dict[str, int]:
    return dict(StatusLimit.objects.values_list("status", "days"))


@dataclass
class Pending:
    application: Application
    days: int
    limit: int | None
    overdue: bool


def pending(application: Application, *, today: dt.date | None = None, limits=None) -> Pending:
    """Days the application has waited in its status; overdue past the status's limit.

    Final statuses (completed, rejected) have no limit and are never overdue.
    """
    today = today or timezone.localdate()
    limits = limits if limits is not None else status_limits()
    since = timezone.localtime(application.status_since).date()
    days = (today - since).days
    final = not TRANSITIONS[application.status]
    limit = None if final else limits.get(application.status, DEFAULT_LIMIT_DAYS)
    return Pending(application, days, limit, limit is not None and days > limit)


def applications(
    user: UserLike, *, initiative: ClusterInitiative | None = None, overdue_only: bool = False
) -> list[Pending]:
    """Applications the user reads in full, with days pending and the overdue flag."""
    allowed = permissions.full(ClusterInitiative.objects.all(), _user(user))
    qs = Application.objects.filter(initiative__in=allowed).select_related("initiative")
    if initiative is not None:
        qs = qs.filter(initiative=initiative)
    limits = status_limits()
    rows = [pending(a, limits=limits) for a in qs]
    return [r for r in rows if r.overdue] if overdue_only else rows


def application_detail(user: UserLike, pk: int) -> Application | None:
    allowed = permissions.full(ClusterInitiative.objects.all(), _user(user))
    return (
        Application.objects.filter(pk=pk, initiative__in=allowed)
        .select_related("initiative")
        .prefetch_related("status_changes__changed_by")
        .first()
    )


def status_durations(application: Application) -> list[dict[str, Any]]:
    """Each status the application went through, and the days it spent there."""
    changes = list(application.status_changes.all())
    rows = []
    for i, change in enumerate(changes):
        end = changes[i + 1].changed_at if i + 1 < len(changes) else timezone.now()
        rows.append(
            {
                "change": change,
                "days": (
                    timezone.localtime(end).date() - timezone.localtime(change.changed_at).date()
                ).days,
                "current": i + 1 == len(changes),
            }
        )
    return rows


# --- rules and calculator -----------------------------------------------------------------------


def scheme_key(scheme: Scheme) -> str:
    return re.sub(r"[^a-z0-9]", "", (scheme.acronym or scheme.slug).lower())


def rule_sets(scheme: str) -> list[dict[str, Any]]:
    """Resolved rule sets of a scheme (by rule-file key), oldest first."""
    rows = {r.version: r.definition for r in RuleSet.objects.filter(scheme_key=scheme)}
    return sorted(
        (engine.resolve(d, rows.get(d.get("inherits"))) for d in rows.values()),
        key=lambda d: d["valid_from"],
    )


def rule_set_keys() -> list[str]:
    return sorted(set(RuleSet.objects.values_list("scheme_key", flat=True)))


def rule_set_for(scheme: str, *, on: dt.date | None = None, version: str = "") -> dict | None:
    sets = rule_sets(scheme)
    if version:
        return next((s for s in sets if s["version"] == version), None)
    return engine.select(sets, on or timezone.localdate())


def calculate(
    *,
    scheme: str,
    facts: dict[str, Any],
    costs: dict[str, engine.Money],
    on: dt.date | None = None,
    version: str = "",
    organisation_id: int | None = None,
) -> engine.Calculation:
    """Eligible grants under the rule set in force on ``on`` (or the named ``version``).

    With ``organisation_id`` the facts other apps hold about that organisation (e.g. the label
    levels it holds on that date) are added; facts given explicitly are overridden by them, so a
    caller cannot claim a label the organisation does not hold.
    """
    if organisation_id is not None:
        facts = {**facts, **organisation_facts(organisation_id, on or timezone.localdate())}
    rule_set = rule_set_for(scheme, on=on, version=version)
    if rule_set is None:
        when = f"version {version}" if version else f"on {on or timezone.localdate()}"
        raise LookupError(f"No {scheme} funding rules {when}.")
    return engine.calculate(rule_set, facts=facts, costs=costs)


# --- indicators ---------------------------------------------------------------------------------


def indicator_library(level: str = "") -> QuerySet[Indicator]:
    qs = Indicator.objects.all()
    return qs.filter(level=level) if level else qs


def indicator_progress(initiative: ClusterInitiative) -> list[dict[str, Any]]:
    """Each tracked indicator with baseline, target, latest value and the arithmetic."""
    rows = []
    tracked = initiative.indicators.select_related("indicator", "result").prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
    )
    for t in tracked:
        measurements = list(t.measurements.all())
        latest = measurements[-1] if measurements else None
        rows.append(
            {
                "tracked": t,
                "indicator": t.indicator,
                "measurements": measurements,
                "latest": latest,
                "progress": metrics.progress(
                    baseline=t.baseline,
                    target=t.target,
                    latest=latest.value if latest else None,
                    direction=t.indicator.direction,
                ),
            }
        )
    return rows


@cache
def survey_instrument() -> dict[str, Any]:
    path = resources.files("clusterobs.programmes") / "data" / "survey.json"
    return json.loads(path.read_text(encoding="utf-8"))


def firm_panel(
    initiative: ClusterInitiative, *, outcome: str, programme_start: int | None = None
) -> pd.DataFrame:
    """The firm panel from survey answers: firm, cluster, year, participant, start, y.

    ``start`` is the programme's first treated year for firms in treated clusters (NaN in
    comparison clusters), so the frame goes straight into ``evaluation.did``.
    """
    responses = SurveyResponse.objects.filter(firm__initiative=initiative).select_related("firm")
    rows = []
    for r in responses:
        value = r.answers.get(outcome)
        if value is None:
            continue
        value = float(value)  # booleans (yes/no answers) become 1.0 / 0.0
        rows.append(
            {
                "firm": r.firm.key,
                "cluster": r.firm.cluster_name,
                "year": r.year,
                "participant": int(r.firm.participant),
                "treated": int(r.firm.in_treated_cluster),
                "y": value,
            }
        )
    frame = pd.DataFrame(rows, columns=["firm", "cluster", "year", "participant", "treated", "y"])
    start = programme_start if programme_start is not None else float("nan")
    frame["start"] = frame["treated"].map(lambda t: float(start) if t else float("nan"))
    return frame


# --- dashboards ---------------------------------------------------------------------------------


def _money(value: Decimal | None) -> Decimal:
    return value or Decimal(0)


def portfolio(user: UserLike, scheme: Scheme) -> dict[str, Any]:
    """A scheme's portfolio: reported coverage, stages reached, funds, outcome aggregates."""
    initiatives = permissions.visible(ClusterInitiative.objects.filter(scheme=scheme), _user(user))
    full = permissions.full(ClusterInitiative.objects.filter(scheme=scheme), _user(user))
    stages = []
    total = initiatives.count()
    for stage in LifecycleStage.objects.all():
        n = initiatives.filter(stage_events__stage=stage).distinct().count()
        stages.append(
            {"stage": stage, "initiatives": n, "share": (n / total * 100) if total else None}
        )
    apps = Application.objects.filter(initiative__in=full)
    by_unit: dict[str, dict[str, Decimal]] = {}
    for row in apps.values("unit", "currency").annotate(
        cost=Sum("proposed_cost"),
        sanctioned=Sum("grant_sanctioned"),
        released=Sum("grant_released"),
    ):
        money = by_unit.setdefault(f"{row['currency']} {row['unit']}", {})
        money["proposed"] = _money(row["cost"])
        money["sanctioned"] = _money(row["sanctioned"])
        money["released"] = _money(row["released"])
    leverage = None
    sanctioned_rupees = Decimal(0)
    cost_rupees = Decimal(0)
    for a in apps.filter(grant_sanctioned__isnull=False):
        factor = engine.UNITS.get(a.unit, Decimal(1))
        sanctioned_rupees += a.grant_sanctioned * factor
        cost_rupees += a.proposed_cost * factor
    if sanctioned_rupees:
        leverage = ((cost_rupees - sanctioned_rupees) / sanctioned_rupees).quantize(Decimal("0.01"))
    outcomes: dict[str, dict[str, Any]] = {}
    for initiative in full:
        for row in indicator_progress(initiative):
            p = row["progress"]
            agg = outcomes.setdefault(
                row["indicator"].key,
                {"indicator": row["indicator"], "initiatives": 0, "change": Decimal(0), "met": 0},
            )
            if p.change is not None:
                agg["initiatives"] += 1
                agg["change"] += p.change
                agg["met"] += bool(p.target_met)
    reported = list(scheme.coverage.all())
    return {
        "scheme": scheme,
        "reported": reported,
        "initiatives": initiatives,
        "initiative_count": total,
        "clusters": initiatives.values("cluster").distinct().count(),
        "stages": stages,
        "funds": by_unit,
        "leverage": leverage,
        "outcomes": list(outcomes.values()),
        "applications": apps.count(),
        "full_access": permissions.full_access_filter(_user(user)) is None,
    }


def policy_overview(user: UserLike) -> list[dict[str, Any]]:
    """One row per scheme with initiatives or coverage figures: the view across schemes."""
    schemes = Scheme.objects.filter(
        Q(programme_initiatives__isnull=False) | Q(coverage__isnull=False)
    ).distinct()
    schemes = schemes.filter(published=True) if not permissions.is_editor(_user(user)) else schemes
    rows = []
    for scheme in schemes.order_by("name"):
        data = portfolio(user, scheme)
        covered = [c for c in data["reported"] if c.measure == "clusters covered"]
        rows.append(
            {
                "scheme": scheme,
                "reported_clusters": max((c.value for c in covered), default=None),
                "initiatives": data["initiative_count"],
                "clusters": data["clusters"],
                "funds": data["funds"],
                "leverage": data["leverage"],
                "outcomes": data["outcomes"],
                "furthest": max(
                    (s for s in data["stages"] if s["initiatives"]),
                    key=lambda s: s["stage"].order,
                    default=None,
                ),
            }
        )
    return rows


def tracked_indicator(initiative: ClusterInitiative, key: str) -> InitiativeIndicator | None:
    return initiative.indicators.filter(indicator__key=key).first()
