"""Difference-in-differences for cluster development programmes (pandas in, results out).

Follows the practice of the IDB evaluations of cluster development programmes (Pietrobelli,
Maffioli and Stucchi, eds., *The Evaluation of Cluster Development Programs*, IDB 2014; cited
in seed 000): a two-way fixed-effects panel regression of a firm or cluster outcome on
treatment, with standard errors clustered at the level treatment is assigned (the cluster),
an event study whose leads test for parallel pre-trends, and a separate coefficient for
*non-participating* firms inside treated clusters, which measures spillovers.

Model (unit ``i``, period ``t``)::

    y_it = a_i + g_t + beta * D_it + e_it        D_it = treated_i * 1[t >= start_i]

Unit effects are absorbed by the within transformation (Frisch-Waugh-Lovell: demeaning by unit
gives the same beta as unit dummies); period effects are dummies. Inference: cluster-robust
(CR1) covariance from statsmodels with t(G-1) critical values, G = number of clusters; the
small-sample factor counts the regressors left after absorbing unit effects (as Stata's
``xtreg, fe vce(cluster)`` does when units nest in clusters).

Conventions: treatment timing may differ across units (``start`` per unit), but with staggered
timing and heterogeneous effects two-way FE weights are known to be biased (Goodman-Bacon
2021); use common timing or read the event study. No Django import here: usable in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm


@dataclass
class Estimate:
    """One coefficient with its clustered standard error and confidence interval."""

    name: str
    coef: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float

    def covers(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    def as_dict(self) -> dict[str, float | str]:
        return {
            "name": self.name,
            "coef": self.coef,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
        }


@dataclass
class DiDResult:
    """Effects (``effects['att']``, and ``effects['spillover']`` when estimated)."""

    outcome: str
    effects: dict[str, Estimate]
    n_obs: int
    n_units: int
    n_clusters: int
    alpha: float
    method: str
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "effects": {k: v.as_dict() for k, v in self.effects.items()},
            "n_obs": self.n_obs,
            "n_units": self.n_units,
            "n_clusters": self.n_clusters,
            "alpha": self.alpha,
            "method": self.method,
            "notes": self.notes,
        }


@dataclass
class EventStudyResult:
    """Coefficients by event time (relative to ``start``; -1 is the reference period)."""

    outcome: str
    coefficients: pd.DataFrame  # columns: event_time, coef, se, ci_low, ci_high
    pretrend_f: float
    pretrend_p: float
    pretrend_df: int
    alpha: float

    @property
    def parallel_pretrends(self) -> bool:
        """Not rejected at ``alpha`` (absence of evidence, not proof)."""
        return bool(np.isnan(self.pretrend_p) or self.pretrend_p >= self.alpha)

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "coefficients": self.coefficients.to_dict(orient="records"),
            "pretrend_f": self.pretrend_f,
            "pretrend_p": self.pretrend_p,
            "pretrend_df": self.pretrend_df,
            "parallel_pretrends": self.parallel_pretrends,
            "alpha": self.alpha,
        }


def _prepare(
    panel: pd.DataFrame, outcome: str, unit: str, time: str, cluster: str | None
) -> pd.DataFrame:
    missing = [c for c in (outcome, unit, time, cluster) if c and c not in panel.columns]
    if missing:
        raise ValueError(f"panel lacks column(s): {', '.join(missing)}")
    data = panel.dropna(subset=[outcome]).copy()
    if data.empty:
        raise ValueError(f"no observations of {outcome!r}")
    data[outcome] = data[outcome].astype(float)
    return data


def _fit(
    data: pd.DataFrame,
    outcome: str,
    regressors: pd.DataFrame,
    unit: str,
    time: str,
    cluster: str,
):
    """Two-way FE regression of ``outcome`` on ``regressors`` with CR1 clustered errors."""
    codes, levels = pd.factorize(data[time], sort=True)
    periods = np.zeros((len(data), max(len(levels) - 1, 0)))
    rows = np.nonzero(codes > 0)[0]
    periods[rows, codes[rows] - 1] = 1.0
    names = [*regressors.columns, *(f"_t{level}" for level in levels[1:])]
    x = np.column_stack([regressors.to_numpy(dtype=float), periods])
    y = data[outcome].to_numpy(dtype=float)
    units = pd.factorize(data[unit])[0]
    counts = np.bincount(units).astype(float)

    def within(matrix: np.ndarray) -> np.ndarray:
        sums = np.zeros((len(counts), matrix.shape[1]))
        np.add.at(sums, units, matrix)
        return matrix - (sums / counts[:, None])[units]

    x_w, y_w = within(x), within(y[:, None])[:, 0]
    # Columns that are constant within every unit vanish after demeaning; drop them.
    varying = np.abs(x_w).max(axis=0) > 1e-12
    dropped = [n for n, ok in zip(names, varying, strict=True) if not ok and not n.startswith("_t")]
    if dropped:
        raise ValueError(f"not identified (no variation within units): {', '.join(dropped)}")
    keep = [n for n, ok in zip(names, varying, strict=True) if ok]
    groups = pd.factorize(data[cluster])[0]
    model = sm.OLS(y_w, x_w[:, varying])
    result = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return result, keep


def _estimate(result, names: list[str], column: str, label: str, alpha: float) -> Estimate:
    i = names.index(column)
    ci = result.conf_int(alpha=alpha)[i]
    return Estimate(
        label,
        float(result.params[i]),
        float(result.bse[i]),
        float(ci[0]),
        float(ci[1]),
        float(result.pvalues[i]),
    )


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    start: str,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> DiDResult:
    """Average effect of treatment on the treated (two-way FE DiD).

    ``start`` holds each unit's first treated period (NaN for comparison units); ``cluster`` is
    the level of treatment assignment for the standard errors (defaults to ``unit``).
    """
    cluster = cluster or unit
    data = _prepare(panel, outcome, unit, time, cluster)
    treated_now = (data[start].notna() & (data[time] >= data[start])).astype(float)
    result, names = _fit(data, outcome, pd.DataFrame({"att": treated_now}), unit, time, cluster)
    estimate = _estimate(result, names, "att", "att", alpha)
    return DiDResult(
        outcome=outcome,
        effects={"att": estimate},
        n_obs=len(data),
        n_units=data[unit].nunique(),
        n_clusters=data[cluster].nunique(),
        alpha=alpha,
        method="two-way fixed effects DiD, CR1 errors clustered by " + cluster,
    )


def did_with_spillovers(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    start: str,
    cluster: str,
    participant: str,
    alpha: float = 0.05,
) -> DiDResult:
    """Direct effect on participants and spillover on non-participants in treated clusters.

    ``start`` is the cluster's programme start (NaN for comparison clusters), repeated on each
    firm; ``participant`` is 1 for firms taking part. Comparison: firms in untreated clusters.
    """
    data = _prepare(panel, outcome, unit, time, cluster)
    post = data[start].notna() & (data[time] >= data[start])
    part = data[participant].astype(bool)
    regressors = pd.DataFrame(
        {"direct": (post & part).astype(float), "spillover": (post & ~part).astype(float)}
    )
    result, names = _fit(data, outcome, regressors, unit, time, cluster)
    return DiDResult(
        outcome=outcome,
        effects={
            "att": _estimate(result, names, "direct", "direct effect on participants", alpha),
            "spillover": _estimate(
                result, names, "spillover", "spillover on non-participants", alpha
            ),
        },
        n_obs=len(data),
        n_units=data[unit].nunique(),
        n_clusters=data[cluster].nunique(),
        alpha=alpha,
        method="two-way fixed effects DiD with a spillover term, CR1 errors clustered by "
        + cluster,
    )


def event_study(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    start: str,
    cluster: str | None = None,
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
) -> EventStudyResult:
    """Coefficients on event-time dummies, binned at ``-leads`` and ``+lags``; period -1 is
    the reference. Pre-trend check: joint Wald F test that all lead coefficients are zero."""
    cluster = cluster or unit
    data = _prepare(panel, outcome, unit, time, cluster)
    treated = data[start].notna()
    rel = (data[time] - data[start]).clip(lower=-leads, upper=lags)
    columns = {}
    for k in range(-leads, lags + 1):
        if k == -1:
            continue
        columns[f"e{k}"] = (treated & (rel == k)).astype(float)
    regressors = pd.DataFrame(columns)
    regressors = regressors.loc[:, regressors.sum() > 0]
    result, names = _fit(data, outcome, regressors, unit, time, cluster)
    rows = []
    for column in regressors.columns:
        est = _estimate(result, names, column, column, alpha)
        rows.append(
            {
                "event_time": int(column[1:]),
                "coef": est.coef,
                "se": est.se,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
            }
        )
    rows.append({"event_time": -1, "coef": 0.0, "se": 0.0, "ci_low": 0.0, "ci_high": 0.0})
    table = pd.DataFrame(rows).sort_values("event_time").reset_index(drop=True)
    lead_columns = [c for c in regressors.columns if int(c[1:]) < -1]
    if lead_columns:
        restriction = np.zeros((len(lead_columns), len(names)))
        for row, column in enumerate(lead_columns):
            restriction[row, names.index(column)] = 1.0
        test = result.f_test(restriction)
        f_value, p_value = float(np.squeeze(test.fvalue)), float(test.pvalue)
    else:
        f_value, p_value = float("nan"), float("nan")
    return EventStudyResult(outcome, table, f_value, p_value, len(lead_columns), alpha)
