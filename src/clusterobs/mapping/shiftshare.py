"""Shift-share decomposition of regional employment change.

Classic form (Dunn 1960; Farhauer & Kroll 2012, "Die Shift-Share-Analyse als Instrument der
Regional- und Clusterforschung", whose worked example the tests reproduce). For cluster ``c`` in
region ``r`` between years 0 and 1, with growth rates ``g_nat`` of national all-industry
employment, ``g_c`` of national employment in ``c`` and ``g_cr`` of the cell::

    national share  NS = E_cr,0 * g_nat
    industry mix    IM = E_cr,0 * (g_c - g_nat)
    regional share  RS = E_cr,0 * (g_cr - g_c)  =  E_cr,1 - E_cr,0 * (1 + g_c)
    NS + IM + RS = E_cr,1 - E_cr,0

(RS is computed in its second form so a cell that starts at zero stays defined.) Summing the
components over a region's clusters gives the region's decomposition.

Esteban-Marquillas (1972) option: with the homothetic employment
``E*_cr = E_r,0 * E_c,nat,0 / E_nat,0`` the regional share splits into a competitive effect
``E*_cr (g_cr - g_c)`` and an allocation effect ``(E_cr,0 - E*_cr)(g_cr - g_c)``, separating
competitiveness from specialisation (null where ``E_cr,0 = 0``).
"""

from __future__ import annotations

import ibis.expr.types as ir

from clusterobs.tables.expressions import ratio

SHIFT_SHARE_RULE = (
    "Dunn (national share, industry mix, regional share); national growth of all-industry "
    "employment"
)


def growth(end: ir.NumericValue, start: ir.NumericValue) -> ir.FloatingValue:
    """``end / start - 1``; null where ``start`` is 0 or null."""
    return ratio(end, start) - 1.0


def dunn(
    e0: ir.NumericValue, e1: ir.NumericValue, g_cluster: ir.Value, g_nation: ir.Value
) -> dict[str, ir.FloatingValue]:
    """``ss_national_share, ss_industry_mix, ss_regional_share`` of a cell with employment
    ``e0`` -> ``e1``, national cluster growth ``g_cluster`` and all-industry ``g_nation``."""
    return {
        "ss_national_share": e0 * g_nation,
        "ss_industry_mix": e0 * (g_cluster - g_nation),
        "ss_regional_share": e1 - e0 * (1.0 + g_cluster),
    }


def esteban_marquillas(
    e0: ir.NumericValue,
    e1: ir.NumericValue,
    region_total0: ir.NumericValue,
    cluster_national0: ir.NumericValue,
    national_total0: ir.NumericValue,
    g_cluster: ir.Value,
) -> dict[str, ir.FloatingValue]:
    """``ss_em_competitive`` and ``ss_em_allocation`` (their sum is Dunn's regional share
    where ``e0 > 0``)."""
    homothetic = ratio(region_total0 * cluster_national0, national_total0)
    diff = growth(e1, e0) - g_cluster
    return {
        "ss_em_competitive": homothetic * diff,
        "ss_em_allocation": (e0 - homothetic) * diff,
    }
