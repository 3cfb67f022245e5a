"""Spatial cluster detection: statistics that look across administrative borders.

Three families, each a plain-Python library (no Django), one statistic per module in the style of
PySAL ``esda``: a class whose constructor computes and whose results are named attributes, with the
formula, the paper and the conventions in its docstring.

* **Region statistics** on any engine measure: spatial weights from boundaries
  (:mod:`~clusterobs.spatial.weights`, built with ``libpysal``), global Moran's I
  (:mod:`~clusterobs.spatial.moran`), local Moran / LISA (:mod:`~clusterobs.spatial.lisa`),
  Getis-Ord Gi* (:mod:`~clusterobs.spatial.getis_ord`), false-discovery-rate control
  (:mod:`~clusterobs.spatial.fdr`) and the merging of contiguous hot spots into cross-border
  clusters (:mod:`~clusterobs.spatial.cross_border`).
* **Concentration indices** of an industry or cluster over regions
  (:mod:`clusterobs.spatial.concentration`): Ellison-Glaeser, Maurel-Sedillot, Herfindahl, Gini
  and Krugman specialisation.
* **Point-pattern localisation** on establishment points (:mod:`clusterobs.spatial.points`):
  Duranton-Overman Kd with simulated confidence bands and Marcon-Puech M, following the
  conventions of the R package ``dbmss``.

Methods, formulas and where we differ from the reference packages: ``docs/spatial.md``.
"""
