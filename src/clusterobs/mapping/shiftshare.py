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

import numpy as np


def _growth(end: np.ndarray, start: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.asarray(end, dtype="float64") / np.asarray(start, dtype="float64") - 1.0
    g[~np.isfinite(g)] = np.nan
    return g


def dunn(
    e_cr0: np.ndarray,
    e_cr1: np.ndarray,
    e_c_nat0: np.ndarray,
    e_c_nat1: np.ndarray,
    e_nat0: np.ndarray,
    e_nat1: np.ndarray,
) -> dict[str, np.ndarray]:
    """Elementwise Dunn components ``national_share, industry_mix, regional_share``."""
    e0 = np.asarray(e_cr0, dtype="float64")
    e1 = np.asarray(e_cr1, dtype="float64")
    g_nat = _growth(e_nat1, e_nat0)
    g_c = _growth(e_c_nat1, e_c_nat0)
    return {
        "national_share": e0 * g_nat,
        "industry_mix": e0 * (g_c - g_nat),
        "regional_share": e1 - e0 * (1.0 + g_c),
    }


def esteban_marquillas(
    e_cr0: np.ndarray,
    e_cr1: np.ndarray,
    e_r0: np.ndarray,
    e_c_nat0: np.ndarray,
    e_c_nat1: np.ndarray,
    e_nat0: np.ndarray,
) -> dict[str, np.ndarray]:
    """Competitive and allocation effects (their sum is Dunn's regional share)."""
    e0 = np.asarray(e_cr0, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        homothetic = np.asarray(e_r0, dtype="float64") * np.asarray(e_c_nat0) / np.asarray(e_nat0)
    diff = _growth(e_cr1, e0) - _growth(e_c_nat1, e_c_nat0)
    return {
        "competitive": homothetic * diff,
        "allocation": (e0 - homothetic) * diff,
    }


class ShiftShare:
    """Dunn shift-share of one region's industries (vectors), esda-style.

    Parameters: employment by industry of the region at start and end, and of the nation (the
    national total is the sum of the national vector unless ``nation_total`` is given).

    Attributes: ``national_share``, ``industry_mix``, ``regional_share`` (per industry) and
    ``NS``, ``IM``, ``RS``, ``growth`` (region totals); ``NS + IM + RS == growth``.
    """

    def __init__(
        self,
        region_start: np.ndarray,
        region_end: np.ndarray,
        nation_start: np.ndarray,
        nation_end: np.ndarray,
        nation_total: tuple[float, float] | None = None,
    ) -> None:
        r0, r1 = np.asarray(region_start, float), np.asarray(region_end, float)
        n0, n1 = np.asarray(nation_start, float), np.asarray(nation_end, float)
        t0, t1 = nation_total or (n0.sum(), n1.sum())
        parts = dunn(r0, r1, n0, n1, np.full_like(r0, t0), np.full_like(r0, t1))
        self.national_share = parts["national_share"]
        self.industry_mix = parts["industry_mix"]
        self.regional_share = parts["regional_share"]
        self.NS = float(self.national_share.sum())
        self.IM = float(self.industry_mix.sum())
        self.RS = float(self.regional_share.sum())
        self.growth = float(r1.sum() - r0.sum())
