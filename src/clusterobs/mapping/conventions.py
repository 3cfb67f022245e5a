"""The conventions of a build and the glossary of its measures, assembled from the constants of
the one-statistic modules.

Why assembled: the rule texts (thresholds, denominators, percentile method) are written once,
next to the expression that implements them; the manifest of every result, the observatory's
glossary and the methodology page are generated from here, so they cannot drift apart.
"""

from __future__ import annotations

from clusterobs.mapping import change, coverage, lq, percentiles, stars, strength
from clusterobs.mapping.region_totals import NATIONAL_RULE
from clusterobs.mapping.shiftshare import SHIFT_SHARE_RULE

DETAILED_LEVEL_RULE = (
    "only the most detailed industries of the classification are summed into clusters"
)

CONVENTIONS = {
    "detailed_level": DETAILED_LEVEL_RULE,
    "national": NATIONAL_RULE,
    "lq_traded_local": lq.LQ_TRADED_LOCAL_RULE,
    "lq_total": lq.LQ_TOTAL_RULE,
    "percentiles": percentiles.QUANTILE_RULE,
    "strength_flags": strength.FLAG_RULE,
    "eco_stars": stars.STAR_RULE,
    "rank_percentile": percentiles.RANK_RULE,
    "wage": lq.WAGE_RULE,
    "growth": change.CAGR_RULE,
    "shift_share": SHIFT_SHARE_RULE,
    "coverage": coverage.COVERAGE_RULE,
}

#: measure -> label, definition and source, for pages and exports
GLOSSARY = {
    **{k: lq.GLOSSARY[k] for k in ("lq_traded_local", "lq_total", "national_share")},
    **strength.GLOSSARY,
    **stars.GLOSSARY,
    **change.GLOSSARY,
}
