"""Every measure of a cluster-region-year cell, composed from the one-statistic modules.

Why a composition module: the published result and a custom region (a union of regions ranked
among the others) must compute LQs, strength flags, stars and ranks the same way. Both call
:func:`measure_cells` on a table of summed cells; the formulas themselves live in
:mod:`~clusterobs.mapping.lq`, :mod:`~clusterobs.mapping.percentiles`,
:mod:`~clusterobs.mapping.strength` and :mod:`~clusterobs.mapping.stars`.
"""

from __future__ import annotations

import ibis.expr.types as ir

from clusterobs.mapping import stars, strength
from clusterobs.mapping.lq import with_lqs
from clusterobs.mapping.percentiles import PEERS, RankSpec, thresholds, with_ranks
from clusterobs.tables.expressions import left_join

THRESHOLDS = {**strength.THRESHOLDS, **stars.THRESHOLDS}
#: peers counted per group: the N of the rank percentiles
PEER_COUNTS = {"n_employment": "employment", "n_lq": "lq_traded_local"}
ROW_KEY = ["r", "k", "year"]


def peer_thresholds(cells: ir.Table) -> ir.Table:
    """The percentile thresholds and peer counts of every peer group (computed once per chunk
    of years and kept, since flags, stars and ranks all need them)."""
    return thresholds(cells, THRESHOLDS, PEER_COUNTS)


def with_ratings(cells: ir.Table, thr: ir.Table, *, establishments_test: bool = True) -> ir.Table:
    """U.S. Cluster Mapping flags (traded clusters) and ECO stars (every cluster)."""
    j = left_join(cells, thr, PEERS)
    j = j.mutate(**strength.flags(j, establishments_test=establishments_test), **stars.stars(j))
    return j.drop(*THRESHOLDS)


def with_ratings_and_ranks(
    cells: ir.Table, thr: ir.Table, *, establishments_test: bool = True
) -> ir.Table:
    """Flags and stars plus the employment and LQ rank percentiles among peers."""
    j = with_ratings(cells, thr, establishments_test=establishments_test)
    peers = j.employment > 0
    spec: RankSpec = {
        "employment": ("employment", peers, j.n_employment),
        "lq": ("lq_traded_local", peers, j.n_lq),
    }
    return with_ranks(j, PEERS, ROW_KEY, spec).drop(*PEER_COUNTS)


def measure_cells(cells: ir.Table, *, establishments_test: bool = True) -> ir.Table:
    """All measures of summed cells that carry their region and national denominators (see
    :func:`~clusterobs.mapping.lq.with_lqs`) and the integer keys ``r, rt, k, year``."""
    with_lq = with_lqs(cells)
    return with_ratings_and_ranks(
        with_lq, peer_thresholds(with_lq), establishments_test=establishments_test
    )
