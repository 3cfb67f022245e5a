"""Impact evaluation of cluster development programmes: pandas in, results out, no Django.

>>> from clusterobs.programmes.evaluation import did, event_study, simulate_firm_panel
>>> panel = simulate_firm_panel(seed=1, effect=0.2)
>>> did(panel, outcome="y", unit="firm", time="period", start="start", cluster="cluster")
"""

from clusterobs.programmes.evaluation.did import (
    DiDResult,
    Estimate,
    EventStudyResult,
    did,
    did_with_spillovers,
    event_study,
)
from clusterobs.programmes.evaluation.plot import bar_svg, event_study_svg
from clusterobs.programmes.evaluation.simulate import coverage, simulate_firm_panel

__all__ = [
    "DiDResult",
    "Estimate",
    "EventStudyResult",
    "bar_svg",
    "coverage",
    "did",
    "did_with_spillovers",
    "event_study",
    "event_study_svg",
    "simulate_firm_panel",
]
