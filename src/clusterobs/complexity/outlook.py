"""Complexity outlook: how much complexity lies near a region, and what each move would add.

Hausmann, Hidalgo, Bustos, Coscia, Simoes & Yildirim (2014), *The Atlas of Economic
Complexity: Mapping Paths to Prosperity*, MIT Press ("complexity outlook index" and
"complexity outlook gain", called opportunity value and opportunity gain in the 2011 edition)::

    COI_r  = sum_p density_rp (1 - M_rp) PCI_p

    COG_rp = (1 - M_rp) sum_p' (1 - M_rp') PCI_p' phi_p'p / sum_p'' phi_p'p''

COI is the complexity of the industries a region does not yet specialise in, weighted by how
close they are. COG is the change in COI if the region started specialising in ``p``: the
densities of the industries ``p'`` it lacks rise by ``phi_p'p / sum_p'' phi_p'p''``. COG is 0
for industries the region already has.

Conventions and how they differ from ``ecomplexity`` (the Growth Lab's Python port):

* PCI is the published PCI (:mod:`clusterobs.complexity.eci`, on the ECI scale), so COI and
  COG are in PCI units and not rescaled. ``ecomplexity`` enters the raw unit-norm eigenvector
  instead and then standardises COI over regions and divides COG by the standard deviation of
  the raw ECI; its numbers follow from these functions with ``pci = kp_raw`` (COI,
  standardised) and ``pci = kp_raw / eci_std`` (COG), which the benchmark checks.
* Like the Growth Lab's code (whose Stata version keeps the term commented out), COG does not
  subtract ``density_rp PCI_p`` (the industry's own share of COI, which is lost once it is
  developed).
"""

from __future__ import annotations

import numpy as np

FORMULA_COI = "COI_r = sum_p density_rp (1 - M_rp) PCI_p"
FORMULA_COG = "COG_rp = (1 - M_rp) sum_p' (1 - M_rp') PCI_p' phi_p'p / sum_p'' phi_p'p''"
SOURCE = "Hausmann et al. (2014), The Atlas of Economic Complexity"


def complexity_outlook_index(
    presence: np.ndarray, density: np.ndarray, pci: np.ndarray
) -> np.ndarray:
    """``COI`` per region (industries with a null PCI or density contribute nothing)."""
    absent = ~np.asarray(presence, dtype=bool)
    terms = np.nan_to_num(density) * absent  # density of the industries the region lacks
    return np.asarray(terms @ np.nan_to_num(pci))


def complexity_outlook_gain(presence: np.ndarray, phi: np.ndarray, pci: np.ndarray) -> np.ndarray:
    """``COG`` (regions x industries); 0 where the region already specialises."""
    m = np.asarray(presence, dtype=np.float64)
    phi = np.nan_to_num(np.asarray(phi, dtype=np.float64), nan=0.0)
    weight = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = phi * np.where(weight > 0, np.nan_to_num(pci) / weight, 0.0)[:, None]
    # (1 - M) @ x computed as colsum(x) - M @ x: no dense (1 - M) matrix is formed.
    gain = m @ x
    np.subtract(x.sum(axis=0)[None, :], gain, out=gain)
    gain[m != 0] = 0.0
    return np.asarray(gain)
